#!/usr/bin/env python3
"""The Python client from a checkout, without installing it: the package lives in clients/python
(``pip install clients/python`` gives ``import pixelbus`` and the ``pixelbus-client`` command). This file keeps
``python3 scripts/pixelbus_client.py ...`` and ``from pixelbus_client import PixelbusClient`` working for the
demos and for anyone who used them."""

import os
import sys

# first on the path, so the checkout's package wins over an older one installed elsewhere
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "clients", "python", "src"))

from pixelbus import *  # noqa: E402,F401,F403  (the names the old single file exported)
from pixelbus import __all__  # noqa: E402,F401
from pixelbus.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
