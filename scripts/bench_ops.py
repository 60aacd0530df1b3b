#!/usr/bin/env python3
"""The cv2 side of scripts/bench-ops: the same calls as `pixelbus ops-time`, under the same names.

Usage: /usr/bin/python3 scripts/bench_ops.py IMAGE [--repeat N] [--warmup N]
Prints one JSON object of median milliseconds per case (one thread: cv2.setNumThreads(1)).
"""
import json
import math
import os
import sys
import time

import cv2

CASCADE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                       "pixelbus-image/src/main/resources/dev/pixelbus/cascades/haarcascade_frontalface_default.xml")


def main():
    args = sys.argv[1:]
    path = args[0]
    repeat = int(args[args.index("--repeat") + 1]) if "--repeat" in args else 30
    warmup = int(args[args.index("--warmup") + 1]) if "--warmup" in args else 10
    cv2.setNumThreads(1)
    data = open(path, "rb").read()
    buf = __import__("numpy").frombuffer(data, dtype="uint8")
    im = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    gray = cv2.cvtColor(im, cv2.COLOR_BGR2GRAY)
    h, w = im.shape[:2]
    cascade = cv2.CascadeClassifier(CASCADE)

    def area_or_linear(src, size):
        shrink = size[0] * size[1] < src.shape[1] * src.shape[0]
        return cv2.resize(src, size, interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)

    def facecrop():
        g = cv2.cvtColor(im, cv2.COLOR_BGR2GRAY)
        faces = cascade.detectMultiScale(g)
        if len(faces):
            x, y, fw, fh = max(faces, key=lambda f: f[2] * f[3])
            m = 0.3
            x0, y0 = max(0, int(math.floor(x - m * fw + 0.5))), max(0, int(math.floor(y - m * fh + 0.5)))
            x1, y1 = min(w, int(math.floor(x + fw + m * fw + 0.5))), min(h, int(math.floor(y + fh + m * fh + 0.5)))
        else:
            s = min(w, h)
            x0, y0, x1, y1 = (w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s
        return im[y0:y1, x0:x1].copy()

    h800 = int(math.floor(h * 800 / w + 0.5))
    cases = {
        "decode jpeg": lambda: cv2.imdecode(buf, cv2.IMREAD_COLOR),
        "encode png": lambda: cv2.imencode(".png", im),
        "grayscale": lambda: cv2.cvtColor(im, cv2.COLOR_BGR2GRAY),
        "threshold 127": lambda: cv2.threshold(gray, 127, 255, cv2.THRESH_BINARY),
        "adaptive gaussian 11 2": lambda: cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 11, 2),
        "resize width 800": lambda: area_or_linear(im, (800, h800)),
        "resize scale 2": lambda: area_or_linear(im, (w * 2, h * 2)),
        "crop 100,50 300x200": lambda: im[50:250, 100:400].copy(),
        "rotate 90": lambda: cv2.rotate(im, cv2.ROTATE_90_CLOCKWISE),
        "flip h": lambda: cv2.flip(im, 1),
        "blur 5": lambda: cv2.GaussianBlur(im, (5, 5), 0),
        "faces": lambda: cascade.detectMultiScale(gray),
        "facecrop": facecrop,
    }

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
    print(json.dumps(out))


main()
