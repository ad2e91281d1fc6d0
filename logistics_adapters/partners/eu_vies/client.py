"""The EU VIES VAT check: one partner's VAT number asked of the European Commission's
``checkVatService`` (SOAP), under the suite's SOAP policy (:mod:`...transport.soap`).

The WSDL is the package data file ``checkVatService.wsdl``, byte for byte the copy published
in ``../shared/samples/eu_vies_checkVatService.wsdl``: DG TAXUD's WSDL of
http://ec.europa.eu/taxation_customs/vies/checkVatService.wsdl as github.com/gitterHQ/vies
kept it (``checkVatService.wsdl``, commit 59ab7f4f, 2014-12-04). So the client loads it
offline; its address is the 2014 ``http://`` one, so calls go to :data:`ENDPOINT`, the
``https://`` address the service answers on today, unless told otherwise.

Failures come out as the suite's errors, each naming the number asked
(:data:`TRANSIENT_FAULTS`): VIES or a member state being down or busy is a
``TransientError`` (the check is retried later and never blocks a declaration), a refused
request (``INVALID_INPUT``) or any fault VIES does not document as temporary a
``BusinessError``. Input is normalised before it is sent (:func:`normalize_vat`); what
cannot be a VAT number is refused with :class:`MalformedVatNumber` without asking VIES.
"""

import datetime
import pathlib
import re
from dataclasses import dataclass
from types import MappingProxyType

from ...errors import AdapterError, BusinessError
from ...transport.soap import call, soap_client

__all__ = [
    "BUSINESS_FAULTS",
    "ENDPOINT",
    "PUBLISHED_ADDRESS",
    "TIMEOUT",
    "TRANSIENT_FAULTS",
    "WSDL",
    "MalformedVatNumber",
    "VatCheck",
    "ViesClient",
    "check_vat",
    "normalize_vat",
]

#: The published WSDL, shipped with the package (see the module doc).
WSDL = pathlib.Path(__file__).with_name("checkVatService.wsdl")
#: The service address written in :data:`WSDL` (2014, plain HTTP).
PUBLISHED_ADDRESS = "http://ec.europa.eu/taxation_customs/vies/services/checkVatService"
#: Where :class:`ViesClient` sends checks with the shipped WSDL: the same address over HTTPS.
ENDPOINT = "https://ec.europa.eu/taxation_customs/vies/services/checkVatService"
#: ``(connect, read)`` seconds: VIES waits for the member state, then answers TIMEOUT itself.
TIMEOUT = (5, 30)
BINDING = "{urn:ec.europa.eu:taxud:vies:services:checkVat}checkVatBinding"

#: VIES's fault strings that mean "try again later", with their meaning. The shipped 2014
#: WSDL documents SERVICE_UNAVAILABLE, MS_UNAVAILABLE, TIMEOUT and SERVER_BUSY; the WSDL the
#: Commission publishes today adds GLOBAL_MAX_CONCURRENT_REQ and MS_MAX_CONCURRENT_REQ (its
#: ``xsd:documentation``, "Usage").
TRANSIENT_FAULTS = MappingProxyType(
    {
        "SERVICE_UNAVAILABLE": "the VIES service is unavailable; try again later",
        "MS_UNAVAILABLE": "the member state's service is unavailable; try again later",
        "TIMEOUT": "the member state's service did not answer in time; try again later",
        "SERVER_BUSY": "VIES cannot process the request now; try again later",
        "GLOBAL_MAX_CONCURRENT_REQ": "VIES's limit of concurrent requests is reached; "
        "try again later",
        "MS_MAX_CONCURRENT_REQ": "the limit of concurrent requests to this member state is "
        "reached; try again later",
    }
)
#: The documented fault that means the request itself is wrong: asking again gives the same.
BUSINESS_FAULTS = MappingProxyType(
    {"INVALID_INPUT": "VIES refuses the country code or finds the VAT number empty"}
)

_ALIASES = {"GR": "EL"}  # ISO 3166 code -> VIES's code (Greece is EL in VAT numbers)
_SEPARATORS = re.compile(r"[\s.\-]+")
_COUNTRY = re.compile(r"[A-Z]{2}")
_NUMBER = re.compile(r"[0-9A-Z+*]{2,12}")  # VIES's [0-9A-Za-z\+\*\.]{2,12}, dots removed
_PLACEHOLDER = "---"  # VIES's name and address when the member state gives none


class MalformedVatNumber(BusinessError, ValueError):
    """Input that cannot be a VAT number: nothing is asked of VIES."""


@dataclass(frozen=True, slots=True)
class VatCheck:
    """One answer of VIES: the number as VIES echoes it, whether it is valid, the trader's
    ``name`` and ``address`` (``""`` when VIES gives none or its ``---``), VIES's
    ``request_date`` and when we asked (``checked_at``, UTC): the date a cached answer
    holds."""

    country_code: str
    vat_number: str
    valid: bool
    name: str = ""
    address: str = ""
    request_date: datetime.date | None = None
    checked_at: datetime.datetime | None = None

    @property
    def vat_id(self):
        """The number with its country prefix, as printed on invoices (``EL094259216``)."""
        return f"{self.country_code}{self.vat_number}"


def normalize_vat(country_code, vat_number):
    """Return ``(country_code, vat_number)`` as VIES takes them, or raise
    :class:`MalformedVatNumber` saying what is wrong.

    Spaces, dots and dashes go; letters are upper-cased; the country prefix in the number is
    dropped (``DE 123.456.789`` with ``DE`` -> ``123456789``); Greece is ``EL`` (``GR`` is
    read as ``EL``, in both places). Without ``country_code`` the number's prefix gives it.
    """
    if not isinstance(vat_number, str) or not isinstance(country_code, (str, type(None))):
        raise MalformedVatNumber(
            f"a VAT number and its country code are text, not {vat_number!r} and {country_code!r}"
        )
    number = _upper(_SEPARATORS.sub("", vat_number))
    country = _upper((country_code or "").strip())
    country = _ALIASES.get(country, country)
    prefix = _ALIASES.get(number[:2], number[:2])
    if not country:
        if not _COUNTRY.fullmatch(prefix):
            raise MalformedVatNumber(
                f"VAT number {vat_number!r} has no country: give the country code or start "
                "the number with it"
            )
        country = prefix
    if prefix == country:
        number = number[2:]
    if not _COUNTRY.fullmatch(country):
        raise MalformedVatNumber(
            f"country code {country_code!r} of VAT number {vat_number!r} is not two letters "
            "(ISO 3166, EL for Greece)"
        )
    if not number:
        raise MalformedVatNumber(f"VAT number {vat_number!r} ({country}) is empty")
    if not _NUMBER.fullmatch(number):
        raise MalformedVatNumber(
            f"VAT number {vat_number!r} ({country}) is not 2 to 12 letters, digits, '+' or "
            f"'*' once its spaces, dots, dashes and country prefix are removed ({number!r})"
        )
    return country, number


class ViesClient:
    """A VIES client to keep for a batch of checks (building one parses the WSDL).

    ``wsdl`` is a local path or a URL (default: the shipped :data:`WSDL`); ``endpoint`` the
    address checks are sent to (default: :data:`ENDPOINT` with the shipped WSDL, else the
    WSDL's own address); ``timeout``, ``session`` and ``cache`` as for
    :func:`~logistics_adapters.transport.soap.soap_client`.
    """

    def __init__(
        self,
        wsdl=WSDL,
        *,
        endpoint=None,
        timeout=TIMEOUT,
        session=None,
        cache=True,
        debug_logger=None,
    ):
        self.soap = soap_client(
            str(wsdl), timeout=timeout, cache=cache, session=session, debug_logger=debug_logger
        )
        if endpoint is None and str(wsdl) == str(WSDL):
            endpoint = ENDPOINT
        if endpoint:
            # zeep's way to another address (create_service), made the default service,
            # the one transport.soap.call runs operations on.
            self.soap._default_service = self.soap.create_service(BINDING, endpoint)

    @property
    def endpoint(self):
        """The address checks are sent to."""
        return self.soap.service._binding_options["address"]

    def check(self, country_code, vat_number):
        """Ask VIES about one number; return a :class:`VatCheck`.

        Raises :class:`MalformedVatNumber` before asking for what cannot be a number,
        ``TransientError`` when VIES or the member state is down, busy or slow (and on
        timeouts, connection errors, 429 and 5xx), ``BusinessError`` when VIES refuses the
        request; every message names the number.
        """
        country, number = normalize_vat(country_code, vat_number)
        try:
            reply = call(
                self.soap,
                "checkVat",
                countryCode=country,
                vatNumber=number,
                transient_faults=tuple(TRANSIENT_FAULTS),
            )
        except AdapterError as error:
            raise _naming(error, country + number) from None
        checked_at = datetime.datetime.now(datetime.timezone.utc)
        return VatCheck(
            country_code=reply.countryCode or country,
            vat_number=reply.vatNumber or number,
            valid=bool(reply.valid),
            name=_text(reply.name),
            address=_text(reply.address),
            request_date=reply.requestDate,
            checked_at=checked_at,
        )


def check_vat(country_code, vat_number, *, wsdl=WSDL, endpoint=None, timeout=TIMEOUT, session=None):
    """Check one number with a new :class:`ViesClient` (keep a client for several)."""
    client = ViesClient(wsdl, endpoint=endpoint, timeout=timeout, session=session)
    return client.check(country_code, vat_number)


def _naming(error, vat_id):
    """``error`` with a message naming the number and, for VIES's faults, their meaning."""
    fault = getattr(error, "faultstring", "")
    meaning = TRANSIENT_FAULTS.get(fault) or BUSINESS_FAULTS.get(fault)
    detail = f"{fault}: {meaning}" if meaning else str(error)
    error.args = (f"VIES check of {vat_id}: {detail}",)
    error.vat_id = vat_id
    return error


def _upper(text):
    """``text`` upper-cased when ASCII: ``"ß".upper()`` is ``"SS"``, which is no VAT number."""
    return text.upper() if text.isascii() else text


def _text(value):
    return "" if value is None or value.strip() == _PLACEHOLDER else value
