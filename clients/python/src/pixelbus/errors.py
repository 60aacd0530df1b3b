"""The exceptions every part of the client raises.

They carry the service's own codes (``dev.pixelbus.api.ErrorCode``: HTTP status codes, so no table is needed
here), not Python-specific ones, so that a caller can act on a 415 the same way from Python, Node or HTTP.
"""

from __future__ import annotations


class PixelbusError(Exception):
    """A request that failed: ``code`` is the pixelbus code (400, 403, 404, 413, 415, 500, 503; -1 for
    an event-bus failure such as a timeout), ``message`` says why, ``failure_type`` is the event bus's
    (RECIPIENT_FAILURE, TIMEOUT, NO_HANDLERS) when there is one, ``address`` the address asked and
    ``frame`` the bridge's err frame as received (None when the error was raised here)."""

    def __init__(self, code, message, *, failure_type=None, address=None, frame=None):
        super().__init__(code, message)
        self.code = code
        self.message = message
        self.failure_type = failure_type
        self.address = address
        self.frame = frame

    def __str__(self):
        return f"{self.code} {self.message}"


class PixelbusTimeout(PixelbusError, TimeoutError):
    """No reply in time: from the server (failureType TIMEOUT) or from the client's own wait."""


class PixelbusConnectionError(PixelbusError, ConnectionError):
    """The connection could not be made, is closed, or was lost while the request waited.

    It is also a ConnectionError (so an OSError): code written as ``except OSError`` around connect() keeps
    working."""
