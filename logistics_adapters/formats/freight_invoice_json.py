"""``freight-invoice-json``: the suite's own JSON freight invoice, for carriers and TMSs that
send invoices as JSON rather than X12 (and for the sandbox and tests).

A document is one invoice object, or an object whose ``invoices`` member is an array of
them. Every member is optional but the invoice's ``invoice_number`` and each charge's
``amount``; a member the schema does not name is refused, naming its JSON path, so a typo
never drops a value silently. The members are the fields of the canonical objects, by the
same names:

.. code-block:: text

    invoice:  invoice_number, invoice_date, due_date, delivery_date (ISO 8601 dates),
              carrier, mode (motor, air, parcel, ocean, rail), payment_method, currency
              (ISO 4217), total (amount), weight_kg (number), shipment_reference,
              references ({kind: value}), tracking_numbers ([text]),
              bill_to, ship_from, ship_to (address), charges ([charge]),
              shipments ([shipment])
    shipment: references, tracking_numbers, weight_kg, pieces (integer), ship_from, ship_to,
              origin, destination (location codes), ship_date, delivery_date, service,
              charges ([charge])
    charge:   code, code_list (x12-150, or the carrier's own list), description,
              quantity (number), rate (amount), rate_qualifier, amount (amount)
    address:  name, company, street, street2, city, state, zip, country (ISO 3166
              alpha-2), phone, email

Amounts are strings (``"-12.74"``) or numbers, read exactly (never through a float);
negative for discounts. Reference kinds are those of the canonical model (``pro``,
``bill_of_lading``, ``purchase_order``, ``shipment_id``, ``airbill``...). An invoice's
charges are those of no shipment; ``total`` is what the invoice says is due, compared by the
Odoo side with the charges' sum. The invoice's tracking numbers are its own and its
shipments', each once; ``tracking_number`` is the first. ``render`` writes the same form
(``{"invoices": [...]}``), members without value left out.
"""

import json
from datetime import date

from ..canonical import FREIGHT_MODES, Address, Charge, FreightInvoice, FreightShipment
from ..registry import Codec, Identity
from .json import MEDIA_TYPE, JsonReader, join_path, kind_of

FORMAT = "freight-invoice-json"
INVOICES = "invoices"

#: Member -> kind of value, per object of the schema (see the module doc).
ADDRESS_FIELDS = dict.fromkeys(Address.__dataclass_fields__, "text")
CHARGE_FIELDS = {"code": "text", "code_list": "text", "description": "text"}
CHARGE_FIELDS |= {"quantity": "number", "rate": "amount", "rate_qualifier": "text"}
CHARGE_FIELDS |= {"amount": "amount"}
_SHIPPED = {"references": "references", "tracking_numbers": "texts", "weight_kg": "number"}
SHIPMENT_FIELDS = {**_SHIPPED, "pieces": "integer", "ship_from": "address", "ship_to": "address"}
SHIPMENT_FIELDS |= {"origin": "text", "destination": "text", "ship_date": "day"}
SHIPMENT_FIELDS |= {"delivery_date": "day", "service": "text", "charges": "charges"}
INVOICE_FIELDS = {"invoice_number": "text", "invoice_date": "day", "due_date": "day"}
INVOICE_FIELDS |= {"delivery_date": "day", "carrier": "text", "mode": "text"}
INVOICE_FIELDS |= {"payment_method": "text", "currency": "text", "total": "amount"}
INVOICE_FIELDS |= {**_SHIPPED, "shipment_reference": "text", "bill_to": "address"}
INVOICE_FIELDS |= {"ship_from": "address", "ship_to": "address", "charges": "charges"}
INVOICE_FIELDS |= {"shipments": "shipments"}
_REQUIRED = {FreightInvoice: "invoice_number", Charge: "amount"}


# -- reading -------------------------------------------------------------------------------


def read_invoices(data):
    """The :class:`FreightInvoice` objects of a JSON document (see the module doc)."""
    reader, document = JsonReader.load(FORMAT, data)
    root = reader.root(document)
    if INVOICES not in root:
        return [_read_invoice(reader, root, "")]
    _known(reader, root, "", (INVOICES,))
    return [_read_invoice(reader, item, path) for path, item in reader.objects(root, INVOICES, "")]


def _read_invoice(reader, obj, path):
    invoice = _read_object(reader, obj, path, FreightInvoice, INVOICE_FIELDS)
    if invoice.mode and invoice.mode not in FREIGHT_MODES:
        expected = ", ".join(FREIGHT_MODES)
        message = f"unknown mode {invoice.mode!r}; expected one of: {expected}"
        raise reader.error(join_path(path, "mode"), message)
    found = [*invoice.tracking_numbers]
    found += [number for shipment in invoice.shipments for number in shipment.tracking_numbers]
    invoice.tracking_numbers = list(dict.fromkeys(found))
    invoice.tracking_number = next(iter(invoice.tracking_numbers), "")
    return invoice


def _read_object(reader, obj, path, cls, fields):
    """The ``cls`` object of JSON object ``obj`` at ``path``, its members as ``fields`` say."""
    _known(reader, obj, path, fields)
    required = _REQUIRED.get(cls)
    values = {}
    for name, kind in fields.items():
        value = _READERS[kind](reader, obj, name, path, name == required)
        if value is not None:
            values[name] = value
    if cls is Charge:
        values.setdefault("code", "")
    return cls(**values)


def _known(reader, obj, path, names):
    unknown = sorted(set(obj) - set(names))
    if unknown:
        known = ", ".join(names)
        raise reader.error(join_path(path, unknown[0]), f"unknown member; known: {known}")


def _read_text(reader, obj, name, path, required):
    return reader.text(obj, name, path, required) if required or name in obj else None


def _read_references(reader, obj, name, path, _required):
    found = reader.child(obj, name, path)
    if found is None:
        return None
    where = join_path(path, name)
    return {kind: reader.text(found, kind, where, required=True) for kind in found}


def _read_texts(reader, obj, name, path, _required):
    found = []
    for index, value in enumerate(reader.array(obj, name, path)):
        if not isinstance(value, str) or not value.strip():
            what = "an empty string" if isinstance(value, str) else kind_of(value)
            raise reader.error(f"{join_path(path, name)}[{index}]", f"expected text, got {what}")
        found.append(value)
    return found


def _read_address(reader, obj, name, path, _required):
    found = reader.child(obj, name, path)
    if found is None:
        return None
    return _read_object(reader, found, join_path(path, name), Address, ADDRESS_FIELDS)


def _read_list(cls, fields):
    def read(reader, obj, name, path, _required):
        return [
            _read_object(reader, item, where, cls, fields)
            for where, item in reader.objects(obj, name, path)
        ]

    return read


_READERS = {
    "text": _read_text,
    "day": lambda reader, obj, name, path, _required: reader.day(obj, name, path),
    "amount": lambda reader, obj, name, path, required: reader.amount(obj, name, path, required),
    "number": lambda reader, obj, name, path, _required: reader.number(obj, name, path),
    "integer": lambda reader, obj, name, path, _required: reader.integer(obj, name, path),
    "references": _read_references,
    "texts": _read_texts,
    "address": _read_address,
    "charges": _read_list(Charge, CHARGE_FIELDS),
    "shipments": _read_list(FreightShipment, SHIPMENT_FIELDS),
}


# -- writing -------------------------------------------------------------------------------


def invoice_json(invoice):
    """``invoice`` as the JSON-ready dict of the schema (members without value left out)."""
    if not isinstance(invoice, FreightInvoice):
        raise ValueError(
            f"a freight invoice is written from FreightInvoice objects, not {invoice!r}"
        )
    written = _object_json(invoice, INVOICE_FIELDS)
    tracking = [invoice.tracking_number, *invoice.tracking_numbers]
    tracking = list(dict.fromkeys(number for number in tracking if number))
    if tracking:
        written["tracking_numbers"] = tracking
    return written


def _object_json(obj, fields):
    written = {}
    for name, kind in fields.items():
        value = getattr(obj, name)
        if value is None or (kind != "address" and value in ("", [], {})):
            continue
        written[name] = _WRITERS.get(kind, _as_is)(value)
    return written


def _as_is(value):
    return value


_WRITERS = {
    "day": date.isoformat,
    "amount": str,
    "references": dict,
    "texts": list,
    "address": lambda address: _object_json(address, ADDRESS_FIELDS),
    "charges": lambda charges: [_object_json(charge, CHARGE_FIELDS) for charge in charges],
    "shipments": lambda shipments: [_object_json(s, SHIPMENT_FIELDS) for s in shipments],
}


class FreightInvoiceJsonCodec(Codec, name=FORMAT, media_type=MEDIA_TYPE):
    """Freight invoices as JSON: the suite's own schema (invoices, shipments, charges).

    Read and written; see the module doc for the members.
    """

    def parse(self, data):
        """The FreightInvoice objects of a JSON document; ParseError names the JSON path."""
        return read_invoices(data)

    def identify(self, data):
        """The invoice numbers, no message id."""
        numbers = {invoice.invoice_number for invoice in self.parse(data)}
        numbers.discard("")
        return Identity(tuple(sorted(numbers)))

    def render(self, objects):
        """``objects`` (FreightInvoice, one or a list) as ``{"invoices": [...]}``, UTF-8."""
        if not isinstance(objects, (list, tuple)):
            objects = [objects]
        document = {INVOICES: [invoice_json(invoice) for invoice in objects]}
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


__all__ = ["FORMAT", "FreightInvoiceJsonCodec", "invoice_json", "read_invoices"]
