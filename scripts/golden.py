#!/usr/bin/env python3
"""Computes the golden values that ImageOpsGoldenTest checks, with Python's cv2.

Usage: python3 scripts/golden.py [IMAGE_DIR] > pixelbus-testkit/src/main/resources/golden.json
Each entry holds the SHA-256 of the output's raw pixel bytes (row-major, as numpy
stores them), so a match means pixel-for-pixel equality with cv2, not just similar counts.
"""
import hashlib
import json
import math
import os
import sys

import cv2

d = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "pixelbus-testkit/src/main/resources/images")
TYPES = {"binary": cv2.THRESH_BINARY, "binary_inv": cv2.THRESH_BINARY_INV, "trunc": cv2.THRESH_TRUNC,
         "tozero": cv2.THRESH_TOZERO, "tozero_inv": cv2.THRESH_TOZERO_INV}


def digest(m):
    return {"sha256": hashlib.sha256(m.tobytes()).hexdigest(), "sum": int(m.sum(dtype="int64")),
            "nonZero": int(cv2.countNonZero(m))}


# The cascade the workers use (the same file as Debian's opencv-data has).
CASCADE = os.path.join(os.path.dirname(__file__), "..",
                       "pixelbus-image/src/main/resources/dev/pixelbus/cascades/haarcascade_frontalface_default.xml")


def pixels(m):
    """A result of any number of channels: its size and the SHA-256 of its pixel bytes."""
    return {"width": int(m.shape[1]), "height": int(m.shape[0]), "channels": 1 if m.ndim == 2 else int(m.shape[2]),
            "sha256": hashlib.sha256(m.tobytes()).hexdigest()}


def side(v):
    """The rounding of Specs.Resize: half up, at least 1."""
    return max(1, int(math.floor(v + 0.5)))


def resize(im, w, h):
    """cv2.resize with pixelbus's default interpolation: INTER_AREA when shrinking, INTER_LINEAR otherwise."""
    shrink = w * h < im.shape[1] * im.shape[0]
    return cv2.resize(im, (w, h), interpolation=cv2.INTER_AREA if shrink else cv2.INTER_LINEAR)


def geometry(im, gray):
    h, w = im.shape[:2]
    r = {}
    r["resize width 200"] = pixels(resize(im, 200, side(h * 200 / w)))
    r["resize height 90"] = pixels(resize(im, side(w * 90 / h), 90))
    r["resize scale 2"] = pixels(resize(im, side(w * 2), side(h * 2)))
    r["resize 100x60 fill"] = pixels(resize(im, 100, 60))
    s = min(100 / w, 60 / h)
    iw, ih = (100, side(h * s)) if s == 100 / w else (side(w * s), 60)
    r["resize 100x60 inside"] = pixels(resize(im, iw, ih))
    s = max(100 / w, 60 / h)
    cw, ch = (100, side(h * s)) if s == 100 / w else (side(w * s), 60)
    big = resize(im, cw, ch)
    x, y = (cw - 100) // 2, (ch - 60) // 2
    r["resize 100x60 cover"] = pixels(big[y:y + 60, x:x + 100].copy())
    r["crop 10,20 100x50"] = pixels(im[20:70, 10:110].copy())
    r["rotate 90"] = pixels(cv2.rotate(im, cv2.ROTATE_90_CLOCKWISE))
    r["rotate 180"] = pixels(cv2.rotate(im, cv2.ROTATE_180))
    r["rotate 270"] = pixels(cv2.rotate(im, cv2.ROTATE_90_COUNTERCLOCKWISE))
    r["flip h"] = pixels(cv2.flip(im, 1))
    r["flip v"] = pixels(cv2.flip(im, 0))
    r["flip both"] = pixels(cv2.flip(im, -1))
    r["blur 5"] = pixels(cv2.GaussianBlur(im, (5, 5), 0))
    r["blur 9 sigma 2.5"] = pixels(cv2.GaussianBlur(im, (9, 9), 2.5))
    g = resize(gray, 200, side(h * 200 / w))
    _, t = cv2.threshold(g, 127, 255, cv2.THRESH_BINARY)
    r["grayscale, resize width 200, threshold 127"] = pixels(t)
    return r


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
    cascade = cv2.CascadeClassifier(CASCADE)
    g["faces"] = sorted([[int(v) for v in f] for f in cascade.detectMultiScale(gray)])
    g["geometry"] = geometry(im, gray)
    out["images"][name] = g
json.dump(out, sys.stdout, indent=1)
print()
