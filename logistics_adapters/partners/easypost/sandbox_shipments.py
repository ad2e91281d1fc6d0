"""The EasyPost sandbox's shipments: addresses, parcels, customs, rates, purchases, labels."""

import json
import math
import struct
import zlib
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from ...sandbox.generic import tiny_pdf
from .sandbox_common import MODE, _invalid, _not_found, _required, _stamp, _utcnow
from .sandbox_trackers import _tracking_code

#: ``label_format`` -> (file extension, media type, PostageLabel URL field).
LABEL_FORMATS = {
    "PDF": ("pdf", "application/pdf", "label_pdf_url"),
    "ZPL": ("zpl", "application/zpl", "label_zpl_url"),
    "EPL2": ("epl2", "application/epl2", "label_epl2_url"),
    "PNG": ("png", "image/png", None),
}
DEFAULT_LABEL_FORMAT = "PDF"


def _service(carrier, service, base, per_pound, days):
    return {
        "carrier": carrier,
        "service": service,
        "base": Decimal(base),
        "per_pound": Decimal(per_pound),
        "days": days,
    }


#: The services quoted: price = base + per_pound * started pounds (at least 1).
SERVICES = (
    _service("USPS", "GroundAdvantage", "5.25", "0.82", 3),
    _service("USPS", "Priority", "7.10", "1.15", 2),
    _service("USPS", "Express", "28.50", "2.75", 1),
    _service("UPS", "Ground", "9.40", "1.05", 4),
    _service("FedEx", "FEDEX_2_DAY", "18.20", "1.90", 2),
)


class ShipmentBook:
    """The shipments part of :class:`~.sandbox.EasyPostCarrier`: building and showing them."""

    def _new_shipment(self, spec, base_url):
        now = _stamp(_utcnow())
        shipment_id = self._new_id("shp")
        addresses = {
            name: _address(spec, name, self._new_id("adr"), now, required=name != "return_address")
            for name in ("from_address", "to_address", "return_address")
        }
        parcel = _parcel(spec, self._new_id("prcl"), now)
        options = spec.get("options") or {}
        if not isinstance(options, dict):
            raise _invalid("shipment.options", "must be an object")
        label_format = options.get("label_format") or DEFAULT_LABEL_FORMAT
        if not isinstance(label_format, str) or label_format.upper() not in LABEL_FORMATS:
            raise _invalid(
                "shipment.options.label_format", f"must be one of {', '.join(LABEL_FORMATS)}"
            )
        options = {
            **options,
            "label_format": label_format.upper(),
            "currency": options.get("currency") or "USD",
            "payment": options.get("payment") or {"type": "SENDER"},
            "date_advance": options.get("date_advance") or 0,
        }
        reference = spec.get("reference")
        if reference is not None and not isinstance(reference, (str, int)):
            raise _invalid("shipment.reference", "must be a string")
        shipment = {
            "id": shipment_id,
            "created_at": now,
            "is_return": spec.get("is_return") is True,
            "messages": [],
            "mode": MODE,
            "options": options,
            "reference": None if reference is None else str(reference),
            "status": "unknown",
            "tracking_code": None,
            "updated_at": now,
            "customs_info": self._customs(spec, now),
            "from_address": addresses["from_address"],
            "to_address": addresses["to_address"],
            "return_address": addresses["return_address"] or addresses["from_address"],
            "buyer_address": addresses["to_address"],
            "insurance": None,
            "parcel": parcel,
            "postage_label": None,
            "rates": [],
            "refund_status": None,
            "selected_rate": None,
            "tracker_id": None,
            "forms": [],
            "fees": [],
            "object": "Shipment",
            "base_url": base_url,
        }
        shipment["rates"] = [
            self._rate(shipment_id, rule, parcel["weight"], now) for rule in self.services
        ]
        self.shipments[shipment_id] = shipment
        return shipment

    def _customs(self, spec, now):
        customs = spec.get("customs_info")
        if customs is None:
            return None
        if not isinstance(customs, dict):
            raise _invalid("shipment.customs_info", "must be an object")
        items = customs.get("customs_items") or []
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise _invalid("shipment.customs_info.customs_items", "must be a list of objects")
        return {
            **customs,
            "id": self._new_id("cstinfo"),
            "object": "CustomsInfo",
            "created_at": now,
            "updated_at": now,
            "mode": MODE,
            "customs_items": [
                {
                    **item,
                    "id": self._new_id("cstitem"),
                    "object": "CustomsItem",
                    "created_at": now,
                    "updated_at": now,
                    "mode": MODE,
                    **({"value": str(item["value"])} if item.get("value") is not None else {}),
                }
                for item in items
            ],
        }

    def _rate(self, shipment_id, rule, weight_oz, now):
        pounds = max(1, math.ceil(weight_oz / 16))
        amount = _cents(rule["base"] + rule["per_pound"] * pounds)
        carrier = rule["carrier"]
        return {
            "id": self._new_id("rate"),
            "object": "Rate",
            "created_at": now,
            "updated_at": now,
            "mode": MODE,
            "service": rule["service"],
            "carrier": carrier,
            "rate": str(amount),
            "currency": "USD",
            "retail_rate": str(_cents(amount * Decimal("1.25"))),
            "retail_currency": "USD",
            "list_rate": str(_cents(amount * Decimal("1.10"))),
            "list_currency": "USD",
            "billing_type": "easypost",
            "delivery_days": rule["days"],
            "delivery_date": None,
            "delivery_date_guaranteed": False,
            "est_delivery_days": rule["days"],
            "shipment_id": shipment_id,
            "carrier_account_id": f"ca_sandbox_{carrier.lower()}",
        }

    def _purchase(self, shipment, rate):
        now_dt = _utcnow()
        now = _stamp(now_dt)
        number = next(self._ids)
        code = _tracking_code(rate["carrier"], number)
        label_format = shipment["options"]["label_format"]
        extension, media_type, url_field = LABEL_FORMATS[label_format]
        label_id = self._new_id("pl")
        file_name = f"{label_id}.{extension}"
        url = f"{shipment['base_url']}{self.prefix}/labels/{file_name}"
        self.labels[file_name] = (media_type, _label_file(label_format, code, rate))
        label = {
            "object": "PostageLabel",
            "id": label_id,
            "created_at": now,
            "updated_at": now,
            "date_advance": 0,
            "integrated_form": "none",
            "label_date": now,
            "label_resolution": 300,
            "label_size": "4x6",
            "label_type": "default",
            "label_file_type": media_type,
            "label_url": url,
            "label_pdf_url": None,
            "label_zpl_url": None,
            "label_epl2_url": None,
            "label_file": None,
        }
        if url_field:
            label[url_field] = url
        tracker = self._new_tracker(
            code, rate["carrier"], shipment, shipment["base_url"], rate["service"]
        )
        tracker["est_delivery_date"] = _stamp(now_dt + timedelta(days=rate["delivery_days"]))
        shipment.update(
            tracking_code=code,
            postage_label=label,
            selected_rate=rate,
            tracker_id=tracker["id"],
            updated_at=now,
            fees=[
                _fee("LabelFee", Decimal(0)),
                _fee("PostageFee", Decimal(rate["rate"])),
            ],
        )

    def _shipment(self, shipment_id):
        shipment = self.shipments.get(shipment_id)
        if shipment is None:
            raise _not_found()
        return shipment

    def _shipment_view(self, shipment):
        view = {
            key: value
            for key, value in shipment.items()
            if key not in ("tracker_id", "base_url", "status")
        }
        view = json.loads(json.dumps(view))
        tracker = self.trackers.get(shipment["tracker_id"]) if shipment["tracker_id"] else None
        view["tracker"] = self._tracker_view(tracker) if tracker else None
        view["status"] = view["tracker"]["status"] if tracker else shipment["status"]
        # EasyPost's key order: "object" last.
        view["object"] = view.pop("object")
        return view


def _address(spec, name, address_id, now, required=True):
    address = spec.get(name)
    if address is None:
        if required:
            raise _required(f"shipment.{name}")
        return None
    if not isinstance(address, dict):
        raise _invalid(f"shipment.{name}", "must be an object")
    fields = ("name", "company", "street1", "street2", "city", "state", "zip", "country")
    fields += ("phone", "email")
    values = {field: address.get(field) for field in fields}
    for field in ("street1", "city", "zip", "country"):
        if not isinstance(values[field], str) or not values[field].strip():
            raise _required(f"shipment.{name}.{field}")
    return {
        "id": address_id,
        "object": "Address",
        "created_at": now,
        "updated_at": now,
        **values,
        "mode": MODE,
        "residential": address.get("residential"),
        "verifications": {},
    }


def _parcel(spec, parcel_id, now):
    parcel = spec.get("parcel")
    if parcel is None:
        raise _required("shipment.parcel")
    if not isinstance(parcel, dict):
        raise _invalid("shipment.parcel", "must be an object")
    values = {}
    for name in ("length", "width", "height", "weight"):
        value = parcel.get(name)
        if value is None:
            if name == "weight":
                raise _required("shipment.parcel.weight")
            values[name] = None
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _invalid(f"shipment.parcel.{name}", "must be a number")
        if not 0 < value <= 10_000:
            raise _invalid(f"shipment.parcel.{name}", "must be greater than 0 (and sensible)")
        values[name] = float(value)
    return {
        "id": parcel_id,
        "object": "Parcel",
        "created_at": now,
        "updated_at": now,
        **values,
        "predefined_package": parcel.get("predefined_package"),
        "mode": MODE,
    }


def _fee(kind, amount):
    return {
        "object": "Fee",
        "type": kind,
        "amount": str(amount.quantize(Decimal("0.00001"))),
        "charged": True,
        "refunded": False,
    }


def _cents(amount):
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _label_file(label_format, code, rate):
    text = f"SANDBOX {rate['carrier']} {rate['service']} {code}"
    if label_format == "PDF":
        return tiny_pdf(text)
    if label_format == "ZPL":
        return (
            f"^XA^FO50,50^A0N,40,40^FD{text}^FS^FO50,120^BCN,100,Y,N,N^FD{code}^FS^XZ\n"
        ).encode("ascii")
    if label_format == "EPL2":
        return f'N\nA50,50,0,3,1,1,N,"{text}"\nB50,120,0,1,2,4,100,B,"{code}"\nP1\n'.encode("ascii")
    return tiny_png()


def tiny_png(width=8, height=12):
    """Return a small valid white PNG (8-bit greyscale)."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = b"".join(b"\x00" + b"\xff" * width for _row in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )
