"""``edifact``: an EDIFACT document described envelope by envelope, as JSON-able dicts.

One dict per interchange: its identifiers, syntax, control references and counts, its
groups, its messages (type, version, reference, segment count, and for a CONTRL what it
acknowledges) and every discrepancy. The message content is not interpreted here: that is
the business of the codec of each message type.
"""

from ...registry import Codec, Identity
from ..envelopes import describe_discrepancies, describe_group
from .contrl import CONTRL, parse_contrl
from .reader import read, read_header

FORMAT = "edifact"


class EdifactCodec(Codec, name=FORMAT, media_type="application/edifact"):
    """UN/EDIFACT interchanges: envelopes, messages and their checks (lenient)."""

    def parse(self, data):
        """Return one dict per interchange of ``data``; discrepancies are listed, not raised."""
        return [describe_interchange(*reading) for reading in read(data)]

    def identify(self, data):
        """The identity of ``data``: its first interchange's sender, receiver and UNB05."""
        interchange = read_header(data)
        parts = (FORMAT, *interchange.sender, *interchange.receiver, interchange.control_number)
        return Identity(message_id=":".join(parts))


def describe_interchange(interchange, units):
    """An interchange and its units as plain values."""
    return {
        "standard": interchange.standard,
        "syntax": interchange.syntax,
        "syntax_version": interchange.syntax_version,
        "version": interchange.version,
        "delimiters": "".join(interchange.delimiters),
        "sender": _party(interchange.sender),
        "receiver": _party(interchange.receiver),
        "date": interchange.date,
        "time": interchange.time,
        "control_reference": interchange.control_number,
        "application_reference": interchange.application_reference,
        "priority": interchange.priority,
        "agreement": interchange.agreement,
        "ack_requested": interchange.ack_requested,
        "usage": interchange.usage,
        "message_count": interchange.message_count,
        "group_count": len(interchange.groups) if interchange.explicit_groups else 0,
        "groups": [_group(group) for group in interchange.groups],
        "messages": [_message(unit) for unit in units],
        "discrepancies": describe_discrepancies(interchange.discrepancies),
    }


def _party(party):
    qualifier, identifier = party
    return {"qualifier": qualifier, "id": identifier}


def _group(group):
    return describe_group(group, control_key="control_reference", count_key="message_count")


def _message(unit):
    identifier = unit.segments[0][2] if len(unit.segments[0]) > 2 else unit.kind
    association = identifier[4] if isinstance(identifier, tuple) and len(identifier) > 4 else ""
    described = {
        "reference": unit.control_number,
        "type": unit.kind,
        "version": unit.version,
        "association": association,
        "group_reference": unit.group_control_number,
        "position": unit.position,
        "first_segment": unit.first_segment,
        "segment_count": unit.segment_count,
        "discrepancies": describe_discrepancies(unit.discrepancies),
    }
    if unit.kind == CONTRL:
        described["acknowledgement"] = parse_contrl(unit).as_dict()
    return described
