"""``wco-declaration``: HMRC's published CDS import declaration read as published, declarations
written and read back, the command line, bad and unsafe documents."""

import dataclasses
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from logistics_adapters import canonical as c
from logistics_adapters import registry
from logistics_adapters.errors import ParseError
from logistics_adapters.registry import Identity

from . import strategies
from .helpers import SAMPLES, assert_cli_parses_sample, needs_samples, parse_or_refuse, run, sample
from .test_wco_notification import assert_refused_at, refused

FORMAT = "wco-declaration"
IMPORT = "hmrc_cds_import_declaration_IMA_TT_IM001a.xml"
DEC = "{urn:wco:datamodel:WCO:DEC-DMS:2}"


def codec():
    return registry.get(FORMAT)


def refusal(data):
    return refused(FORMAT, data)


def full_declaration(**changes):
    """A declaration with every field the format carries."""
    values = {
        "reference": "WH/OUT/00042-1",
        "direction": "export",
        "declaration_type": "EXA",
        "mrn": "25GB1NA4Y2YSRFGVR6",
        "exporter": c.Address(
            name="Shipping desk",
            company="YourCompany Ltd",
            street="1 Dock Road",
            city="Felixstowe",
            state="SFK",
            zip="IP11 3SY",
            country="GB",
        ),
        "importer": c.Address(company="Acme Corp", city="Newark", country="US"),
        "declarant": c.Address(company="Broker & Sons <Customs>"),
        "origin_country": "GB",
        "destination_country": "US",
        "incoterm": "DAP",
        "incoterm_location": "USEWR",
        "currency": "EUR",
        "total_value": Decimal("1250.50"),
        "gross_weight_kg": 42.125,
        "shipment_reference": "WH/OUT/00042",
        "exporter_eori": "GB123456789000",
        "importer_eori": "US987654",
        "declarant_eori": "GB603202734852",
        "procedure_code": "1040C12",
        "references": {"Z355": "25GB34F7Y1O2CX8PT4", "ZDCR": "5GB123456789000-42"},
        "items": [
            c.CustomsItem(
                description="Espresso machines, ça va",
                hs_code="85167100",
                origin_country="IT",
                quantity=12.0,
                uom="CT",
                net_weight_kg=30.5,
                gross_weight_kg=36.0,
                value=Decimal("1000.50"),
            ),
            c.CustomsItem(description="Spare parts", hs_code="85169000", value=Decimal("250")),
        ],
    }
    values.update(changes)
    return c.CustomsDeclaration(**values)


# -- the published sample -------------------------------------------------------------------


@needs_samples
def test_import_sample_reads_as_published():
    (found,) = codec().parse(sample(IMPORT))
    assert found == c.CustomsDeclaration(
        "7847767E1WB6",
        direction="import",
        declaration_type="IMA",
        exporter=c.Address(
            company="US Clipper Inc.",
            street="1 Shaver Street",
            city="New York",
            zip="NY1 234",
            country="US",
        ),
        origin_country="US",
        destination_country="GB",
        incoterm="CIF",
        incoterm_location="GBWLA",
        currency="GBP",
        importer_eori="GB553202734852",
        declarant_eori="GB603202734852",
        procedure_code="4000000",
        references={"ZDCR": "4GB553202734852-12345", "Z355": "24GB34F7Y1O2CX8PT4"},
        items=[
            c.CustomsItem(
                description=(
                    "Parts for electric shavers, hair clippers and hair-removing appliances"
                ),
                hs_code="85109000",  # the TSP classification, not the TARIC code 00
                origin_country="US",
                quantity=50.0,
                uom="BX",
                net_weight_kg=100.0,
                gross_weight_kg=150.0,
                value=Decimal("1000"),
            )
        ],
    )
    assert (found.importer, found.declarant, found.mrn) == (None, None, "")  # EORI only


@needs_samples
def test_identify_gives_the_lrn():
    assert codec().identify(sample(IMPORT)) == Identity(("7847767E1WB6",), "")


@needs_samples
def test_command_line_prints_the_declaration():
    assert_cli_parses_sample(codec(), IMPORT)


@needs_samples
def test_sample_written_and_read_back_is_the_same_declaration():
    (found,) = codec().parse(sample(IMPORT))
    assert codec().parse(codec().render([found])) == [found]


@needs_samples
def test_command_line_writes_a_declaration_from_canonical_json(tmp_path):
    (found,) = codec().parse(sample(IMPORT))
    path = tmp_path / "declaration.json"
    path.write_text(json.dumps(c.to_jsonable([found])))
    result = run("render", FORMAT, str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert codec().parse(result.stdout) == [found]


# -- writing ----------------------------------------------------------------------------------


def test_written_declaration_has_the_wco_shape():
    root = etree.fromstring(codec().render([full_declaration()]))
    assert root.tag == "{urn:wco:datamodel:WCO:DocumentMetaData-DMS:2}MetaData"
    assert [child.tag.split("}")[1] for child in root] == [
        "WCODataModelVersionCode",
        "WCOTypeName",
        "ResponsibleCountryCode",
        "Declaration",
    ]
    declaration = root[3]
    assert [child.tag.replace(DEC, "") for child in declaration] == [
        "FunctionCode",
        "FunctionalReferenceID",
        "ID",
        "TypeCode",
        "GoodsItemQuantity",
        "InvoiceAmount",
        "TotalGrossMassMeasure",
        "Declarant",
        "Exporter",
        "GoodsShipment",
    ]
    assert declaration.findtext(f"{DEC}FunctionCode") == "13"  # it has an MRN: an amendment
    assert declaration.find(f"{DEC}InvoiceAmount").get("currencyID") == "EUR"
    item = declaration.find(f"{DEC}GoodsShipment/{DEC}GovernmentAgencyGoodsItem")
    assert [p.findtext(f"{DEC}CurrentCode") for p in item.iter(f"{DEC}GovernmentProcedure")] == [
        "10",
        "C12",
    ]
    assert item.findtext(f"{DEC}Packaging/{DEC}QuantityQuantity") == "12"


def test_full_declaration_is_read_back_as_written():
    declaration = full_declaration()
    assert codec().parse(codec().render([declaration])) == [declaration]
    assert codec().render(declaration) == codec().render([declaration])


def test_original_declaration_without_type_gets_the_direction_prefix():
    written = codec().render([full_declaration(mrn="", declaration_type="")])
    (found,) = codec().parse(written)
    assert found.declaration_type == "EX"
    assert b"<FunctionCode>9</FunctionCode>" in written


@pytest.mark.parametrize(
    ("objects", "says"),
    [
        ([], "one CustomsDeclaration per document, got 0"),
        ([full_declaration(), full_declaration()], "got 2 object(s)"),
        ([c.ClearanceStatus("X", status="hold")], "of which 0 declaration(s)"),
        ([full_declaration(declaration_type="IMA")], "'IMA' does not fit an export"),
        ([full_declaration(procedure_code="400")], "expected 2, 4 or 7 characters"),
        ([full_declaration(reference="bad\x01")], "XML compatible"),
        ([full_declaration(total_value=Decimal("NaN"))], "cannot write the number NaN"),
    ],
)
def test_render_refuses_what_the_format_cannot_hold(objects, says):
    with pytest.raises(ValueError) as caught:
        codec().render(objects)
    assert says in str(caught.value)


def test_command_line_render_refusal_is_an_input_error(tmp_path):
    path = tmp_path / "declaration.json"
    path.write_text(json.dumps(c.to_jsonable([full_declaration(procedure_code="400")])))
    result = run("render", FORMAT, str(path))
    assert result.returncode == 1
    assert b"procedure_code '400'" in result.stderr


_texts = st.text(st.characters(exclude_categories=["Cs", "Cc", "Cn"]), max_size=12).map(str.strip)
_codes = st.from_regex(r"[A-Z0-9]{1,10}", fullmatch=True)
_maybe_codes = st.just("") | _codes
_countries = st.sampled_from(["", "GB", "US", "DE", "IT"])
_amounts = st.none() | st.decimals(min_value=0, max_value=Decimal("1e9"), places=2)
_kilograms = st.none() | st.integers(min_value=0, max_value=10**9).map(lambda n: n / 1000)
_addresses = st.none() | st.builds(
    c.Address,
    name=_texts,
    company=_texts,
    street=_texts,
    city=_texts,
    state=_maybe_codes,
    zip=_maybe_codes,
    country=_countries,
)
_items = st.builds(
    c.CustomsItem,
    description=_texts,
    hs_code=_maybe_codes,
    origin_country=_countries,
    quantity=st.none() | st.integers(min_value=0, max_value=10**6).map(float),
    uom=_maybe_codes,
    net_weight_kg=_kilograms,
    gross_weight_kg=_kilograms,
    value=_amounts,
)


@st.composite
def declarations(draw):
    """Declarations holding only what the format carries, with their type and currency."""
    direction = draw(st.sampled_from(["import", "export"]))
    prefix = {"import": "IM", "export": "EX"}[direction]
    return c.CustomsDeclaration(
        draw(_codes),
        direction=direction,
        declaration_type=draw(st.sampled_from([prefix, prefix + "A", prefix + "D"])),
        mrn=draw(_maybe_codes),
        exporter=draw(_addresses),
        importer=draw(_addresses),
        declarant=draw(_addresses),
        origin_country=draw(_countries),
        destination_country=draw(_countries),
        incoterm=draw(st.sampled_from(["", "CIF", "DAP", "EXW"])),
        incoterm_location=draw(_maybe_codes),
        currency=draw(st.sampled_from(["", "GBP", "EUR"])),
        total_value=draw(_amounts),
        gross_weight_kg=draw(_kilograms),
        shipment_reference=draw(_texts),
        items=draw(st.lists(_items, max_size=3)),
        exporter_eori=draw(_maybe_codes),
        importer_eori=draw(_maybe_codes),
        declarant_eori=draw(_maybe_codes),
        procedure_code=draw(st.sampled_from(["", "40", "4000", "4000000"])),
        references=draw(
            st.dictionaries(st.from_regex(r"[XYZ][A-Z0-9]{3}", fullmatch=True), _codes)
        ),
    )


def carried(declaration):
    """``declaration`` as the format gives it back: an empty party is none, a currency
    without amount is lost, a procedure needs a goods item to stand on."""
    parties = {
        role: None if getattr(declaration, role) == c.Address() else getattr(declaration, role)
        for role in ("exporter", "importer", "declarant")
    }
    amounts = [declaration.total_value, *(item.value for item in declaration.items)]
    has_amount = any(amount is not None for amount in amounts)
    return dataclasses.replace(
        declaration,
        **parties,
        currency=declaration.currency if has_amount else "",
        procedure_code=declaration.procedure_code if declaration.items else "",
    )


@settings(max_examples=150)
@given(declarations())
def test_round_trip_gives_back_what_the_format_carries(declaration):
    assert codec().parse(codec().render([declaration])) == [carried(declaration)]


# -- reading: bad and unsafe documents ------------------------------------------------------


def test_weights_in_grams_or_tonnes_are_read_in_kilograms():
    written = codec().render([full_declaration()])
    written = written.replace(b'unitCode="KGM">30.5<', b'unitCode="GRM">30500<')
    written = written.replace(b'unitCode="KGM">42.125<', b'unitCode="TNE">0.042125<')
    (found,) = codec().parse(written)
    assert found.items[0].net_weight_kg == pytest.approx(30.5)
    assert found.gross_weight_kg == pytest.approx(42.125)


def test_bare_declaration_root_is_read():
    root = etree.fromstring(codec().render([full_declaration()]))
    bare = etree.tostring(root[3])
    assert codec().parse(bare) == [full_declaration()]


@pytest.mark.parametrize(
    ("old", "new", "field", "says"),
    [
        (b"<TypeCode>EXA<", b"<TypeCode>COA<", "Declaration/TypeCode", "unknown declaration type"),
        (b"WH/OUT/00042-1", b"", "Declaration/FunctionalReferenceID", "missing or empty"),
        (b'"KGM">30.5<', b'"LBR">30.5<', "GoodsMeasure/NetNetWeightMeasure", "unknown weight unit"),
        (b">1000.50<", b">1,000.50<", "InvoiceLine/ItemChargeAmount", "invalid amount"),
        (b'currencyID="EUR">250<', b'currencyID="USD">250<', "ItemChargeAmount", "differs"),
    ],
)
def test_bad_values_are_refused_naming_the_element(old, new, field, says):
    written = codec().render([full_declaration()])
    assert old in written
    assert_refused_at(FORMAT, written.replace(old, new, 1), field, says)


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"<MetaData><WCOTypeName>RES</WCOTypeName></MetaData>", "read it with wco-notification"),
        (b"<MetaData/>", "field 'MetaData/Declaration': required element missing"),
        (b"<Response/>", "not a WCO declaration"),
        (b"<Declaration><TypeCode>IMA</TypeCode>", "invalid XML: Premature end of data"),
    ],
)
def test_other_documents_are_refused_saying_why(data, says):
    assert says in str(refusal(data))


def test_external_entity_is_refused_naming_the_doctype():
    document = (
        b'<?xml version="1.0"?><!DOCTYPE MetaData [<!ENTITY eori SYSTEM "file:///etc/hostname">]>'
        b"<MetaData><Declaration><FunctionalReferenceID>&eori;</FunctionalReferenceID>"
        b"<TypeCode>IMA</TypeCode></Declaration></MetaData>"
    )
    error = refusal(document)
    assert str(error) == (
        "wco-declaration: XML with a document type declaration (<!DOCTYPE MetaData>) is "
        "refused: DTDs and entities are not accepted"
    )


@needs_samples
@settings(max_examples=100)
@given(data=st.data())
def test_fuzz_mutated_declarations_read_or_are_refused(data):
    document = (SAMPLES / IMPORT).read_bytes()
    parse_or_refuse(FORMAT, data.draw(strategies.mutated_bytes(document)), refusal=ParseError)
