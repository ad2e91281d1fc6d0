"""X12 element 150, Special Charge or Allowance Code: the published list, for looking codes up
and for the Odoo side to seed its charge types from.

The list is the package data file ``element_150.txt`` (code, tab, label; ``#`` lines are
comments): the 1,122 codes of X12 004010 as kputnam/stupidedi publishes them
(``lib/stupidedi/versions/004010/element_defs.rb``, E150, commit 6ba837e6), copied once from
``../shared/samples/x12_element150_special_charge_codes.md``, labels verbatim. A code is
looked up exactly as written: the list does not guess (a carrier using a code in its own
sense, as UPS does with ``LGD``, still gets the published label; the mapping to charge types
is the company's).
"""

from importlib import resources
from types import MappingProxyType

from ....canonical import CODE_LIST_X12_150

__all__ = [
    "CODE_LIST",
    "SPECIAL_CHARGE_CODES",
    "UnknownChargeCode",
    "charge_code_label",
]

#: ``Charge.code_list`` of the codes of this list.
CODE_LIST = CODE_LIST_X12_150
_DATA = "element_150.txt"


class UnknownChargeCode(LookupError):
    """A code that the published element 150 list does not hold."""

    def __init__(self, code):
        super().__init__(f"{code!r} is not an X12 element 150 special charge or allowance code")
        self.code = code


def _load():
    table = {}
    for line in resources.files(__package__).joinpath(_DATA).read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            code, label = line.split("\t")
            table[code] = label
    return MappingProxyType(table)


#: Code -> label, in the list's order (read only).
SPECIAL_CHARGE_CODES = _load()


def charge_code_label(code):
    """The published label of element 150 ``code`` (``"405"`` -> ``"Fuel Surcharge"``);
    :class:`UnknownChargeCode` (a LookupError) when the list does not hold it."""
    try:
        return SPECIAL_CHARGE_CODES[code]
    except (KeyError, TypeError):
        raise UnknownChargeCode(code) from None
