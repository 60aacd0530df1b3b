"""sign() and image_url() against the running server's signature check (http.sources.signingKeys), with urllib."""

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

import tinypng
from pixelbus import image_url, sign


def get(url: str):
    """(status, content type, body) of a GET, error statuses included."""
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.headers.get("Content-Type"), response.read()
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.headers.get("Content-Type"), e.read()


def test_image_url_signed_with_the_servers_key_is_served(server):
    url = image_url("resize", server.source.url("/gradient.png"), key=server.key, base=server.http_base + "/", width=4)
    assert url.startswith(server.http_base + "/v1/images/resize?url=http%3A%2F%2F127.0.0.1%3A")
    status, kind, body = get(url)
    assert status == 200, body[:200]
    assert kind == "image/png"  # format=auto: PNG for a source that is no JPEG, urllib asking for no WebP
    assert tinypng.size(body) == (4, 3), "8x6 resized to a width of 4 keeps the ratio"
    assert server.source.asked("/gradient.png") >= 1


def test_sign_of_the_target_is_image_urls_signature(server):
    source = server.source.url("/gradient.png")
    target = "/v1/images/resize?url=" + urllib.parse.quote(source, safe="") + "&width=16"
    signed = sign(server.key, target)
    assert signed.startswith(target + "&sig=") and "=" not in signed.rsplit("&sig=", 1)[1], "base64url, no padding"
    assert signed == image_url("resize", source, key=server.key, width=16)
    status, _, body = get(server.http_base + signed)
    assert status == 200 and tinypng.size(body) == (16, 12)


def test_a_pipeline_url_carries_its_steps_as_json(server):
    url = image_url("pipeline", server.source.url("/gradient.png"), key=server.key, base=server.http_base,
                    steps=[{"op": "resize", "width": 4}, "grayscale"], format="png")
    assert "steps=%5B%7B%22op%22%3A%22resize%22" in url
    status, _, body = get(url)
    assert status == 200, body[:200]
    width, height, channels, _ = tinypng.read_png(body)
    assert (width, height, channels) == (4, 3, 1)


@pytest.mark.parametrize("how", ["unsigned", "wrong key", "changed after signing", "sig not last"])
def test_a_get_without_the_right_signature_is_403_and_never_reaches_the_source(server, how):
    source = server.source.url("/untouched.png")
    signed = image_url("resize", source, key=server.key, base=server.http_base, width=4)
    url = {
        "unsigned": image_url("resize", source, base=server.http_base, width=4),
        "wrong key": image_url("resize", source, key="another-key-of-32-characters-xxxx", base=server.http_base,
                               width=4),
        "changed after signing": signed.replace("width=4", "width=5"),
        "sig not last": signed + "&height=2",
    }[how]
    status, kind, body = get(url)
    assert status == 403, body[:200]
    assert kind.startswith("application/json") and json.loads(body)["code"] == 403
    assert server.source.asked("/untouched.png") == 0


def test_a_signed_target_is_not_signed_again():
    with pytest.raises(ValueError):
        sign("a-key-of-sixteen-characters", "/v1/images/resize?url=x&width=1&sig=abc")


def test_image_url_spells_values_as_the_server_reads_them():
    url = image_url("faces", "https://example.com/a b.jpg?x=1&y=2", draw=False, min_size=[30, 30], quality=None)
    query = urllib.parse.parse_qs(url.split("?", 1)[1])
    assert query == {"url": ["https://example.com/a b.jpg?x=1&y=2"], "draw": ["false"], "minSize": ["[30,30]"]}
    assert "+" not in url and "%20" in url, "a space is %20, which the server decodes in the query as it was signed"
