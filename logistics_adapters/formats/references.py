"""References as X12 and EDIFACT both write them: a qualifier and a value.

A standard's table (``kinds``: qualifier -> kind) names the qualifiers read as the canonical
reference kinds every format names alike (``canonical.REFERENCE_KINDS``: ``BM`` ->
``bill_of_lading``); any other qualifier is kept as its own kind, and a second value of one
kind gets ``_2``, ``_3``... Writing goes the other way: a kind of the table or a qualifier,
``_2`` suffix allowed, to its qualifier.
"""

import functools
import re

#: A kind written with a qualifier of its own: 1 to 3 letters or digits.
_QUALIFIER = re.compile(r"[0-9A-Z]{1,3}")
#: The second, third... value of a kind: ``<kind>_2``.
_REPEAT = re.compile(r"(.+)_(?:[2-9]|[1-9][0-9]+)")


def add_reference(references, qualifier, value, kinds):
    """Put ``value`` in ``references`` under the kind ``kinds`` gives ``qualifier`` (else
    under ``qualifier``), a second one of a kind as ``<kind>_2``...; an empty value is
    skipped."""
    if not value:
        return
    kind = kinds.get(qualifier, qualifier)
    key, rank = kind, 1
    while key in references:
        rank += 1
        key = f"{kind}_{rank}"
    references[key] = value


def qualifier_of(kind, kinds):
    """The qualifier to write a reference of ``kind`` with, None when it has none."""
    repeated = _REPEAT.fullmatch(kind)
    base = repeated.group(1) if repeated else kind
    qualifier = _qualifiers(tuple(kinds.items())).get(base, base)
    return qualifier if _QUALIFIER.fullmatch(qualifier) else None


@functools.cache
def _qualifiers(items):
    """Kind -> qualifier, from the (qualifier, kind) ``items`` of a table."""
    return {kind: qualifier for qualifier, kind in items}
