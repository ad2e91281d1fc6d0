"""What the canonical dataclasses share: fields whose values come from a code list."""

import dataclasses
from dataclasses import field


def choices(values, default=dataclasses.MISSING):
    """A dataclass field whose value must be one of ``values`` when read from JSON."""
    codes = frozenset(v[0] if isinstance(v, tuple) else v for v in values)
    return field(default=default, metadata={"choices": codes})
