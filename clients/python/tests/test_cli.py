"""The command line as users run it: the installed ``pixelbus-client`` script and ``python -m pixelbus``, as
subprocesses against the running jar.

The console script exists only where the package is installed (clients/python/run-tests installs it in a fresh
venv and sets PIXELBUS_REQUIRE_INSTALLED=1, so that there a missing script fails instead of skipping).
"""

import json
import os
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

import pixelbus
import tinypng
from conftest import GRADIENT
from pixelbus import image_url

REQUIRE_INSTALLED = os.environ.get("PIXELBUS_REQUIRE_INSTALLED") == "1"


@pytest.fixture(scope="module")
def console_script():
    script = Path(sys.executable).parent / "pixelbus-client"
    if not script.exists():
        if REQUIRE_INSTALLED:
            pytest.fail(f"no pixelbus-client beside {sys.executable}: the install did not make the console script")
        pytest.skip(f"pixelbus is not installed beside {sys.executable} (pip install clients/python, or run-tests)")
    return str(script)


def run(args, tmp_path, env=None):
    """The command in a folder of its own (so no checkout's package can shadow the installed one)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PIXELBUS_")}
    environment.update(env or {})
    return subprocess.run(args, cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120)


def test_the_installed_package_is_the_one_tested():
    if not REQUIRE_INSTALLED:
        pytest.skip("not run by run-tests: the package may come from the source tree")
    assert "site-packages" in Path(pixelbus.__file__).parts, pixelbus.__file__


def test_info_prints_the_json_reply(server, console_script, tmp_path):
    image = tmp_path / "gradient.png"
    image.write_bytes(GRADIENT)
    done = run([console_script, "--port", str(server.bridge_port), "info", str(image)], tmp_path)
    assert done.returncode == 0, done.stderr
    reply = json.loads(done.stdout)
    assert (reply["width"], reply["height"], reply["channels"]) == (8, 6, 3)


def test_the_port_comes_from_the_environment_too(server, console_script, tmp_path):
    done = run([console_script, "ping"], tmp_path, {"PIXELBUS_BRIDGE_PORT": str(server.bridge_port)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"pong from 127.0.0.1:{server.bridge_port} in ")


def test_an_operation_writes_its_output_in_the_format_of_its_extension(server, console_script, tmp_path):
    image, out = tmp_path / "gradient.png", tmp_path / "gray.png"
    image.write_bytes(GRADIENT)
    done = run([console_script, "--port", str(server.bridge_port), "grayscale", str(image), str(out)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("grayscale: 8x6 png -> ")
    width, height, channels, _ = tinypng.read_png(out.read_bytes())
    assert (width, height, channels) == (8, 6, 1)


def test_a_failed_request_exits_1_with_the_services_code(server, console_script, tmp_path):
    image = tmp_path / "gradient.png"
    image.write_bytes(GRADIENT)
    done = run([console_script, "--port", str(server.bridge_port), "threshold", str(image), str(tmp_path / "t.png"),
                "--param", "value=300"], tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("pixelbus: 400 "), done.stderr
    assert not (tmp_path / "t.png").exists()


def test_an_unknown_command_is_a_usage_error(server, console_script, tmp_path):
    image = tmp_path / "gradient.png"
    image.write_bytes(GRADIENT)
    done = run([console_script, "--port", str(server.bridge_port), "nosuchop", str(image)], tmp_path)
    assert done.returncode == 2
    assert "unknown command or operation 'nosuchop'" in done.stderr


def test_no_server_exits_2(console_script, tmp_path):
    with socket.socket() as bound:  # bound, not listening: refused
        bound.bind(("127.0.0.1", 0))
        port = bound.getsockname()[1]
        done = run([console_script, "--port", str(port), "ping"], tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith(f"pixelbus: cannot connect to 127.0.0.1:{port}: "), done.stderr


def test_sign_prints_the_url_the_server_accepts(server, console_script, tmp_path):
    source = server.source.url("/gradient.png")
    expected = image_url("resize", source, key=server.key, base=server.http_base, width=4)
    target = expected[len(server.http_base):].rsplit("&sig=", 1)[0]
    done = run([console_script, "sign", target, "--base", server.http_base], tmp_path,
               {"PIXELBUS_HTTP_SOURCES_SIGNING_KEYS": f"{server.key},an-older-key-still-listed-here"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected, "the first key signs, as the server's own sign command does"
    with urllib.request.urlopen(done.stdout.strip(), timeout=60) as response:
        assert response.status == 200 and tinypng.size(response.read()) == (4, 3)


def test_sign_without_a_key_exits_2(console_script, tmp_path):
    done = run([console_script, "sign", "/v1/images/resize?url=x&width=4"], tmp_path)
    assert done.returncode == 2
    assert "PIXELBUS_HTTP_SOURCES_SIGNING_KEYS" in done.stderr


def test_python_dash_m_pixelbus_is_the_same_command(server, tmp_path):
    # the package the tests import (installed, or a source tree on PYTHONPATH) is the one run
    where = {"PYTHONPATH": str(Path(pixelbus.__file__).resolve().parents[1])}
    done = run([sys.executable, "-m", "pixelbus", "--port", str(server.bridge_port), "ops"], tmp_path, where)
    assert done.returncode == 0, done.stderr
    names = [line.split()[0] for line in done.stdout.splitlines() if line and not line.startswith(" ")]
    assert {"info", "grayscale", "threshold", "pipeline"} <= set(names)
    helped = run([sys.executable, "-m", "pixelbus", "--help"], tmp_path, where)
    assert helped.returncode == 0 and helped.stdout.startswith("usage: python3 -m pixelbus ")
