"""Choosing a carrier rate: allowed carriers and services, cheapest or fastest, per parcel.

Carriers quote one parcel at a time (EasyPost ships one parcel per Shipment). A multi-parcel
shipment is quoted parcel by parcel; :func:`combine_rates` keeps the carrier services offered
for every parcel and adds their amounts, and :func:`choose_rate` picks one under a delivery
method's policy. Names compare without case, spaces, dashes or underscores, so ``FedEx 2 Day``
allows ``FEDEX_2_DAY``.
"""

import re
from dataclasses import replace
from decimal import Decimal

from .errors import BusinessError

CHEAPEST = "cheapest"
FASTEST = "fastest"
POLICIES = (CHEAPEST, FASTEST)
#: Days assumed for a rate that gives none: it sorts after every rate that does.
_UNKNOWN_DAYS = 10**6


def _norm(name):
    return re.sub(r"[\s_\-]+", "", name or "").casefold()


def parse_names(text):
    """Return the names of a comma- or newline-separated list (empty entries dropped)."""
    return [name.strip() for name in re.split(r"[,\n]", text or "") if name.strip()]


def allowed(rate, carriers=(), services=()):
    """Whether ``rate`` is one of ``carriers`` and ``services`` (empty lists allow all)."""
    carrier_ok = not carriers or _norm(rate.carrier) in {_norm(name) for name in carriers}
    service_ok = not services or _norm(rate.service) in {_norm(name) for name in services}
    return carrier_ok and service_ok


def combine_rates(rates_per_parcel):
    """Return one Rate per carrier service quoted for every parcel, amounts added.

    ``rates_per_parcel`` is a list (one entry per parcel) of Rate lists. A service missing
    for one parcel cannot carry the shipment and is left out; delivery days are the slowest
    parcel's. The combined rate keeps the first parcel's ``partner_rate_id``.
    """
    if not rates_per_parcel:
        return []
    combined = {}
    for index, rates in enumerate(rates_per_parcel):
        seen = set()
        for rate in rates:
            key = (_norm(rate.carrier), _norm(rate.service), rate.currency)
            if key in seen:
                continue
            seen.add(key)
            if index == 0:
                combined[key] = (replace(rate), 1)
            elif key in combined:
                total, count = combined[key]
                days = [d for d in (total.delivery_days, rate.delivery_days) if d is not None]
                total.amount += rate.amount
                total.delivery_days = max(days) if days else None
                combined[key] = (total, count + 1)
    parcels = len(rates_per_parcel)
    return [rate for rate, count in combined.values() if count == parcels]


def choose_rate(rates, policy=CHEAPEST, carriers=(), services=()):
    """Return the rate ``policy`` prefers among those of the allowed carriers and services.

    Cheapest: lowest amount, then fewest days. Fastest: fewest days, then lowest amount.
    Raise :class:`BusinessError` naming what was quoted when no rate is allowed.
    """
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {POLICIES}, got {policy!r}")
    candidates = [rate for rate in rates if allowed(rate, carriers, services)]
    if not candidates:
        quoted = ", ".join(f"{rate.carrier} {rate.service}" for rate in rates) or "nothing"
        wanted = []
        if carriers:
            wanted.append("carriers " + ", ".join(carriers))
        if services:
            wanted.append("services " + ", ".join(services))
        raise BusinessError(
            f"no rate for the allowed {' and '.join(wanted) or 'services'}; the carrier quoted "
            f"{quoted}: widen the delivery method's allowed carriers or services"
        )

    def days(rate):
        return _UNKNOWN_DAYS if rate.delivery_days is None else rate.delivery_days

    def amount(rate):
        return rate.amount if isinstance(rate.amount, Decimal) else Decimal(str(rate.amount))

    if policy == CHEAPEST:
        return min(candidates, key=lambda rate: (amount(rate), days(rate)))
    return min(candidates, key=lambda rate: (days(rate), amount(rate)))
