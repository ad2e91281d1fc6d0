"""The canonical model and its JSON form (to_jsonable / from_jsonable)."""

import json
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given

from logistics_adapters import canonical as c
from logistics_adapters.errors import ParseError

from . import strategies

CET = timezone(timedelta(hours=1))


def _event(**values):
    defaults = {"tracking_number": "1Z999", "status": "in_transit"}
    return c.TrackingEvent(**{**defaults, **values})


def test_to_jsonable_writes_type_offsets_and_decimal_strings():
    event = _event(occurred_at=datetime(2024, 8, 2, 18, 50, tzinfo=CET), partner_status="AR")
    data = c.to_jsonable(event)
    assert data["type"] == "TrackingEvent"
    assert data["occurred_at"] == "2024-08-02T18:50:00+01:00"
    assert data["partner_status"] == "AR"
    invoice = c.FreightInvoice(
        "INV-1",
        invoice_date=date(2024, 1, 31),
        charges=[c.Charge("400", Decimal("1250.50")), c.Charge("FUE", Decimal("87.25"))],
    )
    data = c.to_jsonable(invoice)
    assert data["invoice_date"] == "2024-01-31"
    assert data["charges"][0] == {
        "type": "Charge",
        "code": "400",
        "amount": "1250.50",
        "description": "",
        "quantity": None,
        "rate": None,
        "code_list": "",
        "rate_qualifier": "",
    }
    json.dumps(data)  # JSON-ready as it is


def test_to_jsonable_of_a_list_and_of_bytes():
    label = c.Label("1Z", content=b"%PDF-1.4")
    data = c.to_jsonable([label, _event()])
    assert [item["type"] for item in data] == ["Label", "TrackingEvent"]
    assert data[0]["content"] == "JVBERi0xLjQ="


@pytest.mark.parametrize("value", [{"a": 1}, object(), "text", c])
def test_to_jsonable_refuses_what_is_not_canonical(value):
    with pytest.raises(TypeError, match="not a canonical object"):
        c.to_jsonable(value)


def test_to_jsonable_refuses_non_finite_numbers():
    with pytest.raises(ValueError, match="non-finite"):
        c.to_jsonable(c.Charge("400", Decimal("NaN")))
    with pytest.raises(ValueError, match="non-finite"):
        c.to_jsonable(c.Parcel(weight_kg=float("inf")))


def test_from_jsonable_rebuilds_nested_objects():
    shipment = c.Shipment(
        "WH/OUT/00042",
        ship_to=c.Address(name="Jane", country="US"),
        parcels=[c.Parcel(weight_kg=1.5), c.Parcel(weight_kg=2.0)],
        declared_value=Decimal("99.90"),
        references={"so": "S00012"},
    )
    assert c.from_jsonable(c.to_jsonable(shipment)) == shipment
    assert c.from_jsonable(c.to_jsonable([shipment])) == [shipment]


def test_from_jsonable_reads_z_times_and_numeric_amounts():
    data = {"type": "Rate", "carrier": "UPS", "service": "Ground", "amount": 12}
    assert c.from_jsonable(data).amount == Decimal(12)
    data = {"type": "TrackingEvent", "tracking_number": "1", "status": "delivered"}
    event = c.from_jsonable({**data, "occurred_at": "2024-07-31T15:00:00Z"})
    assert event.occurred_at == datetime(2024, 7, 31, 15, tzinfo=timezone.utc)
    assert event.time_zone_known


def test_naive_time_survives_and_is_flagged():
    event = _event(occurred_at=datetime(2024, 7, 31, 15, 0))
    assert not event.time_zone_known
    copy = c.from_jsonable(c.to_jsonable(event))
    assert copy.occurred_at.tzinfo is None
    assert copy == event


BAD_DOCUMENTS = [
    ({"tracking_number": "1"}, "type", "missing 'type'"),
    ({"type": "Parcelle"}, "type", "unknown type 'Parcelle'; known types: Address"),
    ({"type": "TrackingEvent", "status": "delivered"}, "tracking_number", "required field"),
    ({"type": "Parcel", "weigth_kg": 1}, "weigth_kg", "unknown field for Parcel"),
    ({"type": "Parcel", "weight_kg": "1"}, "weight_kg", "expected a number, got a string"),
    ({"type": "Parcel", "weight_kg": True}, "weight_kg", "expected a number, got a boolean"),
    ({"type": "Rate", "carrier": "a", "service": "b", "amount": "x"}, "amount", "invalid amount"),
    ({"type": "Rate", "carrier": "a", "service": "b", "amount": "NaN"}, "amount", "invalid"),
    (
        {"type": "Rate", "carrier": "a", "service": "b", "amount": "1", "delivery_days": 1.5},
        "delivery_days",
        "expected an integer",
    ),
    (
        {"type": "FreightInvoice", "invoice_number": "1", "invoice_date": "2020-13-01"},
        "invoice_date",
        "invalid date '2020-13-01'",
    ),
    (
        {"type": "Shipment", "reference": "a", "parcels": [{}, {"type": "Address"}]},
        "parcels[1].type",
        "expected type 'Parcel', got 'Address'",
    ),
    (
        {"type": "Shipment", "reference": "a", "ship_to": {"zip": 75001}},
        "ship_to.zip",
        "expected a string, got a number",
    ),
    ({"type": "Shipment", "reference": "a", "parcels": {}}, "parcels", "expected an array"),
    ({"type": "Shipment", "reference": "a", "references": {"so": 1}}, "references.so", "string"),
    ({"type": "Shipment", "reference": "a", "status": "lost"}, "status", "invalid value 'lost'"),
    ({"type": "Label", "tracking_number": "1", "content": "%%%"}, "content", "base64"),
    ({"type": "Shipment", "reference": None}, "reference", "expected a string, got null"),
]


@pytest.mark.parametrize(("data", "path", "message"), BAD_DOCUMENTS)
def test_from_jsonable_names_the_bad_field(data, path, message):
    with pytest.raises(ParseError) as info:
        c.from_jsonable(data)
    assert info.value.field == path
    assert message in str(info.value)


def test_from_jsonable_path_starts_with_the_list_index():
    good = c.to_jsonable(_event())
    bad = {**good, "occurred_at": "yesterday"}
    with pytest.raises(ParseError) as info:
        c.from_jsonable([good, good, good, bad])
    assert info.value.field == "[3].occurred_at"
    assert str(info.value) == "field '[3].occurred_at': invalid datetime 'yesterday'"


@pytest.mark.parametrize("value", ["1e30", 10**30])
def test_absurd_amounts_are_refused(value):
    with pytest.raises(ParseError, match="out of range"):
        c.from_jsonable({"type": "Charge", "code": "400", "amount": value})


def test_dedup_key_prefers_the_partner_event_id():
    when = datetime(2024, 1, 1, tzinfo=timezone.utc)
    assert _event(carrier="UPS", partner_event_id="e1").dedup_key() == "UPS|1Z999|e1"
    assert _event(partner_status="AR", occurred_at=when).dedup_key() == (
        "|1Z999|AR@2024-01-01T00:00:00+00:00"
    )


def test_charges_total_sums_exact_decimals():
    invoice = c.FreightInvoice(
        "1", charges=[c.Charge("400", Decimal("0.10")), c.Charge("FUE", Decimal("0.20"))]
    )
    assert invoice.charges_total() == Decimal("0.30")
    assert c.FreightInvoice("2").charges_total() == Decimal(0)


def test_every_canonical_class_round_trips_with_defaults():
    for name, cls in c.CANONICAL_TYPES.items():
        required = {
            f.name: _sample_value(f)
            for f in cls.__dataclass_fields__.values()
            if f.default is f.default_factory  # both MISSING: a required field
        }
        obj = cls(**required)
        assert c.from_jsonable(json.loads(json.dumps(c.to_jsonable(obj)))) == obj, name


def _sample_value(field):
    choices = field.metadata.get("choices")
    if choices:
        return min(choices)
    return {str: "x", float: 1.0, int: 1, Decimal: Decimal("1.5")}[field.type]


@given(strategies.tracking_events)
def test_tracking_event_round_trip(event):
    assert c.from_jsonable(json.loads(json.dumps(c.to_jsonable(event)))) == event


@given(strategies.shipments)
def test_shipment_round_trip(shipment):
    assert c.from_jsonable(json.loads(json.dumps(c.to_jsonable(shipment)))) == shipment


@given(strategies.freight_invoices)
def test_freight_invoice_round_trip(invoice):
    copy = c.from_jsonable(json.loads(json.dumps(c.to_jsonable(invoice))))
    assert copy == invoice
    assert copy.charges_total() == invoice.charges_total()
