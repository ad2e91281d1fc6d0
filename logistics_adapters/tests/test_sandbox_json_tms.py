"""The sandbox's JSON TMS: load tenders answered at once, by scenario."""

import json

import pytest

from logistics_adapters.canonical import Stop, TransportOrder, from_jsonable, to_jsonable
from logistics_adapters.sandbox import JsonTms, Sandbox
from logistics_adapters.tests.helpers import loopback_session


def tender(reference="TO2600001", purpose="original"):
    order = TransportOrder(
        reference=reference,
        carrier="JTMS",
        purpose=purpose,
        stops=[Stop(10, "pickup"), Stop(20, "delivery")],
    )
    return json.dumps(to_jsonable(order)).encode()


@pytest.mark.parametrize(
    ("scenario", "status", "field", "value"),
    [
        ("accept", "accepted", "partner_reference", "LD000001"),
        ("decline", "declined", "decline_reason", "No capacity on this lane"),
        ("conditional", "conditional", "notes", "Pickup moved by one day"),
    ],
)
def test_a_tender_is_answered_at_once_by_scenario(scenario, status, field, value):
    tms = JsonTms(scenario)
    with Sandbox(port=0, route_sets=[tms]) as sandbox, loopback_session() as http:
        answer = http.post(f"{sandbox.url}/tms/loads", data=tender(), timeout=5)
        again = http.get(f"{sandbox.url}/tms/loads/TO2600001", timeout=5)
    assert answer.status_code == 200
    order = from_jsonable(answer.json())
    assert (order.reference, order.status, getattr(order, field)) == ("TO2600001", status, value)
    assert again.json() == answer.json()


def test_a_cancellation_forgets_the_load_and_nonsense_is_refused():
    tms = JsonTms()
    with Sandbox(port=0, route_sets=[tms]) as sandbox, loopback_session() as http:
        http.post(f"{sandbox.url}/tms/loads", data=tender(), timeout=5)
        cancel = http.post(f"{sandbox.url}/tms/loads", data=tender(purpose="cancel"), timeout=5)
        gone = http.get(f"{sandbox.url}/tms/loads/TO2600001", timeout=5)
        refused = http.post(f"{sandbox.url}/tms/loads", data=b'{"type": "Parcel"}', timeout=5)
    assert cancel.json() == {"reference": "TO2600001", "cancelled": True}
    assert gone.status_code == 404
    assert refused.status_code == 400


def test_an_unknown_scenario_is_refused():
    with pytest.raises(ValueError, match="scenario"):
        JsonTms("maybe")
