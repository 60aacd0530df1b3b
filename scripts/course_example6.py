#!/usr/bin/env python3
"""The course's example 6 (Mastering Concurrency in Python, chapter 10), rewritten faithfully.

Unlike example 5, each worker process reads its own file: only the names cross the process
boundary. Same operation (grey, adaptive Gaussian threshold 11/2, write under the same name), same
command line as course_example5.py.
"""
import os
import sys
from multiprocessing import Pool

import cv2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from course_example5 import THRESH_METHOD, main  # noqa: E402


def process_threshold(input_path, output_path, thresh_method):
    im = cv2.imread(input_path)
    gray_im = cv2.cvtColor(im, cv2.COLOR_BGR2GRAY)
    thresh_im = cv2.adaptiveThreshold(gray_im, 255, thresh_method, cv2.THRESH_BINARY, 11, 2)
    cv2.imwrite(output_path, thresh_im)


def run(names, input_dir, output_dir, n_processes):
    with Pool(n_processes) as p:
        p.starmap(process_threshold, [(
            os.path.join(input_dir, name),
            os.path.join(output_dir, name),
            THRESH_METHOD
        ) for name in names])


if __name__ == '__main__':
    main(run)
