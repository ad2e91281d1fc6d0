"""EasyPost-style ``tracker.updated`` webhooks, each unique, signed as EasyPost signs them."""

import copy
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from logistics_adapters.transport.signatures import get_scheme

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples"
SAMPLE = SAMPLE / "easypost_webhook_event_tracker_updated.json"
SECRET = "bench-webhook-secret"
STATUSES = ("pre_transit", "in_transit", "out_for_delivery", "delivered")
_START = datetime(2026, 11, 1, 8, 0, tzinfo=timezone.utc)


def _template():
    """The published sample when the shared samples are there, else the same shape."""
    if SAMPLE.exists():
        return json.loads(SAMPLE.read_bytes())
    detail = {
        "object": "TrackingDetail",
        "message": "Arrived at facility",
        "description": "",
        "status": "in_transit",
        "status_detail": "arrived_at_facility",
        "datetime": "2026-11-01T08:00:00Z",
        "source": "USPS",
        "carrier_code": "",
        "tracking_location": {
            "object": "TrackingLocation",
            "city": "EDISON",
            "state": "NJ",
            "country": "US",
            "zip": "08837",
        },
    }
    return {
        "object": "Event",
        "id": "evt_0",
        "mode": "test",
        "description": "tracker.updated",
        "previous_attributes": {"status": "pre_transit"},
        "pending_urls": [],
        "completed_urls": [],
        "created_at": "2026-11-01T08:00:00Z",
        "updated_at": "2026-11-01T08:00:00Z",
        "result": {
            "object": "Tracker",
            "id": "trk_0",
            "mode": "test",
            "tracking_code": "EZ0",
            "status": "in_transit",
            "status_detail": "arrived_at_facility",
            "carrier": "USPS",
            "signed_by": None,
            "weight": None,
            "est_delivery_date": None,
            "shipment_id": None,
            "created_at": "2026-11-01T08:00:00Z",
            "updated_at": "2026-11-01T08:00:00Z",
            "tracking_details": [detail, copy.deepcopy(detail), copy.deepcopy(detail)],
            "carrier_detail": None,
            "public_url": "https://track.easypost.com/djE6dHJrXzA",
            "fees": [],
        },
    }


TEMPLATE = _template()


def tracking_number(picking_index):
    return f"BENCH{picking_index:010d}"


def event(picking_index, step, details_per_event=None):
    """A tracker.updated event for parcel ``picking_index`` at ``step`` (0, 1, 2...).

    With ``details_per_event`` None the event carries the sample's full detail list (its
    realistic size), re-dated and moved to step ``step``; with 1 it carries only this
    step's detail, so that each event adds exactly one tracking event.
    """
    body = copy.deepcopy(TEMPLATE)
    number = tracking_number(picking_index)
    status = STATUSES[min(step, len(STATUSES) - 1)]
    when = _START + timedelta(minutes=picking_index % 1000, hours=step)
    result = body["result"]
    result.update(
        id=f"trk_bench_{picking_index:08d}",
        tracking_code=number,
        status=status,
        updated_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    details = result.get("tracking_details") or []
    template_detail = details[-1] if details else {}
    if details_per_event == 1:
        details = [copy.deepcopy(template_detail)]
    for index, detail in enumerate(details):
        detail["datetime"] = (when - timedelta(minutes=len(details) - 1 - index)).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        )
        detail["message"] = f"step {step} detail {index}"
    if details:
        details[-1]["status"] = status
        details[-1]["status_detail"] = None
    result["tracking_details"] = details
    body["id"] = f"evt_bench_{picking_index:08d}_{step:03d}"
    return json.dumps(body).encode()


def signed_headers(body):
    return {"Content-Type": "application/json", **get_scheme("easypost-hmac").sign(body, SECRET)}
