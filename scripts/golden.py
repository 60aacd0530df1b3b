#!/usr/bin/env python3
"""Computes the golden values that ImageOpsGoldenTest checks, with Python's cv2.

Usage: python3 scripts/golden.py [IMAGE_DIR] > pixelbus-testkit/src/main/resources/golden.json
Each entry holds the SHA-256 of the output's raw pixel bytes (row-major, as numpy
stores them), so a match means pixel-for-pixel equality with cv2, not just similar counts.
"""
import hashlib
import json
import os
import sys

import cv2

d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "pixelbus-testkit/src/main/resources/images")
TYPES = {"binary": cv2.THRESH_BINARY, "binary_inv": cv2.THRESH_BINARY_INV, "trunc": cv2.THRESH_TRUNC,
         "tozero": cv2.THRESH_TOZERO, "tozero_inv": cv2.THRESH_TOZERO_INV}


def digest(m):
    return {"sha256": hashlib.sha256(m.tobytes()).hexdigest(), "sum": int(m.sum(dtype="int64")),
            "nonZero": int(cv2.countNonZero(m))}


out = {"opencv": cv2.__version__, "images": {}}
for name in ["astronaut.png", "astronaut.jpg", "shapes.png"]:
    im = cv2.imread(os.path.join(d, name))
    gray = cv2.cvtColor(im, cv2.COLOR_BGR2GRAY)
    g = {"topLeft": [int(v) for v in im[0, 0]], "grayscale": digest(gray), "threshold": {}, "adaptive": {}}
    for tname, t in TYPES.items():
        _, r = cv2.threshold(gray, 127, 255, t)
        g["threshold"][tname] = digest(r)
    for flag, fname in [(cv2.THRESH_OTSU, "otsu"), (cv2.THRESH_TRIANGLE, "triangle")]:
        t, r = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + flag)
        g["threshold"][fname] = dict(digest(r), threshold=float(t))
    for mname, m in [("mean", cv2.ADAPTIVE_THRESH_MEAN_C), ("gaussian", cv2.ADAPTIVE_THRESH_GAUSSIAN_C)]:
        g["adaptive"][mname] = digest(cv2.adaptiveThreshold(gray, 255, m, cv2.THRESH_BINARY, 11, 2))
    cascade = cv2.CascadeClassifier("/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml")
    g["faces"] = sorted([[int(v) for v in f] for f in cascade.detectMultiScale(gray)])
    out["images"][name] = g
json.dump(out, sys.stdout, indent=1)
print()
