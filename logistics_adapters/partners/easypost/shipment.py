"""EasyPost API v2 Shipments (rates, labels): parse, and render through :mod:`.shipment_body`.

* ``easypost-shipment``: a ``Shipment`` object (create or buy response), or the body of
  ``POST /v2/shipments`` (``{"shipment": {...}}``) -> ``[Shipment, CustomsDeclaration?,
  Rate..., Label?]``; ``render`` writes a canonical Shipment (and its CustomsDeclaration) as
  the ``POST /v2/shipments`` body (:mod:`.shipment_body`).

Shipments: EasyPost weights are ounces and dimensions inches, converted to kg and cm and back
(rendered to one decimal, as EasyPost takes them). String ``options`` are kept in
``Shipment.references`` as ``options.<name>`` (``currency`` and ``incoterm`` go to their
fields), the customs scalars the canonical model has no field for as ``customs_info.<name>``
(``eel_pfc``, ``non_delivery_option``...); ``render`` writes them back. A bought shipment also
gives ``references["selected_rate_id"]`` (its Rate is in the list, with the cost as Decimal),
``references["tracker_id"]`` and ``references["fee.<type>"]`` (``fee.PostageFee``...), and a
:class:`Label` with the URL of the label in the requested ``label_format``. Its status is
``label_created`` while EasyPost still says ``unknown``.

Bad input raises :class:`ParseError` naming the JSON path (``rates[2].rate``) and, when the
offending text value occurs once in the document, its line.
"""

import json
from decimal import Decimal

from ... import canonical as c
from ...formats.json import MEDIA_TYPE as JSON
from ...formats.json import JsonReader, join_path
from ...registry import Codec
from .shipment_body import (
    CM_PER_INCH,
    CUSTOMS_PREFIX,
    CUSTOMS_TEXT_FIELDS,
    KG_PER_OUNCE,
    OPTIONS_PREFIX,
    render_shipment,
)
from .statuses import EasyPostCodecMixin

FORMAT_SHIPMENT = "easypost-shipment"
#: Label formats with their own URL field on a PostageLabel (others use ``label_url``).
_LABEL_URL_FIELDS = {"PDF": "label_pdf_url", "ZPL": "label_zpl_url", "EPL2": "label_epl2_url"}
_LABEL_MEDIA_FORMATS = {
    "image/png": "PNG",
    "application/pdf": "PDF",
    "application/zpl": "ZPL",
    "application/epl2": "EPL2",
}
#: Label format -> the media type of its file.
LABEL_MEDIA_TYPES = {label_format: media for media, label_format in _LABEL_MEDIA_FORMATS.items()}
#: Customs scalars kept in ``Shipment.references`` as ``customs_info.<name>``, render order.


def _address(reader, obj, path, name):
    address = reader.child(obj, name, path)
    if address is None:
        return None
    path = join_path(path, name)
    fields = {
        "name": "name",
        "company": "company",
        "street": "street1",
        "street2": "street2",
        "city": "city",
        "state": "state",
        "zip": "zip",
        "country": "country",
        "phone": "phone",
        "email": "email",
    }
    return c.Address(
        **{ours: reader.text(address, theirs, path) for ours, theirs in fields.items()}
    )


def _from_ounces(value):
    return None if value is None else value * KG_PER_OUNCE


def _from_inches(value):
    return None if value is None else value * CM_PER_INCH


def _parcel(reader, parcel, path, tracking_number):
    return c.Parcel(
        tracking_number=tracking_number,
        package_type=reader.text(parcel, "predefined_package", path),
        weight_kg=_from_ounces(reader.number(parcel, "weight", path)),
        length_cm=_from_inches(reader.number(parcel, "length", path)),
        width_cm=_from_inches(reader.number(parcel, "width", path)),
        height_cm=_from_inches(reader.number(parcel, "height", path)),
    )


def _rate(reader, rate, path, reference):
    reader.object(rate, path, "a Rate object")
    days = reader.integer(rate, "delivery_days", path)
    return c.Rate(
        carrier=reader.text(rate, "carrier", path, required=True),
        service=reader.text(rate, "service", path),
        amount=reader.amount(rate, "rate", path, required=True),
        currency=reader.text(rate, "currency", path),
        partner_rate_id=reader.text(rate, "id", path),
        shipment_reference=reference,
        delivery_days=days if days is not None else reader.integer(rate, "est_delivery_days", path),
        estimated_delivery=reader.day(rate, "delivery_date", path),
    )


def _label(reader, label, path, shipment, label_format):
    url_field = _LABEL_URL_FIELDS.get(label_format.upper())
    url = reader.text(label, url_field, path) if url_field else ""
    file_format = label_format.upper()
    if not url:
        url = reader.text(label, "label_url", path)
        media_type = reader.text(label, "label_file_type", path)
        file_format = _LABEL_MEDIA_FORMATS.get(media_type.lower(), file_format)
    return c.Label(
        tracking_number=shipment.tracking_number,
        carrier=shipment.carrier,
        service=shipment.service,
        file_format=file_format,
        url=url,
        partner_reference=reader.text(label, "id", path),
        shipment_reference=shipment.reference,
    )


def _customs_item(reader, item, path):
    reader.object(item, path, "a CustomsItem object")
    return c.CustomsItem(
        description=reader.text(item, "description", path),
        product_code=reader.text(item, "code", path),
        hs_code=reader.text(item, "hs_tariff_number", path),
        origin_country=reader.text(item, "origin_country", path),
        quantity=reader.number(item, "quantity", path),
        net_weight_kg=_from_ounces(reader.number(item, "weight", path)),
        value=reader.amount(item, "value", path),
    )


def _customs(reader, customs, path, shipment):
    items_path = join_path(path, "customs_items")
    items = [
        _customs_item(reader, item, f"{items_path}[{index}]")
        for index, item in enumerate(reader.array(customs, "customs_items", path))
    ]
    values = [item.value for item in items if item.value is not None]
    currencies = [
        reader.text(item, "currency", f"{items_path}[{index}]")
        for index, item in enumerate(reader.array(customs, "customs_items", path))
    ]
    signer = reader.text(customs, "customs_signer", path)
    for name in CUSTOMS_TEXT_FIELDS:
        if customs.get(name) is not None:
            shipment.references[CUSTOMS_PREFIX + name] = reader.text(customs, name, path)
    return c.CustomsDeclaration(
        reference=shipment.reference,
        declaration_type=reader.text(customs, "contents_type", path),
        partner_reference=reader.text(customs, "id", path),
        declarant=c.Address(name=signer) if signer else None,
        origin_country=shipment.ship_from.country if shipment.ship_from else "",
        destination_country=shipment.ship_to.country if shipment.ship_to else "",
        incoterm=shipment.incoterm,
        currency=next((code for code in currencies if code), shipment.currency),
        total_value=sum(values, Decimal(0)) if values else None,
        shipment_reference=shipment.reference,
        tracking_number=shipment.tracking_number,
        items=items,
    )


def _read_options(reader, shipment_obj, path, shipment):
    options = reader.child(shipment_obj, "options", path) or {}
    path = join_path(path, "options")
    for name, value in options.items():
        if name == "currency":
            shipment.currency = reader.text(options, name, path)
        elif name == "incoterm":
            shipment.incoterm = reader.text(options, name, path)
        elif isinstance(value, str):
            shipment.references[OPTIONS_PREFIX + name] = value
    return options


def _read_fees(reader, shipment_obj, path, shipment):
    fees_path = join_path(path, "fees")
    totals = {}
    for index, fee in enumerate(reader.array(shipment_obj, "fees", path)):
        fee_path = f"{fees_path}[{index}]"
        reader.object(fee, fee_path, "a Fee object")
        kind = reader.text(fee, "type", fee_path, required=True)
        amount = reader.amount(fee, "amount", fee_path, required=True)
        totals[kind] = totals.get(kind, Decimal(0)) + amount
    for kind, amount in totals.items():
        shipment.references[f"fee.{kind}"] = str(amount)


def _read_shipment(reader, obj, path, status_for):
    """Return the canonical objects of the EasyPost Shipment ``obj`` found at ``path``."""
    tracking_number = reader.text(obj, "tracking_code", path)
    shipment = c.Shipment(
        reference=reader.text(obj, "reference", path),
        partner_reference=reader.text(obj, "id", path),
        tracking_number=tracking_number,
        status=status_for(reader.text(obj, "status", path) or "unknown"),
        ship_from=_address(reader, obj, path, "from_address"),
        ship_to=_address(reader, obj, path, "to_address"),
        is_return=obj.get("is_return") is True,
    )
    parcel = reader.child(obj, "parcel", path)
    if parcel is not None:
        shipment.parcels.append(_parcel(reader, parcel, join_path(path, "parcel"), tracking_number))
    options = _read_options(reader, obj, path, shipment)
    objects = [shipment]
    customs = reader.child(obj, "customs_info", path)
    if customs is not None:
        objects.append(_customs(reader, customs, join_path(path, "customs_info"), shipment))
    objects.extend(_read_rates(reader, obj, path, shipment))
    _read_tracker(reader, obj, path, shipment)
    _read_fees(reader, obj, path, shipment)
    label = reader.child(obj, "postage_label", path)
    if label is not None:
        label_path = join_path(path, "postage_label")
        shipment.ship_date = reader.day(label, "label_date", label_path)
        if shipment.status == c.STATUS_UNKNOWN:
            shipment.status = c.STATUS_LABEL_CREATED
        label_format = options.get("label_format")
        label_format = label_format if isinstance(label_format, str) else ""
        objects.append(_label(reader, label, label_path, shipment, label_format))
    return objects


def _read_rates(reader, obj, path, shipment):
    rates_path = join_path(path, "rates")
    rates = [
        _rate(reader, rate, f"{rates_path}[{index}]", shipment.reference)
        for index, rate in enumerate(reader.array(obj, "rates", path))
    ]
    selected = reader.child(obj, "selected_rate", path)
    if selected is not None:
        chosen = _rate(reader, selected, join_path(path, "selected_rate"), shipment.reference)
        shipment.carrier, shipment.service = chosen.carrier, chosen.service
        shipment.currency = shipment.currency or chosen.currency
        if chosen.partner_rate_id:
            shipment.references["selected_rate_id"] = chosen.partner_rate_id
        known = {rate.partner_rate_id for rate in rates if rate.partner_rate_id}
        if not chosen.partner_rate_id or chosen.partner_rate_id not in known:
            rates.append(chosen)
    return rates


def _read_tracker(reader, obj, path, shipment):
    tracker = reader.child(obj, "tracker", path)
    if tracker is None:
        return
    tracker_path = join_path(path, "tracker")
    shipment.tracking_url = reader.text(tracker, "public_url", tracker_path)
    tracker_id = reader.text(tracker, "id", tracker_path)
    if tracker_id:
        shipment.references["tracker_id"] = tracker_id


class EasyPostShipmentCodec(EasyPostCodecMixin, Codec, name=FORMAT_SHIPMENT, media_type=JSON):
    """EasyPost Shipment (rates, bought label) <-> Shipment, Rates, Label."""

    def parse(self, data):
        """Return [Shipment, CustomsDeclaration?, Rate..., Label?] of a Shipment or request."""
        reader, document = JsonReader.load(self.name, data)
        reader.object(document, "", "an EasyPost Shipment object")
        if "object" not in document and set(document) == {"shipment"}:
            shipment = reader.object(document["shipment"], "shipment", "a shipment object")
            return _read_shipment(reader, shipment, "shipment", self.status_for)
        reader.expect(document, "object", "", "Shipment")
        return _read_shipment(reader, document, "", self.status_for)

    def render(self, objects):
        """Return the JSON body of ``POST /v2/shipments`` for one Shipment (and customs)."""
        return json.dumps(render_shipment(objects), ensure_ascii=False).encode("utf-8")
