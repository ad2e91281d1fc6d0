"""Partner descriptors: what the suite knows about each partner, found by code.

A partner package registers its :class:`Partner` when it is imported; the functions here
import :mod:`logistics_adapters.partners` (every partner package) on first use, so they always
see every partner.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import registry as codecs
from ..registry import lookup_status, status_candidates

#: Partner kinds; ``registry`` is a public register numbers are checked against (EU VIES).
KINDS = ("carrier", "tms", "wms", "customs", "billing", "registry")

_PARTNERS = {}


@dataclass(frozen=True)
class Partner:
    """One partner: ``code`` (the backend's provider), ``name`` as people read it, ``kind``.

    ``statuses`` is the partner's status table (partner code ->
    :class:`~logistics_adapters.registry.StatusEntry`), the same object its codecs carry;
    ``tracking_webhook`` / ``tracking_poll`` name the codecs of its pushed and polled tracking
    documents, ``signature_scheme`` its own webhook scheme (``""`` when none).
    """

    code: str
    name: str
    kind: str
    statuses: Mapping = field(default_factory=dict, compare=False, hash=False)
    tracking_webhook: str = ""
    tracking_poll: str = ""
    signature_scheme: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"partner {self.code!r}: kind {self.kind!r} not in {KINDS}")

    def tracking_codec(self):
        """An instance of the partner's tracking codec (webhook first), or None."""
        name = self.tracking_webhook or self.tracking_poll
        return codecs.get(name) if name else None

    def status_candidates(self, partner_status):
        """The keys of ``statuses`` to try, most specific first: the rule of its codecs."""
        codec = self.tracking_codec()
        if codec is None:
            return status_candidates(partner_status)
        return codec.status_candidates(partner_status)

    def status_for(self, partner_status):
        """The canonical status of ``partner_status``, as the partner's codecs give it."""
        return lookup_status(self.statuses, self.status_candidates(partner_status))


def register_partner(partner):
    """Register ``partner`` under its code (again for the same code replaces it); returns it."""
    _PARTNERS[partner.code] = partner
    return partner


def get_partner(code):
    """Return the partner registered under ``code``; LookupError naming the known codes."""
    _load()
    try:
        return _PARTNERS[code]
    except (KeyError, TypeError):
        known = ", ".join(sorted(_PARTNERS)) or "none"
        raise LookupError(f"unknown partner {code!r}; known partners: {known}") from None


def available_partners(kind=None):
    """Return the registered partners (of ``kind`` when given), sorted by code."""
    _load()
    return [
        _PARTNERS[code]
        for code in sorted(_PARTNERS)
        if kind is None or _PARTNERS[code].kind == kind
    ]


def partner_selection(kind=None):
    """Return ``[(code, name), ...]`` of the partners (of ``kind``), for an Odoo selection."""
    return [(partner.code, partner.name) for partner in available_partners(kind)]


def _load():
    codecs.load_partners()
