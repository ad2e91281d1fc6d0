"""The audit of freight invoices, a batch at a time: duplicates, charge codes, totals,
matching to shipments, expected cost, comparison within tolerance. Each step reads what it
needs for the whole batch in a few queries; the invoices end in the state that says what is
left to do, with a note in words."""

from collections import defaultdict

from .freight_matching import Matcher

#: Money compares to the cent.
CENT = 0.005
#: Invoice states that count: an invoice in one of them is the original of a duplicate.
LIVE = ("received", "unmatched", "exception", "variance", "disputed", "approved", "billed")


class FreightAudit:
    """Audit ``invoices`` (one company's, all open): :meth:`run`."""

    def __init__(self, invoices):
        self.invoices = invoices
        self.env = invoices.env
        self.company = invoices.company_id
        self.state = {}
        self.notes = defaultdict(list)

    def run(self):
        """Audit every invoice and write its state and note."""
        invoices = self.invoices
        invoices.audit_line_ids.unlink()
        self._duplicate_numbers(invoices)
        live = self._live(invoices)
        self._carriers(live)
        self._charge_types(self._live(invoices))
        self._totals(self._live(invoices))
        # Duplicates are matched too: a person sees what they would have billed twice.
        Matcher(self.env, self.company).match(
            invoices.shipment_ids.filtered(lambda s: not (s.picking_id or s.transport_order_id))
        )
        self._expected(invoices)
        live = self._live(invoices)
        self._unmatched(live)
        self._duplicate_shipments(self._live(invoices))
        self._compare(self._live(invoices))
        self._write()

    def _live(self, invoices):
        return invoices.filtered(lambda invoice: invoice not in self.state)

    def _flag(self, invoice, state, note):
        self.state.setdefault(invoice, state)
        self.notes[invoice].append(note)

    # ------------------------------------------------------------------ steps

    def _duplicate_numbers(self, invoices):
        """Same carrier, same invoice number as an invoice that counts: a duplicate."""
        Invoice = self.env["logistics.freight.invoice"]
        others = Invoice.search(
            [
                ("company_id", "=", self.company.id),
                ("name", "in", list(set(invoices.mapped("name")))),
                ("state", "in", LIVE),
            ],
            order="id",
        )
        first = {}
        for other in others | invoices.sorted("id"):
            key = (other.carrier_id.id or other.carrier_code, other.name)
            first.setdefault(key, other)
        for invoice in invoices:
            original = first[(invoice.carrier_id.id or invoice.carrier_code, invoice.name)]
            if original.id < invoice.id:
                invoice.duplicate_of_id = original
                self._flag(invoice, "duplicate", self._duplicate_note(original))

    def _duplicate_note(self, original):
        return self.env._(
            "A duplicate of %(original)s (%(state)s): it is never billed. If the carrier "
            "really billed twice, dispute it; else leave it.",
            original=original.display_name,
            state=original.state,
        )

    def _carriers(self, invoices):
        for invoice in invoices.filtered(lambda invoice: not invoice.carrier_id):
            self._flag(
                invoice,
                "exception",
                self.env._(
                    "No carrier is known as %(code)r: give the carrier's contact that SCAC "
                    "(Contacts, Sales & Purchase tab) or set the backend's billing carrier, "
                    "then Audit again.",
                    code=invoice.carrier_code or "",
                ),
            )

    def _charge_types(self, invoices):
        """Each charge's type from its code, the carrier's own mapping first; an unknown
        or unmapped code, or a type without a product to bill it with, is an exception."""
        index = self.env["logistics.freight.charge.code"]._index()
        by_type = defaultdict(list)
        for invoice in invoices:
            carrier = invoice.carrier_id.id
            for line in invoice.line_ids:
                key = (line.code_list or "", line.code or "")
                if (carrier, *key) in index:
                    found = index[(carrier, *key)]
                else:
                    found = index.get((0, *key), None)
                by_type[found or False].append(line.id)
                if found is None:
                    self._flag(
                        invoice,
                        "exception",
                        self.env._(
                            "Charge %(code)s %(label)r is not a known %(list)s code: add it in "
                            "Freight Billing > Configuration > Charge Codes with its charge "
                            "type (for this carrier if it is its own), then Audit again.",
                            code=line.code,
                            label=line.label,
                            list=line.code_list or self.env._("charge"),
                        ),
                    )
                elif not found:
                    self._flag(
                        invoice,
                        "exception",
                        self.env._(
                            "Charge code %(code)s (%(label)s) has no charge type: set one in "
                            "Freight Billing > Configuration > Charge Codes, then Audit again.",
                            code=line.code,
                            label=line.label,
                        ),
                    )
        Line = self.env["logistics.freight.invoice.line"]
        for type_id, line_ids in by_type.items():
            Line.browse(line_ids).write({"charge_type_id": type_id})
        for invoice in self._live(invoices):
            for charge_type in invoice.line_ids.charge_type_id.filtered(lambda t: not t.product_id):
                self._flag(
                    invoice,
                    "exception",
                    self.env._(
                        "Charge type %(type)s has no product to bill it with: set 'Bill with' "
                        "in Freight Billing > Configuration > Charge Types, then Audit again.",
                        type=charge_type.name,
                    ),
                )

    def _totals(self, invoices):
        """An invoice whose stated total is not the sum of its charges is not billed."""
        for invoice in invoices:
            stated, charged = invoice.document_total, invoice.billed_total
            if stated and abs(stated - charged) > CENT:
                self._flag(
                    invoice,
                    "exception",
                    self.env._(
                        "The invoice states a total of %(stated)s but its charges add up to "
                        "%(charged)s: ask the carrier for a corrected invoice (Dispute), or "
                        "cancel it.",
                        stated=stated,
                        charged=charged,
                    ),
                )

    def _expected(self, invoices):
        """What each matched shipment was expected to cost, and so each invoice."""
        shipments = invoices.shipment_ids.filtered(lambda s: s.picking_id or s.transport_order_id)
        orders_of = self._orders_of_pickings(shipments.picking_id)
        for shipment in shipments:
            order = shipment.transport_order_id or orders_of.get(shipment.picking_id.id)
            amount, source, currency = self._expected_of(shipment.picking_id, order)
            if currency and currency != shipment.currency_id:
                amount = currency._convert(
                    amount,
                    shipment.currency_id,
                    self.company,
                    shipment.invoice_id.invoice_date or shipment.invoice_id.received_at.date(),
                )
            shipment.write({"expected": amount, "expected_source": source})
        for invoice in invoices:
            invoice.expected_total = sum(invoice.shipment_ids.mapped("expected"))

    def _orders_of_pickings(self, pickings):
        if not pickings:
            return {}
        orders = self.env["logistics.transport.order"].search(
            [("picking_ids", "in", pickings.ids), ("state", "!=", "cancelled")]
        )
        return {picking.id: order for order in orders for picking in order.picking_ids}

    def _expected_of(self, picking, order):
        """``(amount, source, currency)``: the transport order's accepted rate or estimate,
        else the labels bought for the transfer, else its carrier's quote."""
        if order:
            tender = order.tender_ids.filtered(lambda t: t.state == "accepted")[-1:]
            if tender and tender.rate:
                return tender.rate, "contract", tender.currency_id or order.currency_id
            return order.estimated_cost, "estimate", order.currency_id
        parcels = picking.logistics_parcel_ids.filtered(lambda p: p.state != "refunded")
        if parcels:
            return sum(parcels.mapped("price")), "label", parcels[0].currency_id
        return picking.carrier_price, "quote", picking.company_id.currency_id

    def _unmatched(self, invoices):
        for invoice in invoices:
            missing = invoice.shipment_ids.filtered(
                lambda s: not (s.picking_id or s.transport_order_id)
            )
            if missing:
                Matcher(self.env, self.company).propose(missing)
                self._flag(
                    invoice,
                    "unmatched",
                    self.env._(
                        "%(shipments)s matches no transfer or transport order: choose one on "
                        "the Shipments tab (candidates are proposed), then Audit again.",
                        shipments=", ".join(s._describe() for s in missing),
                    ),
                )

    def _duplicate_shipments(self, invoices):
        """Same carrier, same shipments, same amount as an invoice that counts: a
        duplicate (a carrier's re-sent invoice under a new number)."""
        if not invoices:
            return
        Invoice = self.env["logistics.freight.invoice"]
        others = Invoice.search(
            [
                ("company_id", "=", self.company.id),
                ("carrier_id", "in", invoices.carrier_id.ids),
                ("state", "in", LIVE),
                "|",
                ("picking_ids", "in", invoices.picking_ids.ids),
                ("transport_order_ids", "in", invoices.transport_order_ids.ids),
            ]
        )
        first = {}
        for other in (others | invoices).sorted("id"):
            first.setdefault(self._shipments_key(other), other)
        for invoice in invoices:
            original = first[self._shipments_key(invoice)]
            if original.id < invoice.id:
                invoice.duplicate_of_id = original
                self._flag(invoice, "duplicate", self._duplicate_note(original))

    def _shipments_key(self, invoice):
        return (
            invoice.carrier_id.id,
            frozenset(invoice.picking_ids.ids),
            frozenset(invoice.transport_order_ids.ids),
            round(invoice.billed_total, 2),
        )

    def _compare(self, invoices):
        """Billed against expected per charge type and for the total, each row judged by
        its tolerance rule; out of tolerance goes to the variance workbench."""
        Types = self.env["logistics.freight.charge.type"]
        rulebook = self.env["logistics.freight.tolerance"]._rulebook(self.company)
        default_rate_type = Types.search([("in_rate", "=", True)], limit=1)
        values = []
        for invoice in invoices:
            rows = self._rows(invoice, default_rate_type)
            for sequence, (kind, charge_type, label, billed, expected) in enumerate(rows):
                scope = {"rate": "charge", "accessorial": "unexpected", "total": "total"}[kind]
                rule = rulebook.pick(scope, invoice.carrier_id, invoice.customer_id, charge_type)
                row = self._judge(rule, kind, billed, expected)
                values.append(
                    {
                        "invoice_id": invoice.id,
                        "sequence": sequence,
                        "kind": kind,
                        "charge_type_id": charge_type.id,
                        "label": label,
                        "billed": billed,
                        "expected": expected,
                        "tolerance_id": rule.id,
                        **row,
                    }
                )
                if row["verdict"] != "ok":
                    self._flag(invoice, "variance", self._variance_note(label, billed, row))
            self.state.setdefault(invoice, "approved")
        self.env["logistics.freight.audit.line"].create(values)

    def _rows(self, invoice, default_rate_type):
        """``(kind, charge type, label, billed, expected)`` of each row of the comparison."""
        lines = invoice.line_ids
        in_rate = lines.filtered(lambda line: line.charge_type_id.in_rate)
        rate_types = in_rate.charge_type_id.sorted("sequence")
        rate_type = rate_types[:1] or default_rate_type
        rows = [
            (
                "rate",
                rate_type,
                ", ".join(rate_types.mapped("name")) or rate_type.name or "",
                sum(in_rate.mapped("amount")),
                invoice.expected_total,
            )
        ]
        for charge_type in (lines - in_rate).charge_type_id.sorted("sequence"):
            mine = lines.filtered(lambda line, t=charge_type: line.charge_type_id == t)
            billed = sum(mine.mapped("amount"))
            rows.append(("accessorial", charge_type, charge_type.name, billed, 0.0))
        rows.append(
            (
                "total",
                self.env["logistics.freight.charge.type"],
                self.env._("Invoice total"),
                invoice.billed_total,
                invoice.expected_total,
            )
        )
        return rows

    def _judge(self, rule, kind, billed, expected):
        over = rule._allowed(expected, "over") if rule else 0.0
        under = rule._allowed(expected, "under") if rule else 0.0
        difference = billed - expected
        verdict = "ok"
        if difference > over + CENT:
            verdict = "unexpected" if kind == "accessorial" else "over"
        elif difference < -under - CENT and kind != "accessorial":
            verdict = "under"
        return {
            "difference": difference,
            "allowed_over": over,
            "allowed_under": under,
            "verdict": verdict,
        }

    def _variance_note(self, label, billed, row):
        if row["verdict"] == "unexpected":
            return self.env._(
                "%(label)s: %(billed).2f billed, nobody expected it (up to %(allowed).2f allowed).",
                label=label,
                billed=billed,
                allowed=row["allowed_over"],
            )
        direction = self.env._("above") if row["verdict"] == "over" else self.env._("below")
        allowed = row["allowed_over"] if row["verdict"] == "over" else row["allowed_under"]
        return self.env._(
            "%(label)s: %(billed).2f billed, %(difference).2f %(direction)s what was "
            "expected (up to %(allowed).2f allowed).",
            label=label,
            billed=billed,
            difference=abs(row["difference"]),
            direction=direction,
            allowed=allowed,
        )

    # ------------------------------------------------------------------ writing

    def _write(self):
        by_state = defaultdict(lambda: self.env["logistics.freight.invoice"])
        for invoice in self.invoices:
            state = self.state.get(invoice, "approved")
            note = "\n".join(self.notes.get(invoice, []))
            invoice.write(
                {
                    "state": state,
                    "audit_note": note or False,
                    "variance": invoice.billed_total - invoice.expected_total,
                }
            )
            by_state[state] |= invoice
        return by_state
