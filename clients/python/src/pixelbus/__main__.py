"""``python3 -m pixelbus ...``: the same command line as ``pixelbus-client``."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main(prog="python3 -m pixelbus"))
