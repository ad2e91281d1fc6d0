"""The audit of freight invoices, a batch at a time: duplicates, carrier, charge codes,
totals, matching to shipments, expected cost, comparison within tolerance. The batch is read
in a few queries into plain rows, judged in Python, and written back set-based
(:mod:`.freight_sql`); the invoices end in the state that says what is left to do, with a
note in words."""

from collections import defaultdict

from .freight_batch import read_batch, write_batch
from .freight_expected import ExpectedCosts
from .freight_matching import Matcher

#: Money compares to the cent.
CENT = 0.005
#: Invoice states that count: an invoice in one of them is the original of a duplicate.
LIVE = ("received", "unmatched", "exception", "variance", "disputed", "approved", "billed")
SCOPES = {"rate": "charge", "accessorial": "unexpected", "total": "total"}


class FreightAudit:
    """Audit one company's open invoices: :meth:`run` those written already (``invoices``,
    records), :meth:`judge` new ones before they are written (``company`` given)."""

    def __init__(self, invoices, company=None):
        self.records = invoices
        self.env = invoices.env
        self.cr = invoices.env.cr
        self.company = company or invoices.company_id
        self.batch = {}

    def run(self):
        """Audit every invoice and write its state, note and comparison."""
        self.env.flush_all()
        invoices = read_batch(self.env, self.records.ids)
        rows, unmatched = self.judge(invoices)
        shipments = [s for invoice in invoices for s in invoice.shipments]
        write_batch(self.env, invoices, shipments, rows)
        self.propose(unmatched)
        self.records.invalidate_recordset()

    def judge(self, invoices):
        """Judge ``invoices`` (plain rows): each one's state, notes, matches, expected cost
        and charge types set on it. Return the comparison rows, and the ids of the
        shipments nothing matched (to :meth:`propose` candidates for once written)."""
        self.batch = {invoice.id: invoice for invoice in invoices}
        self._duplicate_numbers(invoices)
        self._carriers(self._live(invoices))
        self._charge_types(self._live(invoices))
        self._totals(self._live(invoices))
        # Duplicates are matched too: a person sees what they would have billed twice.
        shipments = [s for invoice in invoices for s in invoice.shipments]
        Matcher(self.env, self.company).match([s for s in shipments if not _matched(s)])
        self._expected(invoices, shipments)
        unmatched = self._unmatched(self._live(invoices))
        self._duplicate_shipments(self._live(invoices))
        return self._compare(self._live(invoices)), unmatched

    def propose(self, shipment_ids):
        """Candidates for the written shipments ``shipment_ids`` nothing matched."""
        if shipment_ids:
            Shipment = self.env["logistics.freight.invoice.shipment"]
            Matcher(self.env, self.company).propose(Shipment.browse(shipment_ids))

    @staticmethod
    def _live(invoices):
        return [invoice for invoice in invoices if not invoice.state]

    @staticmethod
    def _flag(invoice, state, note):
        invoice.state = invoice.state or state
        invoice.notes.append(note)

    # ------------------------------------------------------------------ steps

    def _duplicate_numbers(self, invoices):
        """Same carrier, same invoice number as an invoice that counts: a duplicate."""
        self.cr.execute(
            """SELECT DISTINCT ON (COALESCE(carrier_id::text, carrier_code), name)
                      COALESCE(carrier_id::text, carrier_code), name, id, state
                 FROM logistics_freight_invoice
                WHERE company_id = %s AND name = ANY(%s) AND state IN %s AND NOT id = ANY(%s)
                ORDER BY COALESCE(carrier_id::text, carrier_code), name, id""",
            [self.company.id, [i.name for i in invoices], LIVE, [i.id for i in invoices]],
        )
        first = {
            (key, name): (invoice_id, state) for key, name, invoice_id, state in self.cr.fetchall()
        }
        for invoice in invoices:
            key = (
                str(invoice.carrier_id) if invoice.carrier_id else invoice.carrier_code,
                invoice.name,
            )
            original = first.setdefault(key, (invoice.id, "received"))
            if original[0] != invoice.id:
                invoice.duplicate_of = original[0]
                self._flag(invoice, "duplicate", self._duplicate_note(*original))

    def _duplicate_note(self, original_id, state):
        if original_id in self.batch:  # in this batch: not decided (nor written) yet
            name = self.batch[original_id].name
            state = self.env._("received with it")
        else:
            name = self.env["logistics.freight.invoice"].browse(original_id).display_name
        return self.env._(
            "A duplicate of %(original)s (%(state)s): it is never billed. If the carrier "
            "really billed twice, dispute it; else leave it.",
            original=name,
            state=state,
        )

    def _state_of(self, invoice_id):
        """The state of invoice ``invoice_id``: as judged so far when in this batch."""
        if invoice_id in self.batch:
            return self.batch[invoice_id].state or "received"
        return self.env["logistics.freight.invoice"].browse(invoice_id).state

    def _carriers(self, invoices):
        for invoice in invoices:
            if not invoice.carrier_id:
                self._flag(
                    invoice,
                    "exception",
                    self.env._(
                        "No carrier is known as %(code)r: give the carrier's contact that SCAC "
                        "(Contacts, Sales & Purchase tab) or set the backend's billing "
                        "carrier, then Audit again.",
                        code=invoice.carrier_code,
                    ),
                )

    def _charge_types(self, invoices):
        """Each charge's type from its code, the carrier's own mapping first; an unknown or
        unmapped code, or a type without a product to bill it with, is an exception."""
        codes = {line["code"] for invoice in invoices for line in invoice.lines}
        index = self.env["logistics.freight.charge.code"]._index(codes)
        types = self._types()
        for invoice in invoices:
            for line in invoice.lines:
                key = (line["list"], line["code"])
                found = index.get((invoice.carrier_id or 0, *key), index.get((0, *key)))
                line["type"] = found or None
                if (invoice.carrier_id or 0, *key) not in index and (0, *key) not in index:
                    self._flag(invoice, "exception", self._unknown_note(line))
                elif not found:
                    self._flag(invoice, "exception", self._unmapped_note(line))
                elif not types[found]["product"]:
                    self._flag(invoice, "exception", self._productless_note(types[found]))

    def _types(self):
        """``{charge type id: {name, sequence, in_rate, product}}`` of every type."""
        if not hasattr(self, "_type_rows"):
            Types = self.env["logistics.freight.charge.type"].with_context(active_test=False)
            self._type_rows = {
                t.id: {
                    "name": t.name,
                    "sequence": t.sequence,
                    "in_rate": t.in_rate,
                    "product": t.product_id.id,
                }
                for t in Types.search([])
            }
        return self._type_rows

    def _unknown_note(self, line):
        return self.env._(
            "Charge %(code)s %(label)r is not a known %(list)s code: add it in Freight "
            "Billing > Configuration > Charge Codes with its charge type (for this carrier if "
            "it is its own), then Audit again.",
            code=line["code"],
            label=line["label"],
            list=line["list"] or self.env._("charge"),
        )

    def _unmapped_note(self, line):
        return self.env._(
            "Charge code %(code)s (%(label)s) has no charge type: set one in Freight Billing "
            "> Configuration > Charge Codes, then Audit again.",
            code=line["code"],
            label=line["label"],
        )

    def _productless_note(self, charge_type):
        return self.env._(
            "Charge type %(type)s has no product to bill it with: set 'Bill with' in Freight "
            "Billing > Configuration > Charge Types, then Audit again.",
            type=charge_type["name"],
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

    def _expected(self, invoices, shipments):
        """What each matched shipment was expected to cost (the load's accepted rate or
        estimate, else the labels bought, else the carrier's quote), and so each invoice;
        its sale order and customer."""
        costs = ExpectedCosts(self.env, self.company)
        costs.load([s for s in shipments if _matched(s)])
        for shipment in shipments:
            if _matched(shipment):
                costs.apply(shipment)
        for invoice in invoices:
            invoice.expected = sum(s.expected for s in invoice.shipments)
            orders = [s.sale_order_id for s in invoice.shipments if s.sale_order_id]
            invoice.customer_id = costs.customer(orders[0]) if orders else None

    def _unmatched(self, invoices):
        """Invoices with a shipment nothing matched wait (candidates are proposed for the
        batch's unmatched shipments at once); the ids of those shipments."""
        unmatched = []
        for invoice in invoices:
            missing = [s for s in invoice.shipments if not _matched(s)]
            if not missing:
                continue
            unmatched += [s.id for s in missing]
            self._flag(
                invoice,
                "unmatched",
                self.env._(
                    "%(shipments)s matches no transfer or transport order: choose one on "
                    "the Shipments tab (candidates are proposed), then Audit again.",
                    shipments=", ".join(s.describe(self.env) for s in missing),
                ),
            )
        return unmatched

    def _duplicate_shipments(self, invoices):
        """Same carrier, same shipments, same amount as an invoice that counts: a duplicate
        (a carrier's invoice sent again under a new number)."""
        if not invoices:
            return
        orders = [s.order_id for i in invoices for s in i.shipments if s.order_id]
        pickings = [s.picking_id for i in invoices for s in i.shipments if s.picking_id]
        # From the batch's loads and transfers (their shipment indexes), whatever the
        # statistics say of the invoice table.
        self.cr.execute(
            """WITH hits AS (
                   SELECT invoice_id FROM logistics_freight_invoice_shipment
                    WHERE transport_order_id = ANY(%s)
                   UNION
                   SELECT invoice_id FROM logistics_freight_invoice_shipment
                    WHERE picking_id = ANY(%s))
               SELECT i.id, i.carrier_id, i.billed_total, s.picking_id, s.transport_order_id
                 FROM hits
                 JOIN logistics_freight_invoice i ON i.id = hits.invoice_id
                 JOIN logistics_freight_invoice_shipment s ON s.invoice_id = i.id
                WHERE i.company_id = %s AND i.state IN %s AND NOT i.id = ANY(%s)""",
            [orders, pickings, self.company.id, LIVE, [i.id for i in invoices]],
        )
        others = defaultdict(lambda: [None, 0.0, set()])
        for invoice_id, carrier, billed, picking, order in self.cr.fetchall():
            other = others[invoice_id]
            other[0], other[1] = carrier, billed
            other[2].add(_target(picking, order))
        first = {}
        for invoice_id in sorted(others):
            carrier, billed, targets = others[invoice_id]
            first.setdefault((carrier, frozenset(targets), round(billed, 2)), invoice_id)
        for invoice in invoices:
            targets = frozenset(_target(s.picking_id, s.order_id) for s in invoice.shipments)
            key = (invoice.carrier_id, targets, round(invoice.billed_total, 2))
            original = first.setdefault(key, invoice.id)
            if original != invoice.id:
                invoice.duplicate_of = original
                state = self._state_of(original)
                self._flag(invoice, "duplicate", self._duplicate_note(original, state))

    def _compare(self, invoices):
        """Billed against expected per charge type and for the total, each row judged by its
        tolerance rule; out of tolerance goes to the variance workbench. The rows."""
        rulebook = self.env["logistics.freight.tolerance"]._rulebook(self.company)
        types = self._types()
        default_rate = next(
            (
                tid
                for tid, t in sorted(types.items(), key=lambda i: i[1]["sequence"])
                if t["in_rate"]
            ),
            None,
        )
        rows = []
        for invoice in invoices:
            for sequence, (kind, type_id, label, billed, expected) in enumerate(
                self._rows(invoice, types, default_rate)
            ):
                rule = rulebook.pick(SCOPES[kind], invoice.carrier_id, invoice.customer_id, type_id)
                judged = _judge(rule, kind, billed, expected)
                rows.append(
                    {
                        "invoice_id": invoice.id,
                        "sequence": sequence,
                        "kind": kind,
                        "charge_type_id": type_id,
                        "label": label,
                        "billed": billed,
                        "expected": expected,
                        "tolerance_id": rule.id if rule else None,
                        "company_id": self.company.id,
                        "carrier_id": invoice.carrier_id,
                        "received_at": invoice.received_at,
                        **judged,
                    }
                )
                if judged["verdict"] != "ok":
                    self._flag(invoice, "variance", self._variance_note(label, billed, judged))
            invoice.state = invoice.state or "approved"
        return rows

    @staticmethod
    def _rows(invoice, types, default_rate):
        """``(kind, charge type id, label, billed, expected)`` of each row."""
        rate_lines = [
            line for line in invoice.lines if line["type"] and types[line["type"]]["in_rate"]
        ]
        rate_types = sorted(
            {line["type"] for line in rate_lines}, key=lambda t: types[t]["sequence"]
        )
        rate_type = rate_types[0] if rate_types else default_rate
        names = ", ".join(types[t]["name"] for t in rate_types)
        rows = [
            (
                "rate",
                rate_type,
                names or (types[rate_type]["name"] if rate_type else ""),
                sum(line["amount"] for line in rate_lines),
                invoice.expected,
            )
        ]
        others = defaultdict(float)
        for line in invoice.lines:
            if line not in rate_lines:
                others[line["type"]] += line["amount"]
        for type_id in sorted(others, key=lambda t: types[t]["sequence"] if t else 0):
            name = types[type_id]["name"] if type_id else ""
            rows.append(("accessorial", type_id, name, others[type_id], 0.0))
        rows.append(("total", None, "Invoice total", invoice.billed_total, invoice.expected))
        return rows

    def _variance_note(self, label, billed, row):
        if row["verdict"] == "unexpected":
            return self.env._(
                "%(label)s: %(billed).2f billed, nobody expected it (up to %(allowed).2f allowed).",
                label=label,
                billed=billed,
                allowed=row["allowed_over"],
            )
        over = row["verdict"] == "over"
        return self.env._(
            "%(label)s: %(billed).2f billed, %(difference).2f %(direction)s what was "
            "expected (up to %(allowed).2f allowed).",
            label=label,
            billed=billed,
            difference=abs(row["difference"]),
            direction=self.env._("above") if over else self.env._("below"),
            allowed=row["allowed_over"] if over else row["allowed_under"],
        )


def _target(picking_id, order_id):
    """What a shipment bills, for comparing invoices: its load, else its transfer."""
    return ("order", order_id) if order_id else ("picking", picking_id)


def _matched(shipment):
    return bool(shipment.picking_id or shipment.order_id)


def _judge(rule, kind, billed, expected):
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
