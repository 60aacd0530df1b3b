"""The real server for the tests: the fat jar started once per session, with free ports and a source to fetch.

PIXELBUS_JAR names the jar (default: the checkout's target/pixelbus.jar); without one, or without java, every
test that needs the server is skipped with the reason. Nothing here needs the network or /work/shared: the
images are made by the tests, and the source GETs go to a Python http.server on loopback.
"""

import http.server
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

import tinypng

REPO = Path(__file__).resolve().parents[3]  # clients/python/tests -> the checkout
START_TIMEOUT = 120.0  # seconds for the JVM, OpenCV's library and every part to be up; a slow CI box is slow


def gray_level(x: int, y: int) -> int:
    """The test image's pixel value: R = G = B, so grayscale leaves it exactly as it is (0 ... 235)."""
    return x * 30 + y * 5


#: 8x6, grey levels: grayscale and threshold results can be checked pixel for pixel
GRADIENT = tinypng.make_png(8, 6, lambda x, y: (gray_level(x, y),) * 3)
#: 3x2, its top-left pixel red 200, green 100, blue 50: info's topLeft is BGR, OpenCV's order
COLOURED = tinypng.make_png(3, 2, lambda x, y: (200, 100, 50) if (x, y) == (0, 0) else (0, 0, 0))


class Source:
    """The image source for GET /v1/images/OP?url=...: serves fixed files and counts who asked for what."""

    def __init__(self, files: dict):
        self.files = files
        self.requests = []  # paths, in order
        source = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                source.requests.append(self.path)
                body = source.files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "image/png" if body is not None else "text/plain")
                body = body if body is not None else b"no such file"
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # quiet: pytest shows what matters
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="pixelbus-test-source", daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def asked(self, path: str) -> int:
        return self.requests.count(path)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Server:
    def __init__(self, process, log: Path, bridge_port: int, http_port: int, key: str, source: Source, work: Path):
        self.process = process
        self.log = log
        self.bridge_port = bridge_port
        self.http_port = http_port
        self.http_base = f"http://127.0.0.1:{http_port}"
        self.key = key
        self.source = source
        self.work = work


def _jar() -> Path:
    jar = Path(os.environ.get("PIXELBUS_JAR") or REPO / "target" / "pixelbus.jar")
    if not jar.is_file():
        pytest.skip(f"no pixelbus jar at {jar}: build it (./mvnw -B -q package -DskipTests) or set PIXELBUS_JAR")
    if shutil.which("java") is None:
        pytest.skip("no java on the PATH to run the pixelbus jar")
    return jar


def _log_tail(log: Path, lines: int = 30) -> str:
    try:
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _wait_ready(process, log: Path):
    """Waits for "pixelbus ready" and reads the ports the server chose (port 0 = any free port, logged), so no
    port is picked here and lost to another process before the server binds it."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        text = log.read_text(errors="replace") if log.exists() else ""
        if "pixelbus ready" in text:
            bridge = re.search(r"bridge listening on [\d.]+:(\d+)", text)
            http = re.search(r"http listening on [\d.]+:(\d+)", text)
            if not bridge or not http:
                raise RuntimeError(f"pixelbus is ready but its log names no bridge or http port:\n{_log_tail(log)}")
            return int(bridge.group(1)), int(http.group(1))
        if process.poll() is not None:
            raise RuntimeError(f"pixelbus exited {process.returncode} before it was ready:\n{_log_tail(log)}")
        time.sleep(0.1)
    raise RuntimeError(f"pixelbus was not ready within {START_TIMEOUT:g} s:\n{_log_tail(log)}")


def _wait_accepts(port: int):
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    jar = _jar()
    work = tmp_path_factory.mktemp("pixelbus")
    (work / "in").mkdir()
    (work / "in" / "gradient.png").write_bytes(GRADIENT)
    source = Source({"/gradient.png": GRADIENT, "/untouched.png": GRADIENT})
    key = secrets.token_hex(32)  # the server wants 16 characters or more
    config = {
        "bridge": {"port": 0},
        # the signing key in the file, not the environment: the console-script tests choose their own env
        "http": {"port": 0, "cache": {"dir": str(work / "cache")}, "sources": {"signingKeys": [key]}},
        "echo": {"enabled": False},
        "fetch": {"allowHosts": ["127.0.0.1/32"], "outputRoot": str(work / "downloads")},  # the source is loopback
        "image": {"workers": 1, "inputRoots": [str(work / "in")], "outputRoot": str(work / "out")},
    }
    conf = work / "config.json"
    conf.write_text(json.dumps(config))
    conf.chmod(0o600)
    log = work / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(["java", "-jar", str(jar), "-conf", str(conf)], stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=work)
    try:
        bridge_port, http_port = _wait_ready(process, log)
        _wait_accepts(bridge_port)
        yield Server(process, log, bridge_port, http_port, key, source, work)
    finally:
        process.terminate()  # SIGTERM: the server drains and exits
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        source.close()
