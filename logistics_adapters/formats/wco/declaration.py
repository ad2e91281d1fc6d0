"""``wco-declaration``: WCO DMS customs declarations (``MetaData/Declaration``, WCO data model
3.6 ``DEC``) read into a CustomsDeclaration, and written from one (:mod:`.writer`).

Element names are HMRC's ``WCO_DEC_2_DMS.xsd`` (github.com/hmrc/customs-declarations
``public/api/conf/1.0/schemas/wco/declaration/``); the root is ``MetaData`` or a bare
``Declaration``, namespaces are not checked. What is read, by element:

* ``FunctionalReferenceID`` (the LRN, our reference) is ``reference`` (required); ``ID``
  the ``mrn``; ``TypeCode`` the ``declaration_type`` (``IMA``), whose first two letters give
  the ``direction`` (``IM`` import, ``EX`` export; anything else is refused);
  ``InvoiceAmount`` (with its ``currencyID``) is ``total_value``;
  ``TotalGrossMassMeasure`` is ``gross_weight_kg``;
* parties: ``Exporter`` and ``Declarant`` (on the declaration), ``GoodsShipment/Importer``:
  ``Name`` the address's company, ``Contact/Name`` its name, ``Address`` (``Line``,
  ``CityName``, ``CountrySubDivisionCode``, ``PostcodeID``, ``CountryCode``); their ``ID``
  (EORI) is ``exporter_eori``, ``importer_eori``, ``declarant_eori``;
* ``GoodsShipment``: ``ExportCountry/ID`` is ``origin_country`` (dispatched from),
  ``Destination/CountryCode`` ``destination_country``, ``TradeTerms`` ``incoterm``
  (``ConditionCode``) and ``incoterm_location`` (``LocationID``),
  ``UCR/TraderAssignedReferenceID`` ``shipment_reference``, each ``PreviousDocument``
  a ``references`` entry (category and type code -> ``ID``, the first of each kind);
* each ``GovernmentAgencyGoodsItem`` an item: ``Commodity/Description``; the commodity code
  (the ``Classification`` typed ``TSP`` or ``HS``, else the first) is ``hs_code``; the first
  ``Origin/CountryCode``; the first ``Packaging`` gives ``quantity`` (``QuantityQuantity``)
  and ``uom`` (its package ``TypeCode``); ``GoodsMeasure`` the net and gross weights (kg,
  or converted from ``unitCode`` GRM or TNE); ``InvoiceLine/ItemChargeAmount`` the
  ``value``, in the declaration's currency;
* the first item's ``GovernmentProcedure`` codes are ``procedure_code``: the requested and
  previous procedures, then the additional procedure (``40`` ``00`` ``000`` -> ``4000000``).

Not read: authorisations, documents per item, transport means and equipment, guarantees,
duty lines of the declaration (the notifications give what customs assessed).
"""

from ... import canonical as c
from ...registry import Codec, Identity
from . import xml
from .writer import render_declaration

FORMAT = "wco-declaration"
DIRECTIONS = {"IM": "import", "EX": "export"}
#: ``Classification/IdentificationTypeCode`` of the commodity code itself (the others are
#: additional codes: TARIC, national).
COMMODITY_CODE_TYPES = ("TSP", "HS")
#: Kilograms in one unit of a weight's ``unitCode``; no unit means kilograms.
KILOGRAMS = {"": 1, "KGM": 1, "GRM": 0.001, "TNE": 1000}


class WcoDeclarationCodec(Codec, name=FORMAT, media_type=xml.MEDIA_TYPE):
    """WCO DMS customs declarations (data model 3.6), read and written."""

    def parse(self, data):
        """The CustomsDeclaration of ``data``."""
        return [self._declaration(self._root(data))]

    def identify(self, data):
        """The declaration's reference (LRN); a declaration has no message id of its own."""
        return Identity((self.parse(data)[0].reference,))

    def render(self, objects):
        """The one CustomsDeclaration of ``objects`` (a list, or the object alone) as a WCO
        declaration (UTF-8 XML)."""
        objects = list(objects) if isinstance(objects, (list, tuple)) else [objects]
        declarations = [obj for obj in objects if isinstance(obj, c.CustomsDeclaration)]
        if len(declarations) != 1 or len(objects) != 1:
            raise ValueError(
                f"{FORMAT} writes one CustomsDeclaration per document, "
                f"got {len(objects)} object(s) of which {len(declarations)} declaration(s)"
            )
        return render_declaration(declarations[0])

    def _root(self, data):
        root = xml.load(self.name, data)
        if xml.local(root) == "Declaration":
            return root
        kind = xml.text(root, "WCOTypeName")
        if xml.local(root) != "MetaData" or kind not in ("", "DEC"):
            hint = ": read it with wco-notification" if kind == "RES" else ""
            raise xml.error(self.name, root, f"not a WCO declaration{hint}")
        declaration = xml.find(root, "Declaration")
        if declaration is None:
            raise xml.error(self.name, root, "required element missing", "Declaration")
        return declaration

    def _declaration(self, found):
        type_code = xml.required_text(self.name, found, "TypeCode")
        direction = DIRECTIONS.get(type_code[:2].upper())
        if direction is None:
            raise xml.error(
                self.name,
                xml.find(found, "TypeCode"),
                f"unknown declaration type {type_code[:10]!r}: expected IM... or EX...",
            )
        shipment = xml.find(found, "GoodsShipment")
        items = xml.findall(shipment, "GovernmentAgencyGoodsItem")
        currency = _currency(self.name, found, items)
        exporter, exporter_eori = _party(found, "Exporter")
        importer, importer_eori = _party(shipment, "Importer")
        declarant, declarant_eori = _party(found, "Declarant")
        return c.CustomsDeclaration(
            xml.required_text(self.name, found, "FunctionalReferenceID"),
            direction=direction,
            declaration_type=type_code,
            mrn=xml.text(found, "ID"),
            exporter=exporter,
            importer=importer,
            declarant=declarant,
            origin_country=xml.text(shipment, "ExportCountry/ID"),
            destination_country=xml.text(shipment, "Destination/CountryCode"),
            incoterm=xml.text(shipment, "TradeTerms/ConditionCode"),
            currency=currency,
            total_value=xml.amount(self.name, found, "InvoiceAmount"),
            gross_weight_kg=_kilograms(self.name, found, "TotalGrossMassMeasure"),
            shipment_reference=xml.text(shipment, "UCR/TraderAssignedReferenceID"),
            items=[self._item(item) for item in items],
            exporter_eori=exporter_eori,
            importer_eori=importer_eori,
            declarant_eori=declarant_eori,
            procedure_code=_procedure_code(items[0] if items else None),
            incoterm_location=xml.text(shipment, "TradeTerms/LocationID"),
            references=_previous_documents(shipment),
        )

    def _item(self, item):
        commodity = xml.find(item, "Commodity")
        packaging = xml.find(item, "Packaging")
        return c.CustomsItem(
            description=xml.text(commodity, "Description"),
            hs_code=_commodity_code(commodity),
            origin_country=xml.text(item, "Origin/CountryCode"),
            quantity=xml.number(self.name, packaging, "QuantityQuantity"),
            uom=xml.text(packaging, "TypeCode"),
            net_weight_kg=_kilograms(self.name, commodity, "GoodsMeasure/NetNetWeightMeasure"),
            value=xml.amount(self.name, commodity, "InvoiceLine/ItemChargeAmount"),
            gross_weight_kg=_kilograms(self.name, commodity, "GoodsMeasure/GrossMassMeasure"),
        )


def _currency(fmt, declaration, items):
    """The declaration's currency: ``InvoiceAmount``'s, else the items' (which must agree)."""
    currency = xml.currency(declaration, "InvoiceAmount")
    for item in items:
        amount = xml.find(item, "Commodity/InvoiceLine/ItemChargeAmount")
        given = xml.currency(amount, "")
        if given and currency and given != currency:
            raise xml.error(fmt, amount, f"currency {given[:5]!r} differs from {currency!r}")
        currency = currency or given
    return currency


def _party(holder, name):
    """``(Address or None, ID)`` of the party ``name`` of ``holder``."""
    party = xml.find(holder, name)
    if party is None:
        return None, ""
    address = xml.find(party, "Address")
    found = c.Address(
        name=xml.text(party, "Contact/Name"),
        company=xml.text(party, "Name"),
        street=xml.text(address, "Line"),
        city=xml.text(address, "CityName"),
        state=xml.text(address, "CountrySubDivisionCode"),
        zip=xml.text(address, "PostcodeID"),
        country=xml.text(address, "CountryCode"),
    )
    return (None if found == c.Address() else found), xml.text(party, "ID")


def _commodity_code(commodity):
    classifications = xml.children(commodity, "Classification")
    for classification in classifications:
        if xml.text(classification, "IdentificationTypeCode") in COMMODITY_CODE_TYPES:
            return xml.text(classification, "ID")
    return xml.text(classifications[0], "ID") if classifications else ""


def _procedure_code(item):
    """Requested and previous procedure (two digits each), then the additional procedure
    (three characters), as the goods item declares them."""
    main = additional = ""
    for procedure in xml.children(item, "GovernmentProcedure"):
        current = xml.text(procedure, "CurrentCode")
        if len(current) == 2 and not main:
            main = current + xml.text(procedure, "PreviousCode")
        elif len(current) == 3 and not additional:
            additional = current
    return main + additional if main else ""


def _previous_documents(shipment):
    references = {}
    for document in xml.children(shipment, "PreviousDocument"):
        kind = xml.text(document, "CategoryCode") + xml.text(document, "TypeCode")
        if kind and xml.text(document, "ID"):
            references.setdefault(kind, xml.text(document, "ID"))
    return references


def _kilograms(fmt, holder, path):
    """The weight at ``path`` in kilograms, None when absent."""
    value = xml.number(fmt, holder, path)
    if value is None:
        return None
    found = xml.find(holder, path)
    unit = (found.get("unitCode") or "").strip().upper()
    if unit not in KILOGRAMS:
        raise xml.error(fmt, found, f"unknown weight unit {unit[:10]!r} (KGM, GRM or TNE)")
    return value * KILOGRAMS[unit]
