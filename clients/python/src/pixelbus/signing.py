"""Signed GET URLs for ``<img src>`` (``GET /v1/images/OP?url=SOURCE&...&sig=``); no connection needed.

The server checks ``sig`` against every key of ``http.sources.signingKeys``: the URL-safe base64, without
padding, of HMAC-SHA256(key, the request target up to ``&sig=``). ``sig`` comes last so that nothing can be
added to a signed URL. ``java -jar pixelbus.jar sign`` computes the same string (scripts/demo-web-source
compares the two).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import urllib.parse

from .wire import params as _params


def sign(key: str, target: str) -> str:
    """``target`` (a path and query as it will be sent: ``/v1/images/resize?url=...&width=300``) with
    ``&sig=`` appended: URL-safe base64 without padding of HMAC-SHA256(key, target), as the server checks it
    (``http.sources.signingKeys``). ``sig`` must stay the last parameter."""
    if "?sig=" in target or "&sig=" in target:
        raise ValueError("the target is signed already (it holds sig=)")
    digest = hmac.new(key.encode("utf-8"), target.encode("utf-8"), hashlib.sha256).digest()
    signature = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return target + ("&" if "?" in target else "?") + "sig=" + signature


def image_url(op: str, source: str, *, key: str | None = None, base: str = "", **params) -> str:
    """The GET URL of ``op`` on the image at ``source``: ``base + /v1/images/OP?url=SOURCE&NAME=VALUE...``,
    the source and values percent-encoded, signed with ``key`` when given. A ``steps`` list (for the
    pipeline) is sent as JSON.

        image_url("resize", "https://example.com/a.jpg", key=KEY, base="https://img.example.com", width=300)
    """
    query = [("url", source)]
    for name, value in _params(params).items():
        if isinstance(value, (list, dict)):
            value = json.dumps(value, separators=(",", ":"))
        elif isinstance(value, bool):
            value = "true" if value else "false"  # Python's True is not the server's boolean spelling
        query.append((name, str(value)))
    # the source percent-encoded whole (safe=""), so that its own ? and & cannot be read as the outer query's;
    # quote rather than quote_plus: a space is %20 in a path and a query alike
    target = f"/v1/images/{op}?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote, safe="")
    return base.rstrip("/") + (sign(key, target) if key else target)
