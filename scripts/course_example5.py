#!/usr/bin/env python3
"""The course's example 5 (Mastering Concurrency in Python, chapter 10), rewritten faithfully.

The parent reads every image with cv2.imread and ships the pixel arrays to a multiprocessing.Pool,
whose workers convert to grey, run an adaptive Gaussian threshold (blockSize 11, C 2) and write the
result under the same name. As in the course, each time covers the whole pool: creating it, reading,
pickling, processing and writing.

Usage: course_example5.py INPUT_DIR OUTPUT_DIR [--processes 1..6] [--repeat R] [--json FILE]

Beyond the course: --repeat R reports the median of R runs, after one warm-up run, and each run
writes into a new empty folder under OUTPUT_DIR, deleted after it is timed; pixelbus bench does the
same, so that neither pays for overwriting the other's files.
"""
import argparse
import json
import os
import shutil
import statistics
import sys
from multiprocessing import Pool
from timeit import default_timer as timer

import cv2

THRESH_METHOD = cv2.ADAPTIVE_THRESH_GAUSSIAN_C


def process_threshold(im, output_path, thresh_method):
    gray_im = cv2.cvtColor(im, cv2.COLOR_BGR2GRAY)
    thresh_im = cv2.adaptiveThreshold(gray_im, 255, thresh_method, cv2.THRESH_BINARY, 11, 2)
    cv2.imwrite(output_path, thresh_im)


def run(names, input_dir, output_dir, n_processes):
    with Pool(n_processes) as p:
        p.starmap(process_threshold, [(
            cv2.imread(os.path.join(input_dir, name)),
            os.path.join(output_dir, name),
            THRESH_METHOD
        ) for name in names])


def main(runner):
    ap = argparse.ArgumentParser()
    ap.add_argument("input_dir")
    ap.add_argument("output_dir")
    ap.add_argument("--processes", default="1..6", help="a range A..B or a list 1,2,4")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--json", help="write the times here")
    a = ap.parse_args()
    if ".." in a.processes:
        lo, hi = a.processes.split("..")
        counts = list(range(int(lo), int(hi) + 1))
    else:
        counts = [int(x) for x in a.processes.split(",")]
    os.makedirs(a.output_dir, exist_ok=True)
    names = sorted(n for n in os.listdir(a.input_dir) if not n.startswith("."))
    results = []
    for n_processes in counts:
        times = []
        for r in range(-1, a.repeat):
            out = os.path.join(a.output_dir, "p%d-%d" % (n_processes, r))
            os.makedirs(out)
            start = timer()
            runner(names, a.input_dir, out, n_processes)
            if r >= 0:
                times.append(timer() - start)
            shutil.rmtree(out)
        t = statistics.median(times)
        print('Took %.4f seconds with %i process(es).' % (t, n_processes), flush=True)
        results.append({"workers": n_processes, "seconds": t, "all": times})
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"images": len(names), "results": results, "opencv": cv2.__version__}, f, indent=1)


if __name__ == '__main__':
    main(run)
