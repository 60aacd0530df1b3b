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
import numpy as np

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


def jround(v):
    """Java's Math.round: half up."""
    return int(math.floor(v + 0.5))


def facecrop_box(w, h, face, margin=0.3, size=None):
    """Specs.FaceCrop.box: the face grown by margin on every side, clipped (or, with a size, to its aspect ratio)."""
    if face is None:
        a = 1.0 if size is None else size[0] / size[1]
        bw = max(1, min(w, jround(h * a)))
        bh = max(1, min(h, jround(bw / a)))
        return ((w - bw) // 2, (h - bh) // 2, bw, bh)
    fx, fy, fw, fh = face
    x0, y0 = fx - margin * fw, fy - margin * fh
    x1, y1 = fx + fw + margin * fw, fy + fh + margin * fh
    if size is None:
        bx, by = max(0, jround(x0)), max(0, jround(y0))
        bx1, by1 = min(w, jround(x1)), min(h, jround(y1))
        return (bx, by, max(1, bx1 - bx), max(1, by1 - by))
    a = size[0] / size[1]
    bw, bh = x1 - x0, y1 - y0
    if bw / bh < a:
        bw = bh * a
    else:
        bh = bw / a
    fit = min(1.0, w / bw, h / bh)
    iw = max(1, min(w, jround(bw * fit)))
    ih = max(1, min(h, jround(bh * fit)))
    cx, cy = fx + fw / 2, fy + fh / 2
    bx = max(0, min(w - iw, jround(cx - iw / 2)))
    by = max(0, min(h - ih, jround(cy - ih / 2)))
    return (bx, by, iw, ih)


def largest(faces):
    """ImageOps.largest: the largest by area, the first of equals in detectMultiScale's order."""
    best = None
    for f in faces:
        if best is None or f[2] * f[3] > best[2] * best[3]:
            best = f
    return None if best is None else tuple(int(v) for v in best)


def facecrop(im, gray, size=None):
    face = largest(cv2.CascadeClassifier(CASCADE).detectMultiScale(gray))
    x, y, w, h = facecrop_box(im.shape[1], im.shape[0], face, size=size)
    out = im[y:y + h, x:x + w].copy()
    if size is not None:
        out = resize(out, size[0], size[1])
    r = pixels(out)
    r["face"] = None if face is None else list(face)
    r["crop"] = [x, y, w, h]
    return r


def sharpen(im, sigma=1.0, amount=1.0):
    """Sharpen: the unsharp mask of the issue, cv2.addWeighted(im, 1 + amount, GaussianBlur(im, (0, 0), sigma), -amount, 0)."""
    return cv2.addWeighted(im, 1 + amount, cv2.GaussianBlur(im, (0, 0), sigma), -amount, 0)


def case(steps, result):
    """A case as the workers run it: its steps (the contract's JSON) and cv2's result."""
    return dict(result, steps=steps)


def geometry(im, gray):
    """Each case: the steps pixelbus runs, and the pixels cv2 gives for them."""
    h, w = im.shape[:2]
    r = {}
    r["resize width 200"] = case([{"op": "resize", "width": 200}], pixels(resize(im, 200, side(h * 200 / w))))
    r["resize height 90"] = case([{"op": "resize", "height": 90}], pixels(resize(im, side(w * 90 / h), 90)))
    r["resize scale 2"] = case([{"op": "resize", "scale": 2}], pixels(resize(im, side(w * 2), side(h * 2))))
    box = {"op": "resize", "width": 100, "height": 60}
    r["resize 100x60 fill"] = case([dict(box, fit="fill")], pixels(resize(im, 100, 60)))
    s = min(100 / w, 60 / h)
    iw, ih = (100, side(h * s)) if s == 100 / w else (side(w * s), 60)
    r["resize 100x60 inside"] = case([dict(box, fit="inside")], pixels(resize(im, iw, ih)))
    s = max(100 / w, 60 / h)
    cw, ch = (100, side(h * s)) if s == 100 / w else (side(w * s), 60)
    big = resize(im, cw, ch)
    x, y = (cw - 100) // 2, (ch - 60) // 2
    r["resize 100x60 cover"] = case([dict(box, fit="cover")], pixels(big[y:y + 60, x:x + 100].copy()))
    r["crop 10,20 100x50"] = case([{"op": "crop", "x": 10, "y": 20, "w": 100, "h": 50}], pixels(im[20:70, 10:110].copy()))
    for angle, code in [(90, cv2.ROTATE_90_CLOCKWISE), (180, cv2.ROTATE_180), (270, cv2.ROTATE_90_COUNTERCLOCKWISE)]:
        r["rotate %d" % angle] = case([{"op": "rotate", "angle": angle}], pixels(cv2.rotate(im, code)))
    for axis, code in [("h", 1), ("v", 0), ("both", -1)]:
        r["flip " + axis] = case([{"op": "flip", "axis": axis}], pixels(cv2.flip(im, code)))
    r["blur 5"] = case(["blur"], pixels(cv2.GaussianBlur(im, (5, 5), 0)))
    r["blur 9 sigma 2.5"] = case([{"op": "blur", "ksize": 9, "sigma": 2.5}], pixels(cv2.GaussianBlur(im, (9, 9), 2.5)))
    r["sharpen"] = case(["sharpen"], pixels(sharpen(im)))
    r["sharpen sigma 2.5 amount 0.6"] = case([{"op": "sharpen", "sigma": 2.5, "amount": 0.6}], pixels(sharpen(im, 2.5, 0.6)))
    r["sharpen sigma 0.8 amount 3"] = case([{"op": "sharpen", "sigma": 0.8, "amount": 3}], pixels(sharpen(im, 0.8, 3)))
    r["grayscale, sharpen sigma 1.5"] = case(["grayscale", {"op": "sharpen", "sigma": 1.5}], pixels(sharpen(gray, 1.5)))
    g = resize(gray, 200, side(h * 200 / w))
    _, t = cv2.threshold(g, 127, 255, cv2.THRESH_BINARY)
    r["grayscale, resize width 200, threshold 127"] = case(
        ["grayscale", {"op": "resize", "width": 200}, {"op": "threshold", "value": 127}], pixels(t))
    r["facecrop"] = case([{"op": "facecrop", "fallback": "center"}], facecrop(im, gray))
    r["facecrop 64x64"] = case([{"op": "facecrop", "width": 64, "height": 64, "fallback": "center"}],
                               facecrop(im, gray, (64, 64)))
    return r


def shrink(path):
    """Shrink-on-load on a JPEG: cv2.imdecode with the IMREAD_REDUCED_COLOR flag pixelbus picks (the largest of
    1/8, 1/4, 1/2 that leaves at least twice the result), then the same resize to the size reckoned from the full
    image; and the full decode when shrinkOnLoad is false."""
    data = np.fromfile(path, dtype=np.uint8)
    full = cv2.imdecode(data, cv2.IMREAD_COLOR)
    h, w = full.shape[:2]
    flags = {1: cv2.IMREAD_COLOR, 2: cv2.IMREAD_REDUCED_COLOR_2, 4: cv2.IMREAD_REDUCED_COLOR_4, 8: cv2.IMREAD_REDUCED_COLOR_8}

    def scale_for(tw, th):
        for s in (8, 4, 2):
            if -(-w // s) >= 2 * tw and -(-h // s) >= 2 * th:
                return s
        return 1

    r = {}
    for width in (16, 32, 64, 100):
        tw, th = width, side(h * width / w)
        s = scale_for(tw, th)
        r["resize width %d" % width] = dict(pixels(resize(cv2.imdecode(data, flags[s]), tw, th)), decodeScale=s,
                                            steps=[{"op": "resize", "width": width}])
    r["resize width 16, shrinkOnLoad false"] = dict(pixels(resize(full, 16, side(h * 16 / w))), decodeScale=1,
                                                   steps=[{"op": "resize", "width": 16}], shrinkOnLoad=False)
    # facecrop to a size keeps 8 times its long side on the decode's short side: 16x16 from 256 decodes at 1/2.
    half = cv2.imdecode(data, cv2.IMREAD_REDUCED_COLOR_2)
    fc = facecrop(half, cv2.cvtColor(half, cv2.COLOR_BGR2GRAY), (16, 16))
    r["facecrop 16x16"] = dict(fc, decodeScale=2, steps=[{"op": "facecrop", "width": 16, "height": 16,
                                                          "fallback": "center"}])
    return r


def seed(d):
    """The issue's own cases, on the course's images (when ../shared/seed-data is there): for tests that run with it."""
    ship = cv2.imread(os.path.join(d, "ship.jpg"))
    h, w = ship.shape[:2]
    gray = cv2.cvtColor(ship, cv2.COLOR_BGR2GRAY)
    r = {"ship.jpg": {}, "obama1.jpeg": {}}
    r["ship.jpg"]["resize width 800"] = pixels(resize(ship, 800, side(h * 800 / w)))
    r["ship.jpg"]["rotate 90"] = pixels(cv2.rotate(ship, cv2.ROTATE_90_CLOCKWISE))
    r["ship.jpg"]["crop 100,50 300x200"] = pixels(ship[50:250, 100:400].copy())
    r["ship.jpg"]["blur 5"] = pixels(cv2.GaussianBlur(ship, (5, 5), 0))
    _, t = cv2.threshold(resize(gray, 800, side(h * 800 / w)), 127, 255, cv2.THRESH_BINARY)
    r["ship.jpg"]["grayscale, resize width 800, threshold 127"] = pixels(t)
    obama = cv2.imread(os.path.join(d, "obama1.jpeg"))
    r["obama1.jpeg"]["facecrop"] = facecrop(obama, cv2.cvtColor(obama, cv2.COLOR_BGR2GRAY))
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
    if name.endswith(".jpg"):
        g["shrink"] = shrink(os.path.join(d, name))
    out["images"][name] = g
seed_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "seed-data")
if os.path.isdir(seed_dir):
    out["seed"] = seed(seed_dir)
json.dump(out, sys.stdout, indent=1)
print()
