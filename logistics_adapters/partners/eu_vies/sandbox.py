"""EU VIES in the sandbox: the ``checkVatService`` SOAP service at the Commission's paths.

``GET /taxation_customs/vies/checkVatService.wsdl`` (or a GET of the service address, as
``?wsdl`` asks) answers the published WSDL shipped with the package, its address rewritten to
this sandbox. ``POST /taxation_customs/vies/services/checkVatService`` answers ``checkVat``
as VIES does (SOAP 1.1, the published reply's shape, ``requestDate`` dated in CET with its
offset): valid with the trader's name and address for the configured numbers, invalid
(name and address ``---``) for the others, the fault ``INVALID_INPUT`` for a country code
that is not a member state's or a number outside VIES's published pattern. An outage
(constructor or ``POST /_sandbox/eu-vies/outage``) answers VIES's fault of that name
(``MS_UNAVAILABLE``, ``MS_MAX_CONCURRENT_REQ``...) or a bare HTTP 503, for every check or for
some member states only.

Control routes under ``/_sandbox/eu-vies``: ``GET`` (the valid numbers and the outage),
``POST /outage`` (``{"mode": "MS_UNAVAILABLE", "countries": ["DE"]}``; ``"mode": null`` ends
it), ``POST /numbers`` (``{"vat", "name", "address", "valid"}``: a number made valid, or
invalid with ``"valid": false``). ``POST /_sandbox/reset`` goes back to the constructor's.

Requests are read without DTDs, entities or network (the inbound contract's XML check
first): a request declaring a DTD is refused with a ``Client`` fault.
"""

import datetime
import html
import re
import threading

from lxml import etree

from ...formats.xml import SAFE_PARSER
from ...sandbox.core import (
    HttpError,
    Response,
    RouteSet,
    check_keys,
    control_route,
    json_response,
    route,
)
from ...transport.inbound import malformed
from .client import PUBLISHED_ADDRESS, TRANSIENT_FAULTS, WSDL, MalformedVatNumber, normalize_vat

PREFIX = "/taxation_customs/vies"
SERVICE_PATH = "/services/checkVatService"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
TYPES = "urn:ec.europa.eu:taxud:vies:services:checkVat:types"
XML_TYPE = "text/xml; charset=utf-8"
#: VIES's country codes: the member states (EL for Greece) and XI (Northern Ireland).
MEMBER_STATES = frozenset(
    (
        *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU"),
        *("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI"),
    )
)
#: Outage modes: VIES's temporary faults, or ``"503"`` (HTTP 503 without a SOAP body).
OUTAGES = (*TRANSIENT_FAULTS, "503")
#: The numbers valid by default (invented traders): VAT id -> (name, address). Germany
#: discloses no name or address, and VIES answers ``---`` for them.
DEFAULT_NUMBERS = {
    "BE0123456749": ("SANDBOX LOGISTICS NV", "Havenlaan 1\n1000 Brussel"),
    "DE123456789": ("---", "---"),
    "EL123456789": ("SANDBOX SHIPPING AE", "Akti Miaouli 1\n185 38 Piraeus"),
}
_VAT_NUMBER = re.compile(r"[0-9A-Za-z+*.]{2,12}")  # the WSDL's "Usage"
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")
_CET = datetime.timezone(datetime.timedelta(hours=1))


class ViesService(RouteSet):
    """The VIES personality; see the module doc. Thread-safe.

    ``numbers`` maps the valid VAT ids (with their country prefix) to ``(name, address)``;
    ``outage`` is None or one of :data:`OUTAGES`, for the member states in ``countries``
    (every check when empty). :meth:`reset` goes back to these.
    """

    name = "eu-vies"
    prefix = PREFIX

    def __init__(self, numbers=None, *, outage=None, countries=()):
        numbers = DEFAULT_NUMBERS if numbers is None else numbers
        self._initial = (_registered(numbers), _outage(outage, countries))
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        """Back to the numbers and outage given to the constructor."""
        numbers, outage = self._initial
        with self._lock:
            self._numbers = dict(numbers)
            self._outage = outage

    def set_outage(self, mode=None, countries=()):
        """Answer ``mode`` (see :data:`OUTAGES`; None ends the outage) to the checks of
        ``countries`` (every check when empty); returns the outage as the control route
        shows it. ValueError for an unknown mode or country."""
        outage = _outage(mode, countries)
        with self._lock:
            self._outage = outage
        return _shown(outage)

    def set_number(self, vat=None, name="", address="", valid=True):
        """Make ``vat`` (with its country prefix) valid with ``name`` and ``address``, or
        invalid (``valid=False``); returns ``{"numbers": numbers()}``. ValueError for a
        malformed number."""
        if not isinstance(valid, bool):
            raise ValueError("'valid' must be true or false")
        key, value = next(iter(_registered({vat: (name, address)}).items()))
        with self._lock:
            if valid:
                self._numbers[key] = value
            else:
                self._numbers.pop(key, None)
        return {"numbers": self.numbers()}

    def numbers(self):
        """The valid numbers: ``[{"vat", "name", "address"}]`` sorted by VAT id."""
        with self._lock:
            items = sorted(self._numbers.items())
        return [{"vat": "".join(key), "name": n, "address": a} for key, (n, a) in items]

    # -- partner routes ------------------------------------------------------------------------

    @route("GET", "/checkVatService.wsdl")
    @route("GET", SERVICE_PATH)
    def wsdl(self, request):
        """The published WSDL, its service address this sandbox's."""
        host = request.header("Host") or "127.0.0.1"
        if not _HOST.fullmatch(host):
            raise HttpError(400, f"bad Host header {host[:80]!r}")
        address = html.escape(f"http://{host}{PREFIX}{SERVICE_PATH}", quote=True)
        body = WSDL.read_bytes().replace(PUBLISHED_ADDRESS.encode(), address.encode(), 1)
        return Response(200, body, {"Content-Type": XML_TYPE})

    @route("POST", SERVICE_PATH)
    def check_vat(self, request):
        """Answer one ``checkVat``: outage, INVALID_INPUT, else valid or invalid."""
        try:
            country, number = _check_vat_request(request.body)
        except ValueError as exc:
            return _fault(str(exc), code="env:Client")
        with self._lock:
            outage, known = self._outage, self._numbers.get((country, number.upper()))
        if outage is not None and (not outage[1] or country in outage[1]):
            if outage[0] == "503":
                return Response(503, b"Service Unavailable", {"Content-Type": "text/plain"})
            return _fault(outage[0])
        if country not in MEMBER_STATES or not _VAT_NUMBER.fullmatch(number):
            return _fault("INVALID_INPUT")
        return _reply(country, number, known)

    # -- control routes (under /_sandbox/eu-vies) ----------------------------------------------

    @control_route("POST", "/outage")
    def _http_outage(self, request):
        return _control(request, ("mode", "countries"), "an outage", self.set_outage)

    @control_route("POST", "/numbers")
    def _http_number(self, request):
        return _control(request, ("vat", "name", "address", "valid"), "a number", self.set_number)

    @control_route("GET", "")
    def _http_state(self, request):
        with self._lock:
            outage = self._outage
        return json_response(200, {"numbers": self.numbers(), **_shown(outage)})


def _control(request, keys, what, act):
    """Answer a control request: ``act(**its JSON body)`` once its keys are checked."""
    spec = request.json()
    check_keys(spec, keys, what)
    try:
        return json_response(200, act(**spec))
    except ValueError as exc:
        raise HttpError(400, str(exc)) from None


def _registered(numbers):
    """``{(country, number): (name, address)}`` from VAT ids; ValueError when malformed."""
    registered = {}
    for vat, (name, address) in numbers.items():
        if not isinstance(vat, str) or not vat[:2].isalpha():
            raise ValueError(f"{vat!r}: a VAT number starts with its country code")
        try:
            key = normalize_vat(None, vat)
        except MalformedVatNumber as exc:
            raise ValueError(str(exc)) from None
        if key[0] not in MEMBER_STATES:
            raise ValueError(f"{vat!r}: {key[0]} is not a VIES country code")
        if not isinstance(name, str) or not isinstance(address, str):
            raise ValueError(f"{vat!r}: the name and address are text")
        registered[key] = (name, address)
    return registered


def _outage(mode, countries):
    if mode is None:
        return None
    if mode not in OUTAGES:
        raise ValueError(f"outage {mode!r} is not one of {', '.join(OUTAGES)}")
    listed = isinstance(countries, (list, tuple, set, frozenset))
    if not listed or not all(isinstance(c, str) and c in MEMBER_STATES for c in countries):
        raise ValueError(f"countries {countries!r} must be a list of VIES country codes")
    return mode, frozenset(countries)


def _shown(outage):
    mode, countries = outage or (None, ())
    return {"outage": mode, "countries": sorted(countries)}


def _check_vat_request(body):
    """``(countryCode, vatNumber)`` of a checkVat envelope; ValueError saying what is wrong."""
    problem = malformed(body, "text/xml")
    if problem:
        raise ValueError(problem)
    parser = etree.XMLParser(**SAFE_PARSER)
    try:
        root = etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"invalid XML: {exc}") from None
    operation = root.find(f"{{{SOAP_ENV}}}Body/*")
    if root.tag != f"{{{SOAP_ENV}}}Envelope" or operation is None:
        raise ValueError("not a SOAP 1.1 envelope with a body")
    if operation.tag != f"{{{TYPES}}}checkVat":
        raise ValueError(
            f"the sandbox answers checkVat only, not {etree.QName(operation).localname}"
        )
    return tuple(
        operation.findtext(f"{{{TYPES}}}{name}", "").strip()
        for name in ("countryCode", "vatNumber")
    )


def _envelope():
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"env": SOAP_ENV})
    etree.SubElement(envelope, f"{{{SOAP_ENV}}}Header")
    return envelope, etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")


def _serialized(status, envelope):
    body = etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
    return Response(status, body, {"Content-Type": XML_TYPE})


def _fault(text, code="env:Server"):
    """A SOAP 1.1 fault as VIES sends its own (HTTP 500, code ``env:Server``)."""
    envelope, body = _envelope()
    fault = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = code
    etree.SubElement(fault, "faultstring").text = text
    return _serialized(500, envelope)


def _reply(country, number, known):
    """The ``checkVatResponse`` for a number: valid with its trader when ``known``."""
    envelope, body = _envelope()
    answer = etree.SubElement(body, f"{{{TYPES}}}checkVatResponse", nsmap={"ns2": TYPES})
    today = datetime.datetime.now(_CET).date().isoformat()
    name, address = known or ("---", "---")
    values = (country, number, f"{today}+01:00", "true" if known else "false", name, address)
    for tag, value in zip(
        ("countryCode", "vatNumber", "requestDate", "valid", "name", "address"), values
    ):
        etree.SubElement(answer, f"{{{TYPES}}}{tag}").text = value
    return _serialized(200, envelope)
