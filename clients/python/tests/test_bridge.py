"""PixelbusClient against the running jar over real sockets: replies, their shapes, the service's error codes."""

import asyncio
import socket

import pytest

import tinypng
from conftest import COLOURED, GRADIENT, gray_level
from pixelbus import PixelbusClient, PixelbusConnectionError, PixelbusError


def call(server, fn, **options):
    """fn(pb) on a fresh connection to the server's bridge, in a fresh event loop."""
    async def go():
        async with PixelbusClient("127.0.0.1", server.bridge_port, **options) as pb:
            return await fn(pb)
    return asyncio.run(go())


def pixels(png: bytes):
    width, height, channels, rows = tinypng.read_png(png)
    return width, height, channels, [list(row) for row in rows]


def test_ping_gets_the_bridges_pong(server):
    rtt = call(server, lambda pb: pb.ping())
    assert isinstance(rtt, float) and rtt >= 0


def test_the_ops_table_comes_from_the_server(server):
    table = call(server, lambda pb: pb.ops())
    by_name = {entry["name"]: entry for entry in table["ops"]}
    assert by_name["grayscale"]["address"] == "pixelbus.image.grayscale"
    assert by_name["threshold"]["address"] == "pixelbus.image.threshold"
    assert "value" in [p["name"] for p in by_name["threshold"]["params"]]
    assert table["pipeline"]["name"] == "pipeline"


def test_info_reads_the_bytes_sent(server):
    info = call(server, lambda pb: pb.info(COLOURED))
    assert (info["width"], info["height"], info["channels"], info["format"], info["depth"]) == (3, 2, 3, "png", "8U")
    assert info["topLeft"] == [50, 100, 200]  # blue, green, red: OpenCV's order
    assert "image" not in info


def test_grayscale_answers_a_png_of_the_same_size_and_levels(server):
    reply = call(server, lambda pb: pb.grayscale(GRADIENT, format="png"))
    assert (reply["width"], reply["height"], reply["format"]) == (8, 6, "png")
    assert isinstance(reply["image"], bytes), "the client decodes the reply's base64"
    width, height, channels, rows = pixels(reply["image"])
    assert (width, height, channels) == (8, 6, 1)
    assert rows == [[gray_level(x, y) for x in range(8)] for y in range(6)]  # R = G = B: gray is the level itself


def test_threshold_splits_at_the_value_given(server):
    reply = call(server, lambda pb: pb.threshold(GRADIENT, value=127, format="png"))
    width, height, channels, rows = pixels(reply["image"])
    assert (width, height, channels) == (8, 6, 1)
    expected = [[255 if gray_level(x, y) > 127 else 0 for x in range(8)] for y in range(6)]
    assert rows == expected
    assert 0 < sum(row.count(255) for row in expected) < 48, "the image must straddle the threshold to test it"


def test_parameters_may_be_spelt_the_python_way(server):
    # block_size is sent as blockSize; an even size would be refused, so the server did read it
    reply = call(server, lambda pb: pb.adaptive(GRADIENT, block_size=3, method="mean", format="png"))
    assert tinypng.size(reply["image"]) == (8, 6)
    with pytest.raises(PixelbusError) as refused:
        call(server, lambda pb: pb.adaptive(GRADIENT, block_size=4))
    assert refused.value.code == 400 and "blockSize" in refused.value.message


def test_requests_at_once_share_one_connection(server):
    async def many(pb):
        return await asyncio.gather(*(pb.info(GRADIENT if i % 2 else COLOURED) for i in range(8)))
    replies = call(server, many)
    assert [(r["width"], r["height"]) for r in replies] == [(3, 2), (8, 6)] * 4


def test_a_path_on_the_server_is_read_there(server):
    info = call(server, lambda pb: pb.info(str(server.work / "in" / "gradient.png")))
    assert (info["width"], info["height"]) == (8, 6)


def test_an_unknown_operation_is_400_naming_the_servers_operations(server):
    with pytest.raises(PixelbusError) as e:
        call(server, lambda pb: pb.apply("nosuchop", GRADIENT))
    assert e.value.code == 400
    assert "nosuchop" in e.value.message and "threshold" in e.value.message
    with pytest.raises(PixelbusError) as as_method:
        call(server, lambda pb: pb.nosuchop(GRADIENT))
    assert as_method.value.code == 400


def test_a_bad_parameter_is_the_services_400(server):
    with pytest.raises(PixelbusError) as e:
        call(server, lambda pb: pb.threshold(GRADIENT, value=300))
    err = e.value
    assert err.code == 400 and "value" in err.message
    assert err.failure_type == "RECIPIENT_FAILURE"
    assert err.frame is not None and err.frame["type"] == "err", "the code came from the bridge's err frame"


def test_bytes_that_are_no_image_are_415(server):
    with pytest.raises(PixelbusError) as e:
        call(server, lambda pb: pb.info(b"this is not an image"))
    assert e.value.code == 415 and e.value.frame is not None


def test_a_path_outside_the_input_roots_is_403(server):
    with pytest.raises(PixelbusError) as e:
        call(server, lambda pb: pb.info("/etc/passwd"))
    assert e.value.code == 403


def test_an_address_the_bridge_does_not_permit_is_403_access_denied(server):
    async def refused_among_others(pb):
        results = await asyncio.gather(pb.info(GRADIENT), pb.request("pixelbus.image.batch.chunk", {}),
                                       pb.info(COLOURED), return_exceptions=True)
        return results
    first, refused, last = call(server, refused_among_others)
    assert isinstance(refused, PixelbusError) and (refused.code, refused.message) == (403, "access_denied")
    assert (first["width"], last["width"]) == (8, 3), "the refusal is told to its own request only"


def test_a_refused_connection_is_a_PixelbusConnectionError():
    # A socket bound but not listening: connecting to it is refused, and no other process can take the port
    # while the test runs.
    with socket.socket() as bound:
        bound.bind(("127.0.0.1", 0))
        port = bound.getsockname()[1]
        async def connect():  # the client is made inside the loop, as Python 3.9's asyncio wants
            return await PixelbusClient("127.0.0.1", port).connect()
        with pytest.raises(PixelbusConnectionError) as e:
            asyncio.run(connect())
    assert isinstance(e.value, OSError), "still an OSError, as before the package"
    assert isinstance(e.value.__cause__, ConnectionRefusedError)
    assert f"127.0.0.1:{port}" in e.value.message


def test_a_request_without_a_connection_is_a_PixelbusConnectionError():
    async def unconnected():
        return await PixelbusClient("127.0.0.1", 9).request("pixelbus.image.stats", {})
    with pytest.raises(PixelbusConnectionError) as e:
        asyncio.run(unconnected())
    assert "not connected" in e.value.message


def test_a_closed_client_fails_its_next_request(server):
    async def closed(pb):
        await pb.close()
        return await pb.info(GRADIENT)
    with pytest.raises(PixelbusConnectionError):
        call(server, closed)
