"""The EasyPost ``POST /v2/shipments`` body of a canonical Shipment (and its customs).

EasyPost weights are ounces and dimensions inches, rendered to one decimal, as EasyPost takes
them; ``Shipment.references`` ``options.<name>`` and ``customs_info.<name>`` are written back.
"""

from decimal import ROUND_HALF_UP, Decimal

from ... import canonical as c

KG_PER_OUNCE = 0.028349523125
CM_PER_INCH = 2.54
#: Customs scalars kept in ``Shipment.references`` as ``customs_info.<name>``, render order.
CUSTOMS_TEXT_FIELDS = (
    "eel_pfc",
    "contents_explanation",
    "restriction_type",
    "restriction_comments",
    "non_delivery_option",
)
OPTIONS_PREFIX = "options."
CUSTOMS_PREFIX = "customs_info."


def _one_decimal(value, minimum=None):
    """Return ``value`` rounded to the tenth EasyPost takes, as int when it is whole."""
    rounded = Decimal(repr(round(value, 6))).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if minimum is not None and rounded < Decimal(minimum):
        rounded = Decimal(minimum)
    return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)


def _json_amount(amount):
    if amount == amount.to_integral_value():
        return int(amount)
    as_float = float(amount)
    return as_float if Decimal(repr(as_float)) == amount else str(amount)


def _render_address(address):
    fields = (
        ("name", address.name),
        ("company", address.company),
        ("street1", address.street),
        ("street2", address.street2),
        ("city", address.city),
        ("state", address.state),
        ("zip", address.zip),
        ("country", address.country),
        ("email", address.email),
        ("phone", address.phone),
    )
    return {name: value for name, value in fields if value}


def _render_parcel(parcel):
    if parcel.weight_kg is None or parcel.weight_kg <= 0:
        raise ValueError("parcels[0].weight_kg: EasyPost needs a positive parcel weight")
    body = {}
    for name in ("length", "width", "height"):
        value = getattr(parcel, f"{name}_cm")
        if value is not None:
            body[name] = _one_decimal(value / CM_PER_INCH)
    if parcel.package_type:
        body["predefined_package"] = parcel.package_type
    body["weight"] = _one_decimal(parcel.weight_kg / KG_PER_OUNCE, minimum="0.1")
    return body


def _render_customs_item(item):
    body = {"description": item.description}
    if item.quantity is not None:
        body["quantity"] = (
            int(item.quantity) if item.quantity == int(item.quantity) else item.quantity
        )
    if item.net_weight_kg is not None:
        body["weight"] = _one_decimal(item.net_weight_kg / KG_PER_OUNCE, minimum="0.1")
    if item.value is not None:
        body["value"] = _json_amount(item.value)
    for name, value in (
        ("hs_tariff_number", item.hs_code),
        ("origin_country", item.origin_country),
        ("code", item.product_code),
    ):
        if value:
            body[name] = value
    return body


def _render_customs(declaration, references):
    def text(name):
        return references.get(CUSTOMS_PREFIX + name)

    signer = declaration.declarant.name if declaration.declarant else ""
    body = {"eel_pfc": text("eel_pfc")}
    if signer:
        body.update(customs_certify=True, customs_signer=signer)
    body["contents_type"] = declaration.declaration_type or None
    for name in CUSTOMS_TEXT_FIELDS[1:]:
        body[name] = text(name)
    body = {name: value for name, value in body.items() if value is not None}
    body["customs_items"] = [_render_customs_item(item) for item in declaration.items]
    return body


def _render_options(shipment):
    options = {
        name[len(OPTIONS_PREFIX) :]: value
        for name, value in shipment.references.items()
        if name.startswith(OPTIONS_PREFIX) and len(name) > len(OPTIONS_PREFIX)
    }
    if shipment.currency:
        options.setdefault("currency", shipment.currency)
    if shipment.incoterm:
        options.setdefault("incoterm", shipment.incoterm)
    return options


def _pick_objects(objects):
    if not isinstance(objects, (list, tuple)):
        objects = [objects]
    shipments = [obj for obj in objects if isinstance(obj, c.Shipment)]
    declarations = [obj for obj in objects if isinstance(obj, c.CustomsDeclaration)]
    others = [obj for obj in objects if not isinstance(obj, (c.Shipment, c.Rate, c.Label))]
    others = [obj for obj in others if not isinstance(obj, c.CustomsDeclaration)]
    if len(shipments) != 1:
        raise ValueError(f"expected exactly one Shipment, got {len(shipments)}")
    if len(declarations) > 1:
        raise ValueError("expected at most one CustomsDeclaration")
    if others:
        raise ValueError(f"cannot render {type(others[0]).__name__} in an EasyPost shipment")
    return shipments[0], (declarations[0] if declarations else None)


def render_shipment(objects):
    """Return the ``POST /v2/shipments`` body (a dict) for a Shipment and its customs."""
    shipment, declaration = _pick_objects(objects)
    if shipment.ship_from is None or shipment.ship_to is None:
        raise ValueError("a Shipment needs ship_from and ship_to for EasyPost")
    if len(shipment.parcels) != 1:
        raise ValueError(f"EasyPost ships one parcel per shipment, got {len(shipment.parcels)}")
    body = {
        "from_address": _render_address(shipment.ship_from),
        "to_address": _render_address(shipment.ship_to),
        "parcel": _render_parcel(shipment.parcels[0]),
    }
    if declaration is not None:
        body["customs_info"] = _render_customs(declaration, shipment.references)
    options = _render_options(shipment)
    if options:
        body["options"] = options
    if shipment.reference:
        body["reference"] = shipment.reference
    if shipment.is_return:
        body["is_return"] = True
    return {"shipment": body}
