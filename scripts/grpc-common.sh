# Sourced by scripts/test-grpc-node and scripts/test-grpc-python: target/pixelbus.jar serving gRPC beyond loopback
# (http.host 0.0.0.0, so auth.tokens are asked for), with a folder of tiles for Batch, a Python http.server of files
# for Download (its address let through fetch's guard by fetch.allowHosts), image.maxInputBytes at 8 MiB (so a
# larger message is refused), and 2 image workers. Sets: root, work, jar, py, image, target (host:port of a
# non-loopback address of this machine when it has one), token, tiles, files_url; and cleans up on exit.
# The caller sets name (for messages) before sourcing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
py=/usr/bin/python3
jar=${PIXELBUS_JAR:-$root/target/pixelbus.jar}
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q package -DskipTests)
work=$(mktemp -d)
server= files=
cleanup() {
  for p in $server $files; do
    if kill -0 "$p" 2>/dev/null; then kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; fi
  done
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "$name: FAIL: $*" >&2; tail -n 30 "$work/server.log" 2>/dev/null | sed 's/^/server: /' >&2 || true; exit 1; }
free_port() { "$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

if [ -f "$root/../shared/seed-data/ship.jpg" ]; then image=$(cd "$root/../shared/seed-data" && pwd)/ship.jpg
else image=$root/pixelbus-testkit/src/main/resources/images/astronaut.png; fi
token=grpc-test-token-$RANDOM$RANDOM-0123456789abcdef
tiles=$work/tiles
java -jar "$jar" tiles "$root/pixelbus-testkit/src/main/resources/images/astronaut.png" "$tiles" --grid 8x8 >/dev/null 2>&1 ||
  fail "pixelbus tiles did not make the batch's input"
mkdir -p "$work/files"
for i in 1 2 3; do head -c $((i * 40000)) /dev/urandom >"$work/files/f$i.bin"; done
fport=$(free_port)
(cd "$work/files" && exec "$py" -m http.server "$fport" --bind 127.0.0.1) >"$work/files.log" 2>&1 &
files=$!
files_url=http://127.0.0.1:$fport

# A non-loopback address of this machine: the calls then come from beyond loopback, as a remote client's would.
host=$(hostname -I 2>/dev/null | tr ' ' '\n' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' | grep -v '^127\.' | head -n 1 || true)
if [ -z "$host" ]; then
  host=127.0.0.1
  echo "$name: no non-loopback IPv4 address here: calling 127.0.0.1 (the server still listens on 0.0.0.0 and asks for tokens)"
fi
http=$(free_port) bridge=$(free_port)
java -jar "$jar" -conf '{"http":{"host":"0.0.0.0","port":'"$http"'},"bridge":{"port":'"$bridge"'},"echo":{"enabled":false},
  "auth":{"tokens":["'"$token"'"]},"fetch":{"outputRoot":"'"$work/downloads"'","allowHosts":["127.0.0.1"]},
  "image":{"workers":2,"maxInputBytes":8388608,"inputRoots":["'"$work"'"],"outputRoot":"'"$work/out"'"}}' \
  >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do grep -q "pixelbus ready" "$work/server.log" && break; kill -0 $server 2>/dev/null || fail "the server did not start"; sleep 0.1; done
grep -q "pixelbus ready" "$work/server.log" || fail "the server was not ready in 60 s"
target=$host:$http
echo "$name: pixelbus (pid $server) on 0.0.0.0:$http with a token; calling $target; image $(basename "$image"); 64 tiles for Batch"
