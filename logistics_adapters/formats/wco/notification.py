"""``wco-notification``: WCO DMS notifications (``MetaData/Response``) read into
ClearanceStatus objects, one per ``Response``.

A customs system pushes (or lets its clients pull) one notification per event of a
declaration: accepted, rejected, duties calculated, under control, documents required,
released, cleared... Element names are the WCO data model 3.6 ``RES`` message as HMRC's
``WCO_RES_2_DMS.xsd`` gives it (github.com/hmrc/customs-declarations
``public/api/conf/1.0/schemas/wco/notification/``); the root may be ``MetaData`` (with or
without the WCO namespaces: HMRC's published samples have none) or a bare ``Response``.

For each ``Response``:

* ``FunctionCode`` is ``partner_status``; its label and clearance ``status`` come from
  :data:`.statuses.DMS_RESPONSE_STATUSES` (an unknown code is refused, naming it);
* ``FunctionalReferenceID`` (the notification's own id) is ``notification_id``;
  ``IssueDateTime`` is ``occurred_at`` (required: a status is never left undated);
* ``Declaration/FunctionalReferenceID`` (the LRN, our reference) is
  ``declaration_reference``, ``Declaration/ID`` the ``mrn``;
* the duty calculation: each goods item's ``Commodity/DutyTaxFee`` is a Duty (``TypeCode``,
  ``AdValoremTaxBaseAmount`` as base, ``TaxRateNumeric``, ``Payment/PaymentAmount`` (else
  ``TaxAssessedAmount``) as amount, its ``currencyID``, the item's ``SequenceNumeric``);
  the declaration's ``DutyTaxFee/Payment`` gives ``payment_reference`` (``ReferenceID``),
  ``total_payable`` (``PaymentAmount``) and its ``DueDateTime``;
* ``Error`` (a rejection's reasons, or a warning on an acceptance): a ClearanceError per
  element, ``ValidationCode``, ``Description`` and its ``Pointer`` steps as text
  (:mod:`.pointers`);
* ``AdditionalInformation``: a remark each (statement type and code, description, where it
  points), its ``LimitDateTime`` is ``due_at`` (documents to present by then); ``Bank`` and
  a guarantee reference are remarks too.

``identify``: the declarations' LRNs (their MRNs when no LRN is given) and, as message id,
the notification ids (sorted, joined by commas).
"""

from ... import canonical as c
from ...registry import Codec, Identity
from . import xml
from .pointers import pointer_location, pointer_text, read_pointers
from .statuses import DMS_RESPONSE_STATUSES

FORMAT = "wco-notification"


class WcoNotificationCodec(
    Codec, name=FORMAT, media_type=xml.MEDIA_TYPE, statuses=DMS_RESPONSE_STATUSES
):
    """WCO DMS customs notifications (accepted, rejected, duties, released...): statuses."""

    def parse(self, data):
        """One ClearanceStatus per ``Response`` of ``data``."""
        return [self._status(response) for response in self._responses(data)]

    def identify(self, data):
        """The declarations' references and the notification ids as message id."""
        statuses = self.parse(data)
        references = {status.declaration_reference for status in statuses} - {""}
        references = references or {status.mrn for status in statuses} - {""}
        ids = sorted({status.notification_id for status in statuses} - {""})
        return Identity(tuple(sorted(references)), ",".join(ids))

    def _responses(self, data):
        root = xml.load(self.name, data)
        name = xml.local(root)
        if name == "Response":
            return [root]
        if name != "MetaData":
            raise xml.error(self.name, root, f"expected a WCO notification, got <{name[:40]}>")
        kind = xml.text(root, "WCOTypeName")
        if kind not in ("", "RES"):
            hint = ": read it with wco-declaration" if kind == "DEC" else ""
            raise xml.error(
                self.name, root, f"a WCO {kind[:10]!r} document, not a notification{hint}"
            )
        responses = xml.children(root, "Response")
        if not responses:
            raise xml.error(self.name, root, "no Response: not a notification", "Response")
        return responses

    def _status(self, response):
        code = xml.required_text(self.name, response, "FunctionCode")
        entry = self.statuses.get(code)
        if entry is None:
            known = ", ".join(self.statuses)
            raise xml.error(
                self.name,
                xml.find(response, "FunctionCode"),
                f"unknown response function code {code[:10]!r} (known: {known})",
            )
        occurred_at = xml.moment(self.name, response, "IssueDateTime")
        if occurred_at is None:
            raise xml.error(
                self.name,
                response,
                "required element missing or empty: the status would have no time",
                "IssueDateTime",
            )
        declaration = xml.find(response, "Declaration")
        payment = xml.find(declaration, "DutyTaxFee/Payment")
        duties = self._duties(declaration)
        currencies = [duty.currency for duty in duties if duty.currency]
        return c.ClearanceStatus(
            xml.text(declaration, "FunctionalReferenceID"),
            status=entry.status,
            mrn=xml.text(declaration, "ID"),
            partner_status=code,
            partner_status_text=entry.label,
            occurred_at=occurred_at,
            currency=xml.currency(payment, "PaymentAmount") or next(iter(currencies), ""),
            duties=duties,
            remarks=self._remarks(response, payment),
            notification_id=xml.text(response, "FunctionalReferenceID"),
            errors=[self._error(element) for element in xml.children(response, "Error")],
            payment_reference=xml.text(payment, "ReferenceID"),
            total_payable=xml.amount(self.name, payment, "PaymentAmount"),
            due_at=self._due_at(response, payment),
        )

    def _duties(self, declaration):
        """The duties assessed on each goods item, in document order."""
        return [
            self._duty(fee, xml.integer(self.name, item, "SequenceNumeric"))
            for item in xml.findall(declaration, "GoodsShipment/GovernmentAgencyGoodsItem")
            for fee in xml.findall(item, "Commodity/DutyTaxFee")
        ]

    def _duty(self, fee, item):
        where = "Payment/PaymentAmount"
        amount = xml.amount(self.name, fee, where)
        if amount is None:
            where = "Payment/TaxAssessedAmount"
            amount = xml.amount(self.name, fee, where)
        if amount is None:
            raise xml.error(
                self.name, fee, "required element missing or empty: the duty has no amount", where
            )
        return c.Duty(
            xml.required_text(self.name, fee, "TypeCode"),
            amount,
            base=xml.amount(self.name, fee, "AdValoremTaxBaseAmount"),
            rate=xml.amount(self.name, fee, "TaxRateNumeric"),
            currency=xml.currency(fee, where) or xml.currency(fee, "AdValoremTaxBaseAmount"),
            item=item,
        )

    def _error(self, element):
        pointers = read_pointers(element)
        return c.ClearanceError(
            xml.text(element, "ValidationCode"),
            description=xml.text(element, "Description"),
            pointer=pointer_text(pointers),
            location=pointer_location(pointers),
        )

    def _remarks(self, response, payment):
        remarks = [_statement(info) for info in xml.children(response, "AdditionalInformation")]
        bank = xml.find(response, "Bank")
        if bank is not None:
            remarks.append(
                f"Bank for duties and taxes {xml.text(bank, 'ReferenceID')}, "
                f"account {xml.text(bank, 'ID')}"
            )
        guarantee = xml.text(payment, "ObligationGuarantee/ReferenceID")
        if guarantee:
            remarks.append(f"Guarantee reference {guarantee}")
        return [remark for remark in remarks if remark]

    def _due_at(self, response, payment):
        """The first deadline given: a statement's ``LimitDateTime``, else the payment's
        ``DueDateTime``."""
        for info in xml.children(response, "AdditionalInformation"):
            limit = xml.moment(self.name, info, "LimitDateTime")
            if limit is not None:
                return limit
        return xml.moment(self.name, payment, "DueDateTime")


def _statement(info):
    """``Statement AFB/A2: <description> (<where it points>)``; ``""`` when it says nothing."""
    kinds = "/".join(
        value
        for value in (xml.text(info, "StatementTypeCode"), xml.text(info, "StatementCode"))
        if value
    )
    description = xml.text(info, "StatementDescription")
    where = pointer_location(read_pointers(info))
    text = f"Statement {kinds}" if kinds else ""
    if description:
        text = f"{text}: {description}" if text else description
    return f"{text} ({where})" if text and where else text
