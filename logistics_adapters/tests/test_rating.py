from decimal import Decimal

import pytest

from logistics_adapters import canonical as c
from logistics_adapters.errors import BusinessError
from logistics_adapters.partners.easypost.shipment import EasyPostShipmentCodec
from logistics_adapters.rating import (
    CHEAPEST,
    FASTEST,
    allowed,
    choose_rate,
    combine_rates,
    parse_names,
)

from .helpers import needs_samples, sample


def rate(carrier, service, amount, days, rate_id=""):
    return c.Rate(
        carrier=carrier,
        service=service,
        amount=Decimal(amount),
        currency="USD",
        delivery_days=days,
        partner_rate_id=rate_id or f"rate_{carrier}_{service}",
    )


RATES = [
    rate("USPS", "GroundAdvantage", "6.07", 3),
    rate("USPS", "Priority", "8.25", 2),
    rate("USPS", "Express", "31.25", 1),
    rate("UPS", "Ground", "10.45", 4),
    rate("FedEx", "FEDEX_2_DAY", "20.10", 2),
]


def test_cheapest_and_fastest():
    assert choose_rate(RATES, CHEAPEST).service == "GroundAdvantage"
    assert choose_rate(RATES, FASTEST).service == "Express"


def test_ties_break_on_the_other_criterion():
    rates = [rate("A", "slow", "5.00", 5), rate("B", "quick", "5.00", 1)]
    assert choose_rate(rates, CHEAPEST).carrier == "B"
    rates = [rate("A", "dear", "9.00", 1), rate("B", "cheap", "4.00", 1)]
    assert choose_rate(rates, FASTEST).carrier == "B"


def test_rates_without_days_sort_last_when_fastest():
    rates = [rate("A", "unknown", "1.00", None), rate("B", "known", "9.00", 6)]
    assert choose_rate(rates, FASTEST).carrier == "B"


def test_allowed_carriers_and_services_ignore_case_and_separators():
    assert choose_rate(RATES, CHEAPEST, carriers=["ups"]).service == "Ground"
    assert choose_rate(RATES, CHEAPEST, services=["fedex 2-day"]).carrier == "FedEx"
    assert choose_rate(RATES, FASTEST, carriers=["USPS", "UPS"]).service == "Express"
    assert allowed(RATES[0]) and not allowed(RATES[0], carriers=["DHL"])


def test_no_allowed_rate_names_what_was_quoted():
    with pytest.raises(BusinessError) as caught:
        choose_rate(RATES, CHEAPEST, carriers=["DHL"])
    message = str(caught.value)
    assert "carriers DHL" in message and "USPS Priority" in message
    with pytest.raises(BusinessError, match="quoted nothing"):
        choose_rate([], CHEAPEST)


def test_unknown_policy_is_refused():
    with pytest.raises(ValueError, match="policy"):
        choose_rate(RATES, "random")


def test_parse_names():
    assert parse_names(" USPS, UPS\nFedEx ,, ") == ["USPS", "UPS", "FedEx"]
    assert parse_names(False) == []


def test_combine_adds_amounts_and_keeps_common_services():
    first = [rate("USPS", "Priority", "8.25", 2), rate("UPS", "Ground", "10.45", 4)]
    second = [rate("USPS", "Priority", "9.40", 3), rate("USPS", "Express", "30.00", 1)]
    combined = combine_rates([first, second])
    assert [(r.carrier, r.service, r.amount, r.delivery_days) for r in combined] == [
        ("USPS", "Priority", Decimal("17.65"), 3)
    ]
    assert first[0].amount == Decimal("8.25"), "inputs are not changed"
    assert combine_rates([]) == []
    assert combine_rates([first]) == first


@needs_samples
def test_rates_of_the_published_sample():
    objects = EasyPostShipmentCodec().parse(sample("easypost_shipment_create_response.json"))
    rates = [obj for obj in objects if isinstance(obj, c.Rate)]
    assert rates, "the published shipment quotes rates"
    cheapest = choose_rate(rates, CHEAPEST)
    assert cheapest.amount == min(r.amount for r in rates)
    fastest = choose_rate(rates, FASTEST)
    known = [r.delivery_days for r in rates if r.delivery_days is not None]
    if known:
        assert fastest.delivery_days == min(known)
