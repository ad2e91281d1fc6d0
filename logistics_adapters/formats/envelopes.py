"""What the X12 and EDIFACT readers and codecs share in code, around the envelope model of
:mod:`.edi`: handing on what a reader completes as soon as it completes it, and describing a
functional group as plain values."""


def fed_events(items, feed, finish, done):
    """Give each of ``items`` to ``feed``, then call ``finish``, yielding what they leave in
    ``done`` (the list a reader appends its completed units, groups and interchanges to) as
    soon as it is there, so that a large interchange is never held whole."""
    for item in items:
        feed(item)
        if done:
            yield from done
            done.clear()
    finish()
    yield from done
    done.clear()


def describe_discrepancies(found):
    """The :class:`~.edi.Discrepancy` objects ``found`` as plain values."""
    return [discrepancy.as_dict() for discrepancy in found]


def describe_group(group, *, control_key, count_key, **values):
    """A :class:`~.edi.Group` as plain values, its control number and unit count under the
    names its standard gives them (X12: ``control_number``, ``set_count``; EDIFACT:
    ``control_reference``, ``message_count``), with ``values`` before its discrepancies."""
    return {
        "functional_id": group.functional_id,
        "sender": group.sender,
        "receiver": group.receiver,
        control_key: group.control_number,
        "version": group.version,
        "date": group.date,
        "time": group.time,
        count_key: group.unit_count,
        **values,
        "discrepancies": describe_discrepancies(group.discrepancies),
    }
