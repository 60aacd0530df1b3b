#!/usr/bin/env python3
"""Writes the test images under pixelbus-testkit/src/main/resources/images (run once; the outputs are committed).

astronaut.*: NASA's public-domain portrait of Eileen Collins, from Debian's python3-skimage
             data folder, scaled to 256x256 (a real face for the cascade).
shapes.png:  drawn here: gradients, circles and text, with no face in it.
gray16.png:  a 16-bit single-channel gradient, for `info`.
rgba.png:    four channels, for `info`.
"""
import os
import sys

import cv2
import numpy as np

SRC = "/usr/lib/python3/dist-packages/skimage/data/astronaut.png"
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "pixelbus-testkit/src/main/resources/images")
os.makedirs(out, exist_ok=True)

astro = cv2.resize(cv2.imread(SRC), (256, 256), interpolation=cv2.INTER_AREA)
cv2.imwrite(os.path.join(out, "astronaut.png"), astro)
cv2.imwrite(os.path.join(out, "astronaut.jpg"), astro, [cv2.IMWRITE_JPEG_QUALITY, 90])

h, w = 180, 240
x = np.tile(np.arange(w, dtype=np.uint16), (h, 1))
y = np.tile(np.arange(h, dtype=np.uint16).reshape(h, 1), (1, w))
shapes = np.dstack([(x * 255 // w), (y * 255 // h), ((x + y) * 255 // (w + h))]).astype(np.uint8)
cv2.circle(shapes, (60, 60), 40, (255, 255, 255), -1)
cv2.circle(shapes, (170, 110), 50, (20, 20, 20), 6)
cv2.rectangle(shapes, (20, 120), (110, 170), (0, 0, 255), -1)
cv2.putText(shapes, "pixelbus", (110, 40), cv2.FONT_HERSHEY_SIMPLEX, 0.9, (0, 0, 0), 2)
cv2.imwrite(os.path.join(out, "shapes.png"), shapes)

gray16 = (np.tile(np.arange(64, dtype=np.uint32), (32, 1)) * 1000).astype(np.uint16)
cv2.imwrite(os.path.join(out, "gray16.png"), gray16)

rgba = np.zeros((16, 24, 4), dtype=np.uint8)
rgba[:, :] = (10, 20, 30, 128)
cv2.imwrite(os.path.join(out, "rgba.png"), rgba)
