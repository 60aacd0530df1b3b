#!/usr/bin/env python3
"""The course's asynchronous downloader (Mastering Concurrency in Python, chapter 11, examples 6 and 7),
rewritten faithfully: aiohttp + aiofiles, one ClientSession per URL, the body read in 1 KB chunks and
each chunk written with aiofiles, every URL gathered at once with no concurrency limit, and the whole
run timed: it ends with "Took X seconds.".

Usage: course_fetch.py [-o DIR] [-i FILE|-] [URL...]

Beyond the course:
  - the URLs come from -i FILE (one per line; "-" is stdin; blank lines and lines starting with "#"
    skipped) and/or from the arguments, not from a list in the source;
  - -o DIR (default "output", as in the course) is where the files go; it is created if missing;
  - each file is still named DIR/<basename of the URL>.html, as in the course (so f00001.bin is
    saved as f00001.bin.html);
  - the soft limit on open files is raised to the hard limit at start: gathering 10,000 URLs at once
    holds a socket and, while the body is written, a file per URL, more than the usual soft limit of
    1,024 (the course's 5 URLs never met it);
  - the event loop is created explicitly (new_event_loop) instead of asyncio.get_event_loop() at
    module level, which Python 3.10+ deprecates outside a running loop; the loop runs the same gather;
  - the exit code is 1 if any download failed (the course let the exception end the run), each
    failure printed on stderr; a response that is not 200 counts as a failure, its body still saved
    (as the course would).
"""
import argparse
import asyncio
import os
import resource
import sys
from timeit import default_timer as timer

import aiofiles
import aiohttp


async def download_html(session, url, output_dir):
    async with session.get(url, ssl=False) as res:
        filename = f'{output_dir}/{os.path.basename(url)}.html'
        async with aiofiles.open(filename, 'wb') as f:
            while True:
                chunk = await res.content.read(1024)
                if not chunk:
                    break
                await f.write(chunk)
        if res.status != 200:
            raise RuntimeError(f'HTTP {res.status}')
        return await res.release()


async def main(url, output_dir):
    async with aiohttp.ClientSession() as session:
        await download_html(session, url, output_dir)


def read_urls(args):
    urls = []
    if args.input is not None:
        f = sys.stdin if args.input == '-' else open(args.input)
        with f:
            urls.extend(line.strip() for line in f)
    urls.extend(args.urls)
    return [u for u in urls if u and not u.startswith('#')]


def raise_nofile_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError):
            pass


if __name__ == '__main__':
    ap = argparse.ArgumentParser(description="The course's aiohttp + aiofiles downloader.")
    ap.add_argument('-o', '--output', default='output', help='output folder (default: output)')
    ap.add_argument('-i', '--input', help='a file of URLs, one per line ("-" for stdin)')
    ap.add_argument('urls', nargs='*')
    args = ap.parse_args()
    urls = read_urls(args)
    if not urls:
        ap.error('no URLs (give them as arguments or with -i FILE)')
    os.makedirs(args.output, exist_ok=True)
    raise_nofile_limit()

    start = timer()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    results = loop.run_until_complete(asyncio.gather(*(main(url, args.output) for url in urls),
                                                     return_exceptions=True))
    print(f'Took {timer() - start :.2f} seconds.')
    failed = [(u, r) for u, r in zip(urls, results) if isinstance(r, BaseException)]
    for u, r in failed[:20]:
        print(f'{u}: {type(r).__name__}: {r}', file=sys.stderr)
    if failed:
        print(f'{len(failed)} of {len(urls)} downloads failed', file=sys.stderr)
        sys.exit(1)
