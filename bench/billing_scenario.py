"""``bench/run billing``: carriers' freight invoices matched and audited by the engine, against
the one-by-one ORM way in the same run (see bench/README.md, "Freight invoices audited").

A fresh database with ``logistics_freight_billing``; a carrier (SCAC ``BNCH``) with an X12
EDI backend; delivered transport orders with a PRO and an estimate each (made with the ORM,
tracking off: a bench's setup); one X12 210 per order stored through ``store_inbound`` on the
flow ``billing.invoice.210`` (:mod:`billing`). One processor works them as production does
(``process_batch``: the claim, the handler's ``_process_many``; a commit per batch), then the
run stops unless every message is done, exactly the invoices with a liftgate are in
*variance*, the others *approved*, each matched to its own order and no order twice. The
billing cron (vendor bills) is timed afterwards, on a bounded sample, apart from the rate.
"""

import os
import time
from pathlib import Path

import billing

MODULES = ["logistics_freight_billing"]
CODE = "bench-billing"
FLOW_XMLID = "logistics_freight_billing.logistics_message_type_freight_invoice_210"
#: Messages per claimed batch (BENCH_BILLING_BATCH sets the flow's batch size; default:
#: the flow's own, 500, as installed).
BATCH = int(os.environ.get("BENCH_BILLING_BATCH", "0")) or None
#: The billing cron is timed for at most this long (it bills 200 invoices a call).
BILLS_SECONDS = float(os.environ.get("BENCH_BILLING_BILLS_SECONDS", "30"))
BENCH = str(Path(__file__).resolve().parent)

SETUP = """
import json, sys
sys.path.insert(0, {bench!r})
import billing
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
flow = env.ref({flow!r})
flow.realtime = False
{carrier_edi}env.company.logistics_freight_post_bills = False
if {batch!r}:
    flow.batch_size = {batch!r}
Order = env["logistics.transport.order"]
orders = 0
for first, count in {ranges!r}:
    for start in range(first, first + count, 500):
        indexes = range(start, min(start + 500, first + count))
        Order.create([{{
            "name": billing.order_name(index), "state": "delivered", "mode": "ftl",
            "carrier_id": carrier.id, "backend_id": backend.id,
            "pro_number": billing.pro_number(index),
            "estimated_cost": billing.estimated_cost(index),
        }} for index in indexes])
        orders += len(indexes)
        env.cr.commit()
env.cr.commit()
print(json.dumps({{"backend": backend.id, "carrier": carrier.id, "orders": orders,
    "batch": flow.batch_size or env["logistics.processor"]._get_batch_size()}}))
"""

#: The baseline: the one-by-one ORM way, as a naive implementation would audit a 210. Per
#: message, one transaction: read it with the flow's codec; the carrier by its SCAC, the
#: currency by its code; the transport order by PRO (``search``); its expected cost (the
#: accepted tender's rate, else the estimate); each charge's type by its code (``search``);
#: the invoice created with its shipment and charge lines through the ORM (mail thread as
#: in production); billed against expected in Python with the seeded tolerance (2 % or
#: 25.00 above, the stricter; no charge nobody expected); the state written; the message
#: marked done; commit. No audit lines, no duplicate checks, no vendor bill.
NAIVE = """
import json, time
from odoo import Command, fields
Order = env["logistics.transport.order"]
Invoice = env["logistics.freight.invoice"]
Line = env["logistics.freight.invoice.line"]
Code = env["logistics.freight.charge.code"]
Partner, Currency = env["res.partner"], env["res.currency"]
messages = env["logistics.message"].browse({ids})
started = time.time()
for message in messages:
    (document,) = message.type_id.get_codec().parse(message.get_payload())
    carrier = Partner.search([("logistics_scac", "=", document.carrier)], limit=1)
    currency = Currency.search([("name", "=", document.currency)], limit=1)
    pro = document.references["pro"]
    order = Order.search([("pro_number", "=", pro), ("state", "!=", "cancelled")], limit=1)
    tender = order.tender_ids.filtered(lambda t: t.state == "accepted")[-1:]
    expected = tender.rate if tender and tender.rate else order.estimated_cost
    billed = float(document.charges_total())
    invoice = Invoice.create({{
        "name": document.invoice_number, "carrier_code": document.carrier,
        "carrier_id": carrier.id, "currency_id": currency.id, "message_id": message.id,
        "position": 0, "invoice_date": document.invoice_date, "pro_number": pro,
        "billed_total": billed, "expected_total": expected,
        "shipment_ids": [Command.create({{
            "sequence": 1, "pro_number": pro, "transport_order_id": order.id,
            "matched_by": "pro", "expected": expected, "expected_source": "estimate",
        }})],
    }})
    rate = unexpected = 0.0
    for sequence, charge in enumerate(document.charges):
        code = Code.search([("code", "=", charge.code), ("code_list", "=", charge.code_list),
            ("carrier_id", "in", [carrier.id, False])], order="carrier_id", limit=1)
        line = Line.create({{
            "invoice_id": invoice.id, "shipment_id": invoice.shipment_ids.id,
            "sequence": sequence, "code": charge.code, "code_list": charge.code_list,
            "description": charge.description, "amount": float(charge.amount),
            "charge_type_id": code.charge_type_id.id,
        }})
        if line.charge_type_id.in_rate:
            rate += line.amount
        else:
            unexpected += line.amount
    allowed = min(25.0, abs(expected) * 0.02)
    notes = []
    if rate - expected > allowed + 0.005:
        notes.append("Freight: %.2f billed, %.2f above what was expected" % (rate, rate - expected))
    if unexpected > 0.005:
        notes.append("%.2f billed that nobody expected" % unexpected)
    if billed - expected > allowed + 0.005:
        notes.append("Total: %.2f above what was expected" % (billed - expected))
    invoice.write({{"state": "variance" if notes else "approved",
        "audit_note": "\\n".join(notes) or False, "variance": billed - expected}})
    message._mark_done(fields.Datetime.now())
    env.cr.commit()
print(json.dumps({{"start": started, "end": time.time(), "count": len(messages)}}))
"""

#: The billing cron, as its scheduled action calls it (200 invoices a call), a commit per
#: call, for at most ``{seconds}`` seconds.
BILLS = """
import json, time
Invoice = env["logistics.freight.invoice"]
count = calls = 0
started = time.time()
while time.time() - started < {seconds}:
    billed = Invoice._cron_bill()
    env.cr.commit()
    if not billed:
        break
    count += len(billed)
    calls += 1
print(json.dumps({{"start": started, "end": time.time(), "count": count, "calls": calls}}))
"""


def fill(bench, stack, backend_id, first, last, shells=2):
    """Store the 210s of orders [first, last) in ``shells`` odoo shells at once; return the
    ids of the messages stored."""
    before = stack.scalar("SELECT coalesce(max(id), 0) FROM logistics_message")

    def code_of(low, high):
        return bench.store_payloads(
            "billing",
            backend_id,
            FLOW_XMLID,
            f"(billing.invoice_payload(index) for index in range({low}, {high}))",
        )

    results = bench.split_shells(stack, first, last, shells, code_of, f"fill_billing_{first}_")
    created = sum(result["created"] for result in results)
    ids = [
        row[0]
        for row in stack.sql(
            "SELECT id FROM logistics_message WHERE id > %s AND backend_id = %s ORDER BY id",
            [before, backend_id],
        )
    ]
    if created != len(ids) or created != last - first:
        raise RuntimeError(f"{last - first} 210s stored, {created} created, {len(ids)} found")
    return ids


def outcome(stack, ids, first, count):
    """What the messages ``ids`` (the 210s of orders [first, first + count)) left: their
    states, their invoices' states, the variance ones, the matches."""
    messages = dict(
        stack.sql(
            "SELECT m.state, count(*) FROM logistics_message m"
            " JOIN unnest(%s::int[]) AS wanted(id) ON wanted.id = m.id GROUP BY m.state",
            [ids],
        )
    )
    invoices = (
        "WITH i AS (SELECT i.id, i.name, i.state, i.pro_number FROM logistics_freight_invoice i"
        " JOIN unnest(%s::int[]) AS wanted(id) ON wanted.id = i.message_id) "
    )
    states = dict(stack.sql(invoices + "SELECT state, count(*) FROM i GROUP BY state", [ids]))
    variance_names = [
        billing.invoice_number(index)
        for index in range(first, first + count)
        if billing.has_variance(index)
    ]
    variance_expected = stack.scalar(
        invoices + "SELECT count(*) FROM i JOIN unnest(%s::varchar[]) AS v(name)"
        " ON v.name = i.name WHERE i.state = 'variance'",
        [ids, variance_names],
    )
    # Matched to its own order: exactly one order, the one with the invoice's PRO.
    matched = stack.scalar(
        invoices + ", r AS (SELECT r.logistics_freight_invoice_id AS invoice_id,"
        " count(*) AS orders, bool_and(o.pro_number = i.pro_number) AS own"
        " FROM logistics_freight_invoice_order_rel r"
        " JOIN i ON i.id = r.logistics_freight_invoice_id"
        " JOIN logistics_transport_order o ON o.id = r.logistics_transport_order_id"
        " GROUP BY r.logistics_freight_invoice_id)"
        " SELECT count(*) FROM r WHERE orders = 1 AND own",
        [ids],
    )
    twice = stack.scalar(
        "SELECT count(*) FROM (SELECT r.logistics_transport_order_id"
        " FROM logistics_freight_invoice_order_rel r JOIN logistics_freight_invoice i"
        " ON i.id = r.logistics_freight_invoice_id AND i.state <> 'cancelled'"
        " GROUP BY r.logistics_transport_order_id HAVING count(*) > 1) AS t"
    )
    return {
        "messages": messages,
        "done": messages.get("done", 0),
        "states": states,
        "invoices": sum(states.values()),
        "variance": states.get("variance", 0),
        "approved": states.get("approved", 0),
        "variance_expected": variance_expected,
        "matched": matched,
        "orders_twice": twice,
    }


def check(bench, label, found, first, count):
    """Stop the run unless every message is done, exactly the invoices with a liftgate are
    in variance and the others approved, each matched to its own order, none twice."""
    variance = sum(1 for index in range(first, first + count) if billing.has_variance(index))
    expected = {
        "done": count,
        "invoices": count,
        "variance": variance,
        "variance_expected": variance,
        "approved": count - variance,
        "matched": count,
        "orders_twice": 0,
    }
    wrong = {key: (found[key], value) for key, value in expected.items() if found[key] != value}
    bench.log(
        f"{label}: messages {found['messages']}, invoices {found['states']},"
        f" {found['matched']}/{count} matched to their own order,"
        f" {found['orders_twice']} orders matched twice"
    )
    if wrong:
        raise RuntimeError(f"{label}: (found, expected) {wrong}")
    return found


def bills(bench, stack, limit):
    """Time the billing cron on the approved invoices for at most ``limit`` seconds; stop
    the run unless each invoice it returned has its draft vendor bill."""
    run = stack.shell(BILLS.format(seconds=limit), "billing_bills")
    seconds = run["end"] - run["start"]
    made = stack.scalar(
        "SELECT count(*) FROM logistics_freight_invoice i JOIN account_move m ON m.id = i.move_id"
        " WHERE i.state = 'billed' AND m.state = 'draft' AND m.move_type = 'in_invoice'"
    )
    if made != run["count"]:
        raise RuntimeError(f"billing cron: {run['count']} invoices billed, {made} draft bills")
    rate = run["count"] / seconds if seconds else 0.0
    bench.log(f"billing cron: {run['count']} bills in {seconds:.1f} s ({rate:.1f} bills/s)")
    return rate, run["count"]


def run(args, bench):
    """The scenario; ``bench`` is the bench module (its stack, shells, log and emit)."""
    count = 1000 if args.quick else 10000
    baseline = 100 if args.quick else 500
    ranges = [(0, count), (billing.BASELINE_FIRST, baseline)]
    stack = bench.Stack("billing", MODULES, keep=args.keep)
    code = stack.code_hash()  # the template's name: the version of the code measured
    bench.log(f"code {code}")
    with stack:
        started = time.monotonic()
        ids = stack.shell(
            SETUP.format(
                bench=BENCH,
                flow=FLOW_XMLID,
                carrier_edi=bench.CARRIER_EDI.format(module="billing", code=CODE),
                batch=BATCH,
                ranges=ranges,
            ),
            "setup_billing",
        )
        bench.log(f"setup: {ids['orders']} delivered orders in {time.monotonic() - started:.0f} s")
        started = time.monotonic()
        baseline_ids = fill(
            bench, stack, ids["backend"], billing.BASELINE_FIRST, billing.BASELINE_FIRST + baseline
        )
        stack.sql(
            "UPDATE logistics_message SET state = 'cancelled' WHERE id = ANY(%s)", [baseline_ids]
        )
        main_ids = fill(bench, stack, ids["backend"], 0, count)
        stack.sql("ANALYZE")
        bench.log(
            f"inbox: {len(main_ids)} 210s, baseline {len(baseline_ids)};"
            f" stored in {time.monotonic() - started:.0f} s"
        )

        naive = stack.shell(NAIVE.format(ids=baseline_ids), "naive_billing")
        baseline_rate = naive["count"] / (naive["end"] - naive["start"])
        bench.log(f"baseline (one by one, ORM): {baseline_rate:.1f} invoices/s")
        check(
            bench,
            "baseline",
            outcome(stack, baseline_ids, billing.BASELINE_FIRST, baseline),
            billing.BASELINE_FIRST,
            baseline,
        )

        profile = ""
        if os.environ.get("BENCH_BILLING_PROFILE"):
            profile = str(stack.dir / "billing_loop.prof")
        # The engine's run: the production claim (sized by the flow) and processing code.
        loop = stack.shell(
            bench.TMS_LOOP.format(per_message=False, profile=profile, batch=None), "billing_loop"
        )
        seconds = loop["end"] - loop["start"]
        rate = loop["count"] / seconds
        tenth = max(1, loop["batches"] // 10)
        first, last = loop["seconds"][:tenth], loop["seconds"][-tenth:]
        bench.log(
            f"engine: {loop['count']} 210s in {seconds:.1f} s ({rate:.1f} invoices/s,"
            f" {loop['batches']} batches of {ids['batch']}, {loop['conflicts']} conflicts;"
            f" a batch {sum(first) / len(first):.2f} s in the first tenth,"
            f" {sum(last) / len(last):.2f} s in the last)"
        )
        if profile:
            bench.log(f"profile of the processor: {profile}")
        found = check(bench, "engine", outcome(stack, main_ids, 0, count), 0, count)

        bills_rate, billed = bills(bench, stack, BILLS_SECONDS)
        # Others may edit the addons while this runs: each shell loads the code of its time.
        changed = stack.code_hash() != code
        if changed:
            bench.log("WARNING: the code changed during the run: its figures mix two versions")
        return bench.emit(
            "billing",
            invoices=count,
            audit_seconds=seconds,
            invoices_s=rate,
            baseline_invoices_s=baseline_rate,
            baseline_sample=baseline,
            ratio=rate / baseline_rate,
            batch=ids["batch"],
            done=found["done"],
            approved=found["approved"],
            variance=found["variance"],
            matched=found["matched"],
            first_batch_seconds=sum(first) / len(first),
            last_batch_seconds=sum(last) / len(last),
            bills_s=bills_rate,
            bills_sample=billed,
            code=code,
            code_changed=int(changed),
        )
