#!/usr/bin/env python3
"""The cv2 side of scripts/bench-ops: the same calls as `pixelbus ops-time`, under the same names.

Usage: /usr/bin/python3 scripts/bench_ops.py IMAGE --cases JSON [--repeat N] [--warmup N]
JSON is what `pixelbus ops-time --cases` prints: every operation of pixelbus's table with its example
parameters. Each is done here the way a worker does it (cv2's calls with pixelbus's defaults: the course's
ones, INTER_AREA when shrinking), on the decoded colour image; an operation this file has no cv2 mirror for is
reported as null. Prints one JSON object of median milliseconds per case (one thread: cv2.setNumThreads(1)).
"""
import json
import math
import os
import sys
import time

import cv2
import numpy

CASCADE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                       "pixelbus-image/src/main/resources/dev/pixelbus/cascades/haarcascade_frontalface_default.xml")
TYPES = {"binary": cv2.THRESH_BINARY, "binary_inv": cv2.THRESH_BINARY_INV, "trunc": cv2.THRESH_TRUNC,
         "tozero": cv2.THRESH_TOZERO, "tozero_inv": cv2.THRESH_TOZERO_INV}


def side(v):
    return max(1, int(math.floor(v + 0.5)))


def area_or_linear(src, size):
    shrink = size[0] * size[1] < src.shape[1] * src.shape[0]
    return cv2.resize(src, size, interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)


def gray_of(im):
    return im if im.ndim == 2 else cv2.cvtColor(im, cv2.COLOR_BGR2GRAY)


def mirrors(cascade):
    """Each operation of pixelbus's table as cv2 calls: (image, params) -> result."""

    def threshold(im, p):
        flag = TYPES[p.get("type", "binary")]
        flag += cv2.THRESH_OTSU if p.get("otsu") else cv2.THRESH_TRIANGLE if p.get("triangle") else 0
        return cv2.threshold(gray_of(im), p.get("value", 127), p.get("max", 255), flag)[1]

    def adaptive(im, p):
        method = cv2.ADAPTIVE_THRESH_MEAN_C if p.get("method") == "mean" else cv2.ADAPTIVE_THRESH_GAUSSIAN_C
        return cv2.adaptiveThreshold(gray_of(im), p.get("max", 255), method, TYPES[p.get("type", "binary")],
                                     p.get("blockSize", 11), p.get("c", 2))

    def faces(im, p):
        return cascade.detectMultiScale(gray_of(im), p.get("scaleFactor", 1.1), p.get("minNeighbors", 3))

    def resize(im, p):
        h, w = im.shape[:2]
        if "scale" in p:
            return area_or_linear(im, (side(w * p["scale"]), side(h * p["scale"])))
        if "height" not in p:
            return area_or_linear(im, (p["width"], side(h * p["width"] / w)))
        if "width" not in p:
            return area_or_linear(im, (side(w * p["height"] / h), p["height"]))
        return area_or_linear(im, (p["width"], p["height"]))

    def crop(im, p):
        x, y = p.get("x", 0), p.get("y", 0)
        return im[y:y + p["h"], x:x + p["w"]].copy()

    def facecrop(im, p):
        h, w = im.shape[:2]
        found = cascade.detectMultiScale(gray_of(im), p.get("scaleFactor", 1.1), p.get("minNeighbors", 3))
        m = p.get("margin", 0.3)
        if len(found):
            x, y, fw, fh = max(found, key=lambda f: f[2] * f[3])
            x0, y0 = max(0, side(x - m * fw)), max(0, side(y - m * fh))
            x1, y1 = min(w, side(x + fw + m * fw)), min(h, side(y + fh + m * fh))
        else:
            s = min(w, h)
            x0, y0, x1, y1 = (w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s
        out = im[y0:y1, x0:x1].copy()
        return area_or_linear(out, (p["width"], p["height"])) if "width" in p and "height" in p else out

    def sharpen(im, p):
        amount = p.get("amount", 1.0)
        return cv2.addWeighted(im, 1 + amount, cv2.GaussianBlur(im, (0, 0), p.get("sigma", 1.0)), -amount, 0)

    rotations = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    return {
        "info": lambda im, p: (im.shape, im.dtype, im[0, 0].tolist()),
        "grayscale": lambda im, p: gray_of(im),
        "threshold": threshold,
        "adaptive": adaptive,
        "faces": faces,
        "resize": resize,
        "crop": crop,
        "rotate": lambda im, p: cv2.rotate(im, rotations[p["angle"]]),
        "flip": lambda im, p: cv2.flip(im, {"h": 1, "v": 0, "both": -1}[p["axis"]]),
        "blur": lambda im, p: cv2.GaussianBlur(im, (p.get("ksize", 5),) * 2, p.get("sigma", 0)),
        "sharpen": sharpen,
        "facecrop": facecrop,
    }


def option(args, name, default):
    return args[args.index(name) + 1] if name in args else default


def main():
    args = sys.argv[1:]
    path = args[0]
    repeat = int(option(args, "--repeat", 30))
    warmup = int(option(args, "--warmup", 10))
    op_cases = json.loads(option(args, "--cases", "[]"))
    cv2.setNumThreads(1)
    data = open(path, "rb").read()
    buf = numpy.frombuffer(data, dtype="uint8")
    im = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    h, w = im.shape[:2]
    ops = mirrors(cv2.CascadeClassifier(CASCADE))

    cases = {
        "decode jpeg": lambda: cv2.imdecode(buf, cv2.IMREAD_COLOR),
        "encode png": lambda: cv2.imencode(".png", im),
        "encode jpeg": lambda: cv2.imencode(".jpg", im),
    }
    missing = []
    for c in op_cases:
        mirror = ops.get(c["op"])
        if mirror is None:
            missing.append(c["name"])
        else:
            cases[c["name"]] = (lambda f, p: lambda: f(im, p))(mirror, c["params"])

    h800 = side(h * 800 / w)

    def pipeline():
        m = cv2.imdecode(buf, cv2.IMREAD_COLOR)
        g = cv2.cvtColor(m, cv2.COLOR_BGR2GRAY)
        _, t = cv2.threshold(area_or_linear(g, (800, h800)), 127, 255, cv2.THRESH_BINARY)
        return cv2.imencode(".png", t)

    def separate():
        g = cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2GRAY)
        png = cv2.imencode(".png", g)[1]
        # pixelbus's workers decode every input as 3 channels (cv2.imread's default), and so does this.
        r = area_or_linear(cv2.imdecode(png, cv2.IMREAD_COLOR), (800, h800))
        png = cv2.imencode(".png", r)[1]
        g = cv2.cvtColor(cv2.imdecode(png, cv2.IMREAD_COLOR), cv2.COLOR_BGR2GRAY)
        return cv2.imencode(".png", cv2.threshold(g, 127, 255, cv2.THRESH_BINARY)[1])

    cases["pipeline of 3, one job"] = pipeline
    cases["the 3 steps as 3 jobs"] = separate
    # Round after round of every case, one call each: a slower moment of a shared machine falls on all alike.
    for _ in range(warmup):
        for call in cases.values():
            call()
    ms = {name: [] for name in cases}
    for _ in range(repeat):
        for name, call in cases.items():
            t0 = time.perf_counter()
            call()
            ms[name].append((time.perf_counter() - t0) * 1000)
    out = {}
    for name, v in ms.items():
        v.sort()
        mid = len(v) // 2
        out[name] = round(v[mid] if len(v) % 2 else (v[mid - 1] + v[mid]) / 2, 3)
    for name in missing:
        out[name] = None
    print(json.dumps(out))


main()
