"""Errors raised by adapters, and their classification for the Odoo processors.

A processor that runs a partner message catches whatever the handler raises and asks
:func:`error_kind` how to file it:

* ``transient``: worth retrying later (network, timeouts, 429, 5xx); the message goes to
  ``retry`` and then ``dead`` when attempts run out.
* ``business``: retrying the same payload gives the same result (bad data, unknown reference,
  a format error); the message goes to ``error`` and waits for a person.
* ``security``: the message is not trusted (bad signature, replay, wrong credentials).
"""

ERROR_KIND_TRANSIENT = "transient"
ERROR_KIND_BUSINESS = "business"
ERROR_KIND_SECURITY = "security"

ERROR_KINDS = (ERROR_KIND_TRANSIENT, ERROR_KIND_BUSINESS, ERROR_KIND_SECURITY)


class AdapterError(Exception):
    """Base class of every error raised on purpose by ``logistics_adapters``."""


class ParseError(AdapterError):
    """A partner payload could not be read.

    Carries where the problem is, as far as the codec knows it: the ``format`` (codec name),
    the ``field`` path (``result.tracking_details[2].datetime``), the EDI ``segment``, the
    ``line`` and ``column`` (1-based) and a ``position`` (character offset, or element
    position inside an EDI segment). All are optional.
    """

    def __init__(
        self,
        message,
        *,
        format=None,
        field=None,
        segment=None,
        line=None,
        column=None,
        position=None,
    ):
        super().__init__(message)
        self.message = message
        self.format = format
        self.field = field
        self.segment = segment
        self.line = line
        self.column = column
        self.position = position

    def __reduce__(self):
        return (_rebuild_parse_error, (self.message, self._location()))

    def __str__(self):
        head = f"{self.format}: " if self.format else ""
        where = self._where()
        where = f"{where}: " if where else ""
        tail = self._coordinates()
        tail = f" ({tail})" if tail else ""
        return f"{head}{where}{self.message}{tail}"

    def _location(self):
        return {
            "format": self.format,
            "field": self.field,
            "segment": self.segment,
            "line": self.line,
            "column": self.column,
            "position": self.position,
        }

    def _where(self):
        parts = []
        if self.segment is not None:
            parts.append(f"segment {str(self.segment)!r}")
        if self.field is not None:
            parts.append(f"field {str(self.field)!r}")
        return ", ".join(parts)

    def _coordinates(self):
        parts = []
        for name in ("line", "column", "position"):
            value = getattr(self, name)
            if value is not None:
                parts.append(f"{name} {value}")
        return ", ".join(parts)

    def with_format(self, format):
        """Return this error with ``format`` set when the raiser did not know it."""
        if self.format is None:
            self.format = format
        return self


def _rebuild_parse_error(message, location):
    return ParseError(message, **location)


class TransientError(AdapterError):
    """A failure that may succeed later; ``retry_after`` is a hint in seconds, if known."""

    def __init__(self, message, *, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after

    def __reduce__(self):
        message = self.args[0] if self.args else ""
        return (_rebuild_transient_error, (message, self.retry_after))


def _rebuild_transient_error(message, retry_after):
    return TransientError(message, retry_after=retry_after)


class BusinessError(AdapterError):
    """A failure that retrying will not fix; a person must look at the data."""


class SecurityError(AdapterError):
    """The message or the partner could not be trusted (signature, replay, credentials)."""


class UnknownFormatError(AdapterError, LookupError):
    """No codec is registered under the requested name."""


def error_kind(exc):
    """Return how a processor should file ``exc``: transient, business or security.

    Our own classes decide; the standard library's ``TimeoutError`` and ``ConnectionError``
    count as transient; a :class:`ParseError` and anything else count as business, so an
    unexpected bug waits for a person instead of being retried forever.
    """
    if isinstance(exc, SecurityError):
        return ERROR_KIND_SECURITY
    if isinstance(exc, (TransientError, TimeoutError, ConnectionError)):
        return ERROR_KIND_TRANSIENT
    return ERROR_KIND_BUSINESS
