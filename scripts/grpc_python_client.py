"""pixelbus over gRPC from Python's grpcio (Debian python3-grpcio), with message classes that protoc generated from
pixelbus-api's pixelbus.proto at test time and grpcio's generic calls (no generated stubs, no grpc_tools).
Run by scripts/test-grpc-python: python3 grpc_python_client.py GEN TARGET TOKEN IMAGE TILES FILES_URL
Checks: health and reflection; Apply grayscale -> threshold 127 equal to cv2 pixel for pixel; every operation of
GET /v1/ops by name; an unknown op INVALID_ARGUMENT; no token and a wrong one UNAUTHENTICATED (the calls come from
beyond loopback); a message over image.maxInputBytes RESOURCE_EXHAUSTED; a deadline DEADLINE_EXCEEDED with the
server still serving; Batch progress then summary; Download progress then summary. Exit 0 when all pass."""
import json
import sys
import time
import urllib.request

sys.path.insert(0, sys.argv[1])
import cv2  # noqa: E402
import grpc  # noqa: E402
import numpy  # noqa: E402
from google.protobuf import struct_pb2  # noqa: E402
from pixelbus.v1 import pixelbus_pb2 as pb  # noqa: E402
import health_pb2  # noqa: E402
import reflection_pb2  # noqa: E402

_, _, target, token, image_path, tiles, files_url = sys.argv
AUTH = [("authorization", "Bearer " + token)]
channel = grpc.insecure_channel(target, options=[("grpc.max_send_message_length", 64 << 20),
                                                 ("grpc.max_receive_message_length", 64 << 20)])
apply = channel.unary_unary("/pixelbus.v1.Images/Apply", request_serializer=pb.ApplyRequest.SerializeToString,
                            response_deserializer=pb.ApplyReply.FromString)
batch = channel.unary_stream("/pixelbus.v1.Images/Batch", request_serializer=pb.BatchRequest.SerializeToString,
                             response_deserializer=pb.BatchEvent.FromString)
download = channel.unary_stream("/pixelbus.v1.Fetch/Download", request_serializer=pb.DownloadRequest.SerializeToString,
                                response_deserializer=pb.DownloadEvent.FromString)
check = channel.unary_unary("/grpc.health.v1.Health/Check",
                            request_serializer=health_pb2.HealthCheckRequest.SerializeToString,
                            response_deserializer=health_pb2.HealthCheckResponse.FromString)
reflect = channel.stream_stream("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                                request_serializer=reflection_pb2.ServerReflectionRequest.SerializeToString,
                                response_deserializer=reflection_pb2.ServerReflectionResponse.FromString)
failures = 0


def ok(label, cond, detail=""):
    global failures
    print(("ok   " if cond else "FAIL ") + label + (": " + detail if detail else ""))
    if not cond:
        failures += 1


def step(op, **params):
    s = struct_pb2.Struct()
    s.update(params)
    return pb.Step(op=op, params=s)


def status(fn):
    """The call's status code and details: OK with the reply, or the error's."""
    try:
        return grpc.StatusCode.OK, fn()
    except grpc.RpcError as e:
        return e.code(), e.details()


# health and reflection: open, no token
reply = check(health_pb2.HealthCheckRequest(service=""), timeout=10)
ok("health '' SERVING", reply.status == health_pb2.HealthCheckResponse.SERVING, str(reply.status))
reply = check(health_pb2.HealthCheckRequest(service="pixelbus.v1.Images"), timeout=10)
ok("health pixelbus.v1.Images SERVING", reply.status == health_pb2.HealthCheckResponse.SERVING, str(reply.status))
services = []
for r in reflect(iter([reflection_pb2.ServerReflectionRequest(list_services="*")]), timeout=10):
    services += [s.name for s in r.list_services_response.service]
ok("reflection lists Images, Fetch, Health", {"pixelbus.v1.Images", "pixelbus.v1.Fetch", "grpc.health.v1.Health"}
   <= set(services), str(services))

# Apply grayscale -> threshold 127, against cv2 on the same bytes
data = open(image_path, "rb").read()
t0 = time.time()
reply = apply(pb.ApplyRequest(image=data, steps=[step("grayscale"), step("threshold", value=127)]), metadata=AUTH,
              timeout=60)
ms = (time.time() - t0) * 1000
ours = cv2.imdecode(numpy.frombuffer(reply.image, numpy.uint8), cv2.IMREAD_UNCHANGED)
gray = cv2.cvtColor(cv2.imdecode(numpy.frombuffer(data, numpy.uint8), cv2.IMREAD_COLOR), cv2.COLOR_BGR2GRAY)
_, theirs = cv2.threshold(gray, 127, 255, cv2.THRESH_BINARY)
ok("Apply grayscale -> threshold 127 equals cv2", ours is not None and ours.shape == theirs.shape
   and numpy.array_equal(ours, theirs),
   f"{reply.width}x{reply.height} {reply.format}, {int(numpy.count_nonzero(theirs))} white pixels, threshold"
   f" {reply.threshold}, {ms:.0f} ms")

# every operation of the table, by name, with a value for each parameter the table gives one for (its example, else
# its default): nothing in the proto names an operation or a parameter
def example(param):
    for key in ("example", "default"):
        if param.get(key) is not None:
            return param[key]
    return None



http = "http://" + target + "/v1/ops"
table = json.load(urllib.request.urlopen(urllib.request.Request(http, headers={"Authorization": "Bearer " + token})))
ops = table["ops"] if isinstance(table, dict) else table
called = []
for op in ops:
    params = {p["name"]: value for p in op.get("params", []) if (value := example(p)) is not None}
    code, r = status(lambda: apply(pb.ApplyRequest(image=data, steps=[step(op["name"], **params)]), metadata=AUTH,
                                   timeout=60))
    if code != grpc.StatusCode.OK and op["name"] in ("facecrop",) and code == grpc.StatusCode.NOT_FOUND:
        code = grpc.StatusCode.OK  # no face in the picture: facecrop's own 404, still called by name
    called.append(op["name"] + ("" if code == grpc.StatusCode.OK else "=" + code.name + " " + str(r)))
ok(f"every op of GET /v1/ops by name ({len(ops)})", all("=" not in c for c in called), ", ".join(called))

code, details = status(lambda: apply(pb.ApplyRequest(image=data, steps=[step("sepia")]), metadata=AUTH, timeout=10))
ok("unknown op INVALID_ARGUMENT naming it", code == grpc.StatusCode.INVALID_ARGUMENT and "sepia" in details,
   f"{code.name}: {details}")
code, details = status(lambda: apply(pb.ApplyRequest(image=data, steps=[step("grayscale")]), timeout=10))
ok("no token UNAUTHENTICATED", code == grpc.StatusCode.UNAUTHENTICATED, f"{code.name}: {details}")
code, details = status(lambda: apply(pb.ApplyRequest(image=data, steps=[step("grayscale")]), timeout=10,
                                     metadata=[("authorization", "Bearer not-the-token")]))
ok("wrong token UNAUTHENTICATED", code == grpc.StatusCode.UNAUTHENTICATED, f"{code.name}: {details}")
big = bytes(10 << 20)
code, details = status(lambda: apply(pb.ApplyRequest(image=big, steps=[step("grayscale")]), metadata=AUTH, timeout=30))
ok("10 MiB over image.maxInputBytes RESOURCE_EXHAUSTED", code == grpc.StatusCode.RESOURCE_EXHAUSTED,
   f"{code.name}: {details}")

# a deadline the work cannot meet: a large pipeline, 300 ms
t0 = time.time()
code, details = status(lambda: apply(pb.ApplyRequest(image=data, steps=[
    step("resize", width=3000), step("blur", ksize=21), step("faces")]), metadata=AUTH, timeout=0.3))
ok("deadline 300 ms DEADLINE_EXCEEDED", code == grpc.StatusCode.DEADLINE_EXCEEDED,
   f"{code.name} after {(time.time() - t0) * 1000:.0f} ms")
code, r = status(lambda: apply(pb.ApplyRequest(image=data, steps=[step("info")]), metadata=AUTH, timeout=60))
ok("the server serves after it", code == grpc.StatusCode.OK and r.info.channels in (1, 3, 4),
   f"{code.name} info {r.info.channels} channels {r.info.depth}" if code == grpc.StatusCode.OK else str(r))

# Batch: progress events, then the summary last
events = list(batch(pb.BatchRequest(input_dir=tiles, output_dir="grpc-batch", steps=[step("grayscale"),
                                                                                      step("threshold", value=127)]),
                    metadata=AUTH, timeout=120))
progress = [e for e in events if e.WhichOneof("event") == "progress"]
last = events[-1] if events else None
ok("Batch progress then summary", bool(progress) and last is not None and last.WhichOneof("event") == "summary"
   and last.summary.succeeded == 64 and last.summary.failed == 0,
   f"{len(progress)} progress, summary {last.summary.succeeded if last else None} images in"
   f" {last.summary.seconds if last else 0:.2f} s")

# Download: three files from a local http.server (let through the guard by fetch.allowHosts)
events = list(download(pb.DownloadRequest(urls=[pb.Download(url=f"{files_url}/f{i}.bin") for i in (1, 2, 3)],
                                          dir="grpc-download"), metadata=AUTH, timeout=60))
last = events[-1] if events else None
ok("Download summary last", last is not None and last.WhichOneof("event") == "summary"
   and len(last.summary.files) == 3 and last.summary.bytes == 240000,
   f"{len(events) - 1} progress, {len(last.summary.files) if last else 0} files, {last.summary.bytes if last else 0} bytes")
code, details = status(lambda: list(download(pb.DownloadRequest(urls=[pb.Download(url="http://169.254.169.254/x")],
                                                                dir="grpc-download"), metadata=AUTH, timeout=30)))
ok("Download of a link-local address refused by the guard", code == grpc.StatusCode.PERMISSION_DENIED,
   f"{code.name}: {details}")

print(f"{'all passed' if failures == 0 else str(failures) + ' failed'}")
sys.exit(1 if failures else 0)
