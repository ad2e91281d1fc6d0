"""The ``x12`` codec: what an X12 file holds, as JSON-able descriptions of its envelopes.

``parse`` does not map business content (a 214 is read by its own codec): it describes each
interchange (identifiers, version, control numbers, groups, sets, every discrepancy), leniently,
so that the command line and the Odoo message log can show what a partner sent.
"""

from ...registry import Codec, Identity
from .. import envelopes
from ..edi import Group, Interchange, Unit
from .reader import X12Reader, read_header
from .syntax import FORMAT


class X12Codec(Codec, name=FORMAT, media_type="application/edi-x12"):
    """ANSI X12 interchanges: envelopes, transaction sets and envelope discrepancies."""

    def parse(self, data):
        """One JSON-able dict per interchange of ``data`` (read leniently)."""
        described, sets, groups = [], [], []
        for event in X12Reader(data).events():
            if isinstance(event, Unit):
                sets.append(describe_unit(event))
            elif isinstance(event, Group):
                groups.append(describe_group(event, sets))
                sets = []
            elif isinstance(event, Interchange):
                described.append(describe_interchange(event, groups))
                groups = []
        return described

    def identify(self, data):
        """The first interchange's key (sender, receiver, ISA13) as message id."""
        interchange = read_header(data)
        return Identity((), message_key(interchange))


def message_key(interchange):
    """``x12:<qualifier>:<sender>:<qualifier>:<receiver>:<ISA13>``: what makes an interchange
    a duplicate of another."""
    return ":".join(interchange.key)


def describe_unit(unit):
    """A transaction set as plain values."""
    return {
        "kind": unit.kind,
        "version": unit.version,
        "control_number": unit.control_number,
        "position": unit.position,
        "first_segment": unit.first_segment,
        "segment_count": unit.segment_count,
        "discrepancies": envelopes.describe_discrepancies(unit.discrepancies),
    }


def describe_group(group, sets):
    """A functional group and its described ``sets`` as plain values."""
    return envelopes.describe_group(
        group, control_key="control_number", count_key="set_count", sets=sets
    )


def describe_interchange(interchange, groups):
    """An interchange and its described ``groups`` as plain values."""
    return {
        "type": "X12Interchange",
        "key": message_key(interchange),
        "sender": dict(zip(("qualifier", "id"), interchange.sender)),
        "receiver": dict(zip(("qualifier", "id"), interchange.receiver)),
        "control_number": interchange.control_number,
        "date": interchange.date,
        "time": interchange.time,
        "usage": interchange.usage,
        "version": interchange.version,
        "ack_requested": interchange.ack_requested,
        "delimiters": interchange.delimiters.as_dict(),
        "group_count": len(groups),
        "groups": groups,
        "discrepancies": envelopes.describe_discrepancies(interchange.discrepancies),
    }
