"""A CustomsDeclaration written as a WCO DMS declaration (``MetaData/Declaration``).

The document is the one :mod:`.declaration` reads, elements in the order of HMRC's
``WCO_DEC_2_DMS.xsd`` (a schema sequence), ``MetaData`` in its namespace and the declaration
in ``urn:wco:datamodel:WCO:DEC-DMS:2``, as HMRC's samples write it. Reading it back gives
the declaration again for what the format carries (see the reader's module doc): not the
``partner_reference``, ``tracking_number``, items' ``product_code``, addresses' ``street2``,
``phone`` and ``email``. Choices a reader should know:

* ``FunctionCode`` 9 (original); 13 (amendment) when the declaration has an ``mrn``;
* ``TypeCode`` is ``declaration_type``, or ``IM``/``EX`` after the direction without one
  (a declaration type whose first letters contradict the direction is refused);
* ``ResponsibleCountryCode`` is the destination of an import, the origin of an export;
* the commodity code is a ``Classification`` typed ``TSP``; weights are in kg (``KGM``)
  with at most six decimals; ``procedure_code`` (2, 4 or 7 characters, ``4000000``) is
  repeated on every goods item; ``references`` keys are a category letter and a type
  (``Z355``).
"""

from decimal import Decimal

from lxml import etree

from ... import canonical as c

METADATA_NS = "urn:wco:datamodel:WCO:DocumentMetaData-DMS:2"
DECLARATION_NS = "urn:wco:datamodel:WCO:DEC-DMS:2"
FUNCTION_ORIGINAL = "9"
FUNCTION_AMENDMENT = "13"
TYPE_PREFIXES = {"import": "IM", "export": "EX"}
COMMODITY_CODE_TYPE = "TSP"
_SIX_PLACES = Decimal("0.000001")


def render_declaration(declaration):
    """``declaration`` as a WCO declaration document: UTF-8 XML bytes. ``ValueError`` names
    a value the format cannot hold."""
    root = etree.Element(f"{{{METADATA_NS}}}MetaData", nsmap={"md": METADATA_NS})
    for name, value in (
        ("WCODataModelVersionCode", "3.6"),
        ("WCOTypeName", "DEC"),
        ("ResponsibleCountryCode", _responsible_country(declaration)),
    ):
        _add(root, f"{{{METADATA_NS}}}{name}", value)
    body = etree.SubElement(root, f"{{{DECLARATION_NS}}}Declaration", nsmap={None: DECLARATION_NS})
    _header(body, declaration)
    _party(body, "Declarant", declaration.declarant, declaration.declarant_eori)
    _party(body, "Exporter", declaration.exporter, declaration.exporter_eori)
    _goods_shipment(_element(body, "GoodsShipment"), declaration)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _header(body, declaration):
    _add(body, "FunctionCode", FUNCTION_AMENDMENT if declaration.mrn else FUNCTION_ORIGINAL)
    _add(body, "FunctionalReferenceID", declaration.reference)
    _add(body, "ID", declaration.mrn)
    _add(body, "TypeCode", _type_code(declaration))
    _add(body, "GoodsItemQuantity", len(declaration.items))
    _add(body, "InvoiceAmount", declaration.total_value, currencyID=declaration.currency)
    _add(body, "TotalGrossMassMeasure", declaration.gross_weight_kg, unitCode="KGM")


def _goods_shipment(shipment, declaration):
    _add(_element(shipment, "Destination"), "CountryCode", declaration.destination_country)
    _add(_element(shipment, "ExportCountry"), "ID", declaration.origin_country)
    procedures = _procedures(declaration.procedure_code)
    for number, item in enumerate(declaration.items, start=1):
        _goods_item(shipment, number, item, declaration.currency, procedures)
    _party(shipment, "Importer", declaration.importer, declaration.importer_eori)
    for kind, value in declaration.references.items():
        document = _element(shipment, "PreviousDocument")
        _add(document, "CategoryCode", kind[:1])
        _add(document, "ID", value)
        _add(document, "TypeCode", kind[1:])
    terms = _element(shipment, "TradeTerms")
    _add(terms, "ConditionCode", declaration.incoterm)
    _add(terms, "LocationID", declaration.incoterm_location)
    _add(_element(shipment, "UCR"), "TraderAssignedReferenceID", declaration.shipment_reference)
    _drop_empty(shipment)


def _goods_item(shipment, number, item, currency, procedures):
    found = _element(shipment, "GovernmentAgencyGoodsItem")
    _add(found, "SequenceNumeric", number)
    commodity = _element(found, "Commodity")
    _add(commodity, "Description", item.description)
    if item.hs_code:
        classification = _element(commodity, "Classification")
        _add(classification, "ID", item.hs_code)
        _add(classification, "IdentificationTypeCode", COMMODITY_CODE_TYPE)
    measure = _element(commodity, "GoodsMeasure")
    _add(measure, "GrossMassMeasure", item.gross_weight_kg, unitCode="KGM")
    _add(measure, "NetNetWeightMeasure", item.net_weight_kg, unitCode="KGM")
    _add(_element(commodity, "InvoiceLine"), "ItemChargeAmount", item.value, currencyID=currency)
    for current, previous in procedures:
        procedure = _element(found, "GovernmentProcedure")
        _add(procedure, "CurrentCode", current)
        _add(procedure, "PreviousCode", previous)
    _add(_element(found, "Origin"), "CountryCode", item.origin_country)
    packaging = _element(found, "Packaging")
    if item.quantity is not None or item.uom:
        _add(packaging, "SequenceNumeric", 1)
    _add(packaging, "QuantityQuantity", item.quantity)
    _add(packaging, "TypeCode", item.uom)


def _party(parent, name, address, identifier):
    party = _element(parent, name)
    address = address or c.Address()
    _add(party, "Name", address.company)
    _add(party, "ID", identifier)
    found = _element(party, "Address")
    for tag, value in (
        ("CityName", address.city),
        ("CountryCode", address.country),
        ("CountrySubDivisionCode", address.state),
        ("Line", address.street),
        ("PostcodeID", address.zip),
    ):
        _add(found, tag, value)
    _add(_element(party, "Contact"), "Name", address.name)
    _drop_empty(party)


def _type_code(declaration):
    prefix = TYPE_PREFIXES.get(declaration.direction)
    if prefix is None:
        raise ValueError(f"direction {declaration.direction!r}: expected import or export")
    code = declaration.declaration_type or prefix
    if code[:2].upper() != prefix:
        raise ValueError(
            f"declaration_type {code!r} does not fit an {declaration.direction} "
            f"(expected {prefix}...)"
        )
    return code


def _procedures(code):
    """``4000000`` -> ``[("40", "00"), ("000", "")]``; ValueError for another length."""
    if len(code) not in (0, 2, 4, 7):
        raise ValueError(
            f"procedure_code {code!r}: expected 2, 4 or 7 characters (40, 4000, 4000000)"
        )
    procedures = [(code[:2], code[2:4])] if code else []
    return procedures + ([(code[4:], "")] if len(code) == 7 else [])


def _responsible_country(declaration):
    if declaration.direction == "import":
        return declaration.destination_country
    return declaration.origin_country


def _element(parent, name):
    return etree.SubElement(parent, f"{{{DECLARATION_NS}}}{name}")


def _add(parent, tag, value, **attributes):
    """Append ``<tag>value</tag>`` (``tag`` in the declaration's namespace unless it has one)
    unless ``value`` is None or empty; attributes with an empty value are left out."""
    if value is None or value == "":
        return None
    tag = tag if tag.startswith("{") else f"{{{DECLARATION_NS}}}{tag}"
    element = etree.SubElement(parent, tag, {k: v for k, v in attributes.items() if v})
    element.text = _text(value)
    return element


def _text(value):
    if isinstance(value, float):
        value = Decimal(repr(value))
        if value.is_finite():  # 150.0 -> 150, at most six decimals
            value = value.quantize(_SIX_PLACES).normalize()
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"cannot write the number {value}")
        return format(value, "f")
    return str(value)


def _drop_empty(element):
    """Remove the elements under ``element`` that hold nothing, deepest first; then
    ``element`` itself if it is left empty."""
    for child in list(element):
        _drop_empty(child)
    if len(element) == 0 and not (element.text or "").strip() and element.getparent() is not None:
        element.getparent().remove(element)
