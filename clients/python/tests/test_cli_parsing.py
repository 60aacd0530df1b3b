"""The command line's own parsing, without a server: --param values and pipeline --step strings."""

import pytest

from pixelbus.cli import UsageError, _format_of, _parse_params, _parse_step
from pixelbus.wire import camel, decode_base64, encode_input


def test_param_values_are_json_when_they_parse():
    assert _parse_params(["value=127", "otsu=true", "minSize=[30, 30]", "method=mean", "empty="]) == {
        "value": 127, "otsu": True, "minSize": [30, 30], "method": "mean", "empty": ""}


@pytest.mark.parametrize("bad", ["novalue", "=5"])
def test_a_param_needs_a_name_and_an_equals_sign(bad):
    with pytest.raises(UsageError):
        _parse_params([bad])


def test_a_step_splits_at_commas_outside_brackets():
    assert _parse_step("faces:minSize=[30,30],draw=false") == {"op": "faces", "minSize": [30, 30], "draw": False}
    assert _parse_step("grayscale") == {"op": "grayscale"}
    assert _parse_step('{"op": "resize", "width": 8}') == {"op": "resize", "width": 8}
    with pytest.raises(UsageError):
        _parse_step("{not json")


def test_the_output_extension_chooses_the_format():
    assert [_format_of(p) for p in ("a.png", "b.JPG", "c.jpeg", "d.webp")] == ["png", "jpg", "jpg", "webp"]
    with pytest.raises(UsageError):
        _format_of("e.gif")


def test_python_names_become_the_servers():
    assert [camel(n) for n in ("block_size", "blockSize", "min_neighbors", "c")] == \
        ["blockSize", "blockSize", "minNeighbors", "c"]


def test_bytes_go_as_base64_and_come_back_from_vertx_base64url():
    data = bytes(range(250, 256)) + b"\xfb\xff"
    assert encode_input(data) == {"bytes": "+vv8/f7/+/8="}
    assert decode_base64("-vv8_f7_-_8") == data  # Vert.x: URL-safe alphabet, no padding
    assert encode_input("/srv/in/a.png") == "/srv/in/a.png"
