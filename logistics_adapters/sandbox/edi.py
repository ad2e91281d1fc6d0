"""The sandbox's EDI partner: it takes what Odoo drops in a folder and answers with 997s.

The partner works on two partner folders (:mod:`logistics_adapters.transport.files`, a local
folder or SFTP): ``inbox``, where Odoo drops what it sends, and ``outbox``, where the partner
drops files for Odoo to take. In-process::

    partner = EdiPartner("/srv/edi/to_partner", "/srv/edi/from_partner")
    partner.pickup()  # answer what Odoo dropped: a 997 (or 999) per interchange
    partner.set_mode("reject")  # every set rejected from now on; "silent": no answer
    partner.send("214", [segments, segments])  # one interchange, two sets
    partner.send(duplicate=True)  # the same interchange again, same ISA13
    with partner:  # pickup every second in a background thread
        ...

In a sandbox server the partner's control routes are served under ``/_sandbox/edi``
(``Sandbox(route_sets=[partner])``): ``POST /mode``, ``POST /send``, ``POST /pickup``,
``GET`` / ``DELETE /log``; its partner route ``POST /edi/interchanges`` takes an interchange
over HTTPS into the inbox, as a dropped file. X12 only: a file that is no X12 is logged and
moved to the error folder.
"""

import contextlib
import copy
import logging
import os
import threading
import time
from collections import deque
from datetime import datetime, timezone

from ..errors import AdapterError, ParseError
from ..formats import x12
from ..transport.files import FileVanishedError, LocalFolder, UnreadableFileError
from .core import HttpError, LockedLog, RouteSet, check_keys, control_route, json_response, route

_logger = logging.getLogger(__name__)

ACCEPT, REJECT, SILENT = "accept", "reject", "silent"
MODES = (ACCEPT, REJECT, SILENT)
ACK_KINDS = ("997", "999")
MAX_LOG = 1000
MAX_CONTROL_NUMBER = 999_999_999
CONTROL_LEVELS = ("interchange", "group", "set")
_SEND_KEYS = ("kind", "sets", "duplicate", "wrong_counts", "usage", "file_name")
#: The trailers whose count (first element) ``wrong_counts`` spoils.
_COUNTED_TRAILERS = ("SE", "GE", "IEA")


class ControlNumbers:
    """The partner's own control numbers, one counter per level, safe across threads.

    Called as ``control_numbers(level)`` (``"interchange"``, ``"group"`` or ``"set"``), as
    :func:`logistics_adapters.formats.x12.acknowledge` expects; after 999999999 comes 1.
    """

    def __init__(self, first=1):
        self._lock = threading.Lock()
        self._next = dict.fromkeys(CONTROL_LEVELS, first)

    def __call__(self, level):
        with self._lock:
            number = self._next[level]
            self._next[level] = number % MAX_CONTROL_NUMBER + 1
        return number


def clock_start():
    """A first control number that grows with the clock, so that a restarted partner does
    not send control numbers it sent before (once per second at most)."""
    return int(time.time()) % MAX_CONTROL_NUMBER + 1


class EdiLog(LockedLog):
    """What the partner received and sent, newest last, at most ``limit`` entries."""

    def __init__(self, limit=MAX_LOG):
        super().__init__(deque(maxlen=limit))
        self._seq = 0

    def add(self, direction, **values):
        """Record an entry (``received`` or ``sent``) and return a copy of it."""
        with self.lock:
            self._seq += 1
            entry = {"seq": self._seq, "time": _now(), "direction": direction, **values}
            self._entries.append(entry)
            return copy.deepcopy(entry)

    def entries(self, direction=None, since=0):
        """Copies of the entries, of one ``direction`` if given, after sequence ``since``."""
        return self._copies(
            copy.deepcopy,
            lambda entry: entry["seq"] > since and direction in (None, entry["direction"]),
        )


class EdiPartner(RouteSet):
    """An X12 trading partner on two partner folders (see the module doc).

    ``inbox`` and ``outbox`` are partner folders or paths (a :class:`LocalFolder` is made).
    ``partner_id`` and ``our_id`` are ``(qualifier, id)``: the partner's own interchange id
    and Odoo's. ``version`` (GS08), ``usage`` (ISA15) and ``delimiters``
    (:class:`~logistics_adapters.formats.x12.Delimiters`) are those of what it sends; its
    answers keep the inbound ones. ``first_control`` starts its control numbers (default:
    from the clock, see :func:`clock_start`). ``min_age`` is the age in seconds a file needs
    before it is taken.
    """

    name = "edi"
    prefix = "/edi"
    recorded = False

    def __init__(
        self,
        inbox,
        outbox,
        *,
        partner_id=("ZZ", "SANDBOX"),
        our_id=("ZZ", "ODOO"),
        version="004010",
        usage="T",
        delimiters=None,
        first_control=None,
        min_age=0,
    ):
        self.inbox = _folder(inbox)
        self.outbox = _folder(outbox)
        self.partner_id = tuple(partner_id)
        self.our_id = tuple(our_id)
        self.version = version
        self.usage = usage
        self.delimiters = delimiters or x12.Delimiters()
        self.min_age = min_age
        self.control_numbers = ControlNumbers(first_control or clock_start())
        self.log = EdiLog()
        self.mode = ACCEPT
        self._io_lock = threading.RLock()
        self._received_posts = 0
        self._last_sent = None
        self._duplicates = 0
        self._stop = threading.Event()
        self._thread = None

    # -- modes and log -------------------------------------------------------------------------

    def set_mode(self, mode):
        """Answer what comes next by ``accept`` (X12 rules), ``reject`` (every set rejected)
        or ``silent`` (no answer: Odoo's acknowledgements become overdue)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode = mode
        return mode

    def entries(self, direction=None, since=0):
        """The log: ``received`` entries (file, interchanges and their sets, the answer sent)
        and ``sent`` entries (file, control number, sets), oldest first."""
        return self.log.entries(direction, since)

    def reset(self):
        """Forget the log and go back to accepting (the sandbox's reset calls this)."""
        self.log.clear()
        self.mode = ACCEPT

    # -- receiving -----------------------------------------------------------------------------

    def pickup(self):
        """Take every ready file of the inbox, answer it per the mode, archive it; return the
        log entries of the files taken."""
        with self._io_lock:
            ready = self.inbox.list_ready(min_age=self.min_age)
            taken = [self._take(entry.name) for entry in ready]
        return [entry for entry in taken if entry is not None]

    def _take(self, name):
        try:
            data = self.inbox.read(name)
        except FileVanishedError:
            return None
        except UnreadableFileError as exc:
            return self._refuse(name, exc)
        try:
            entry = self._receive(name, data)
        except ParseError as exc:
            return self._refuse(name, exc)
        self.inbox.archive(name)
        return entry

    def _refuse(self, name, exc):
        """Move ``name`` to the inbox's error folder and log why."""
        self.inbox.reject(name)
        return self._log_received(name, [], [], str(exc))

    def _receive(self, name, data):
        readings = x12.read(data)
        answers = self._answers(data, len(readings))
        interchanges = [
            _describe_reading(reading, self._deliver(answer))
            for reading, answer in zip(readings, answers, strict=True)
        ]
        handled = self._handle(readings, interchanges)
        return self._log_received(
            name, interchanges, _received_acks(data, readings), None, **handled
        )

    def _handle(self, readings, interchanges):
        """Act on the sets of ``readings`` once answered (``interchanges``: what the log says
        of each, its answer included); return values for the file's log entry. A partner that
        only acknowledges does nothing more (a subclass, such as the carrier, does)."""
        return {}

    def _log_received(self, name, interchanges, received_acks, error, **values):
        return self.log.add(
            "received",
            file=name,
            interchanges=interchanges,
            received_acks=received_acks,
            error=error,
            **values,
        )

    def _answers(self, data, count):
        """The answer (bytes or None) of each of ``count`` interchanges, per the mode."""
        if self.mode == SILENT:
            return [None] * count
        supported = () if self.mode == REJECT else None
        answers = x12.acknowledge_each(
            data, control_numbers=self.control_numbers, supported=supported
        )
        return [answer for _interchange, answer in answers]

    def _deliver(self, answer):
        """Write ``answer`` in the outbox; return what the log says of it (None: no answer)."""
        if answer is None:
            return None
        header = x12.read_header(answer)
        acks = [_ack_summary(ack) for ack in x12.read_acknowledgements(answer)]
        kinds = [ack["kind"] for ack in acks if ack["kind"] != "TA1"] or ["TA1"]
        file_name = f"{kinds[0]}_{header.control_number}.edi"
        self.outbox.write_atomic(file_name, answer)
        return {"file": file_name, "control_number": header.control_number, "acks": acks}

    # -- sending -------------------------------------------------------------------------------

    def send(
        self,
        kind=None,
        sets=None,
        *,
        duplicate=False,
        wrong_counts=False,
        usage=None,
        file_name=None,
    ):
        """Drop one interchange of ``sets`` (each a list of body segments, ``[tag, element,
        ...]``) of set ``kind`` (``"214"``) in the outbox; return ``(file_name, control
        number)``.

        ``duplicate=True`` drops the previous interchange again as it was (same ISA13) under
        another name; it takes no kind or sets. ``wrong_counts=True`` makes the first set's
        SE01, the GE01 and the IEA01 one too many. ``usage`` overrides the partner's (T or P).
        ValueError says what cannot be written.
        """
        if duplicate:
            if kind is not None or sets is not None or wrong_counts:
                raise ValueError("a duplicate re-sends the previous interchange as it was")
            return self._send_duplicate(_check_file_name(file_name))
        _check_file_name(file_name)
        payload, control = self._render(kind, sets, usage or self.usage)
        if wrong_counts:
            payload = spoil_counts(payload, self.delimiters)
        file_name = file_name or f"{kind}_{control}.edi"
        self._drop(file_name, kind, control, payload, wrong_counts=wrong_counts)
        return file_name, control

    def _drop(self, file_name, kind, control, payload, **flags):
        """Write ``payload`` in the outbox (the interchange a duplicate repeats) and log it
        as sent, with ``flags``."""
        with self._io_lock:
            self.outbox.write_atomic(file_name, payload)
            self._last_sent = (kind, control, payload)
        self._log_sent(file_name, kind, control, payload, **flags)

    def _render(self, kind, sets, usage):
        if not isinstance(kind, str) or kind not in x12.FUNCTIONAL_IDS:
            raise ValueError(f"kind must be one of {', '.join(x12.FUNCTIONAL_IDS)}, not {kind!r}")
        if not _is_list_of_sets(sets):
            raise ValueError("sets must be a non-empty list of sets, each a list of segments")
        payload = x12.render_sets(
            kind,
            sets,
            sender=self.partner_id,
            receiver=self.our_id,
            control_numbers=self.control_numbers,
            version=self.version,
            usage=usage,
            delimiters=self.delimiters,
        )
        return payload, x12.read_header(payload).control_number

    def _send_duplicate(self, file_name):
        with self._io_lock:
            if self._last_sent is None:
                raise ValueError("nothing was sent yet: there is no interchange to duplicate")
            kind, control, payload = self._last_sent
            self._duplicates += 1
            file_name = file_name or f"{kind}_{control}.dup{self._duplicates}.edi"
            self.outbox.write_atomic(file_name, payload)
        self._log_sent(file_name, kind, control, payload, duplicate=True)
        return file_name, control

    def send_sample(self, path, file_name=None):
        """Drop the file at ``path`` (a published sample) in the outbox as it is; return
        ``(file_name, ISA13)``, the control number empty when the file is no X12."""
        with open(path, "rb") as handle:
            payload = handle.read()
        file_name = file_name or os.path.basename(path)
        try:
            control = x12.read_header(payload).control_number
        except ParseError:
            control = ""
        with self._io_lock:
            self.outbox.write_atomic(file_name, payload)
        self._log_sent(file_name, "", control, payload, sample=os.fspath(path))
        return file_name, control

    def _log_sent(self, file_name, kind, control, payload, **flags):
        sets = []
        with contextlib.suppress(ParseError):  # a sample that is no X12 is sent all the same
            sets = [_describe_unit(unit) for unit in x12.X12Reader(payload)]
        self.log.add("sent", file=file_name, kind=kind, control_number=control, sets=sets, **flags)

    # -- background polling --------------------------------------------------------------------

    def start(self, poll_seconds=1.0):
        """Call :meth:`pickup` every ``poll_seconds`` in a daemon thread; return self."""
        if self._thread is not None:
            raise RuntimeError("the EDI partner is already polling")
        self._stop.clear()
        self._thread = threading.Thread(
            target=self._poll, args=(poll_seconds,), name="sandbox-edi", daemon=True
        )
        self._thread.start()
        return self

    def stop(self, timeout=5.0):
        """Stop polling (after the pickup under way) and close the folders."""
        thread, self._thread = self._thread, None
        self._stop.set()
        if thread is not None:
            thread.join(timeout)
        with self._io_lock:
            self.inbox.close()
            self.outbox.close()

    def __enter__(self):
        """Start polling every second unless :meth:`start` already did."""
        return self.start() if self._thread is None else self

    def __exit__(self, *exc_info):
        self.stop()

    def _poll(self, poll_seconds):
        while not self._stop.is_set():
            try:
                self.pickup()
            except AdapterError as exc:
                _logger.warning("EDI sandbox partner: pickup failed: %s", exc)
            self._stop.wait(poll_seconds)

    # -- partner route: EDI over HTTPS ---------------------------------------------------------

    @route("POST", "/interchanges")
    def _http_receive(self, request):
        """An interchange posted by Odoo lands in the inbox, as a file would (the next pickup
        answers it)."""
        try:
            control = x12.read_header(request.body).control_number
        except ParseError as exc:
            raise HttpError(400, f"not an X12 interchange: {exc}") from None
        with self._io_lock:
            self._received_posts += 1
            file_name = f"https_{control}_{self._received_posts}.edi"
            self.inbox.write_atomic(file_name, request.body)
        return json_response(202, {"file": file_name, "control_number": control})

    # -- control routes (served under /_sandbox/edi) -------------------------------------------

    @control_route("POST", "/mode")
    def _http_mode(self, request):
        spec = request.json()
        check_keys(spec, ("mode",), "an EDI mode")
        try:
            return json_response(200, {"mode": self.set_mode(spec.get("mode"))})
        except ValueError as exc:
            raise HttpError(400, str(exc)) from None

    @control_route("POST", "/send")
    def _http_send(self, request):
        spec = request.json()
        check_keys(spec, _SEND_KEYS, "an EDI send")
        for key in ("duplicate", "wrong_counts"):
            if not isinstance(spec.get(key, False), bool):
                raise HttpError(400, f"'{key}' must be true or false")
        try:
            file_name, control = self.send(spec.pop("kind", None), spec.pop("sets", None), **spec)
        except ValueError as exc:
            raise HttpError(400, str(exc)) from None
        except AdapterError as exc:
            raise HttpError(503, f"cannot write in the outbox: {exc}") from None
        return json_response(201, {"file": file_name, "control_number": control})

    @control_route("POST", "/pickup")
    def _http_pickup(self, request):
        try:
            taken = self.pickup()
        except AdapterError as exc:
            raise HttpError(503, f"cannot take the inbox's files: {exc}") from None
        return json_response(200, {"count": len(taken), "received": taken})

    @control_route("GET", "/log")
    def _http_log(self, request):
        direction = request.query.get("direction")
        if direction not in (None, "received", "sent"):
            raise HttpError(400, f"'direction' must be received or sent, not {direction!r}")
        since = request.query.get("since", "0")
        if not since.isdigit():
            raise HttpError(400, f"'since' must be a sequence number, not {since!r}")
        found = self.entries(direction, int(since))
        return json_response(200, {"mode": self.mode, "count": len(found), "log": found})

    @control_route("DELETE", "/log")
    def _http_clear(self, request):
        return json_response(200, {"cleared": self.log.clear()})


def spoil_counts(payload, delimiters):
    """``payload`` (one rendered interchange, bytes) with the first SE01, GE01 and IEA01 one
    too many; the other segments are left byte for byte."""
    end = delimiters.terminator + delimiters.suffix
    segments = payload.decode("utf-8").split(end)
    pending = set(_COUNTED_TRAILERS)
    for index, segment in enumerate(segments):
        elements = segment.split(delimiters.element)
        if elements[0] in pending:
            pending.discard(elements[0])
            elements[1] = str(int(elements[1]) + 1)
            segments[index] = delimiters.element.join(elements)
    return end.join(segments).encode("utf-8")


def _is_list_of_sets(sets):
    return (
        isinstance(sets, list)
        and bool(sets)
        and all(
            isinstance(body, list) and all(isinstance(segment, (list, tuple)) for segment in body)
            for body in sets
        )
    )


def _check_file_name(name):
    """Return ``name`` (None, or a plain file name); ValueError when it holds a folder."""
    if name is not None and (
        not isinstance(name, str) or name in ("", ".", "..") or any(c in name for c in "/\\\0")
    ):
        raise ValueError(f"file_name must be a plain file name, not {name!r}")
    return name


def _folder(folder):
    return LocalFolder(folder) if isinstance(folder, (str, os.PathLike)) else folder


def _now():
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def _describe_unit(unit):
    return {
        "kind": unit.kind,
        "control_number": unit.control_number,
        "group": unit.group_control_number,
        "discrepancies": [found.describe() for found in unit.discrepancies],
    }


def _describe_reading(reading, answer):
    interchange = reading.interchange
    return {
        "control_number": interchange.control_number,
        "sender": list(interchange.sender),
        "receiver": list(interchange.receiver),
        "usage": interchange.usage,
        "sets": [_describe_unit(unit) for unit in reading.units],
        "discrepancies": [found.describe() for found in interchange.all_discrepancies],
        "answer": answer,
    }


def _received_acks(data, readings):
    """The 997 / 999 / TA1 of ``data`` (Odoo acknowledging what the partner sent)."""
    has_acks = any(unit.kind in ACK_KINDS for reading in readings for unit in reading.units) or any(
        reading.segments for reading in readings
    )
    return [_ack_summary(ack) for ack in x12.read_acknowledgements(data)] if has_acks else []


def _ack_summary(ack):
    """A received or sent acknowledgement as plain values."""
    if isinstance(ack, x12.InterchangeAck):
        return {"kind": "TA1", "control_number": ack.control_number, "status": ack.status}
    return {
        "kind": ack.ack_kind,
        "group": ack.control_number,
        "functional_id": ack.functional_id,
        "status": ack.status,
        "counts": [ack.included, ack.received, ack.accepted],
        "sets": {item.control_number: item.status for item in ack.sets},
    }
