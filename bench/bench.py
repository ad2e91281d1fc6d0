"""``bench/run SCENARIO [--quick] [--keep]``: benchmarks and fault tests of the suite.

Each scenario starts what it needs (a fresh database with the suite, Odoo with two workers
on a free loopback port, the gateway, the sandbox), measures, stops everything and prints
as its last line ``bench SCENARIO key=value ...``. Baselines run in the same invocation, so
ratios hold on a noisy machine. See bench/README.md.
"""

import argparse
import json
import os
import random
import signal
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import itertools

import loadgen
import payloads
from stack import Stack

CORE = ["logistics_integration", "logistics_carrier", "logistics_bench"]
FLOW_XMLID = "logistics_carrier.logistics_message_type_tracking_easypost"
BACKEND_CODE = "bench-easypost"
#: Database threads per gateway worker in the ingest scenario (BENCH_GATEWAY_THREADS).
GATEWAY_THREADS = int(os.environ.get("BENCH_GATEWAY_THREADS", "8"))
#: Entry point of the latency scenario: ``gateway`` or ``odoo`` (BENCH_LATENCY_ENTRY).
ENTRY = os.environ.get("BENCH_LATENCY_ENTRY", "gateway")


def log(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def emit(scenario, **figures):
    def fmt(value):
        return f"{value:.2f}" if isinstance(value, float) else str(value)

    line = f"bench {scenario} " + " ".join(f"{key}={fmt(value)}" for key, value in figures.items())
    print(line, flush=True)
    return figures


# -- setup shared by the scenarios ----------------------------------------------------------

SETUP_BACKEND = """
import json
flow = env.ref({flow!r})
flow.write({{"realtime": {realtime}}})
backend = env["logistics.backend"].create({{
    "name": "Bench EasyPost", "code": {code!r}, "provider": "easypost",
    "signature_scheme": "easypost-hmac", "webhook_secret": {secret!r},
    "inbound_type_id": flow.id, "inbound_rate_limit": 0, "concurrency": 0,
}})
env["ir.config_parameter"].set_param("logistics_integration.batch_size", {batch})
env["logistics.processor"]._set_parallel_processors({processors})
env.cr.commit()
print(json.dumps({{"backend": backend.id, "flow": flow.id}}))
"""

SETUP_PICKINGS = """
import json
picking_type = env.ref("stock.picking_type_out")
partner = env["res.partner"].create({{"name": "Bench Consignee", "email": "bench@example.com"}})
carrier = env["delivery.carrier"].create({{
    "name": "Bench parcel", "logistics_notify_shipped": True, "logistics_notify_delivered": True,
    "product_id": env["product.product"].create({{"name": "Bench shipping", "type": "service"}}).id,
}})
Picking = env["stock.picking"].with_context(tracking_disable=True, mail_create_nolog=True)
for start in range(0, {count}, 500):
    Picking.create([{{
        "picking_type_id": picking_type.id,
        "location_id": picking_type.default_location_src_id.id,
        "location_dest_id": env.ref("stock.stock_location_customers").id,
        "partner_id": partner.id, "carrier_id": carrier.id,
        "carrier_tracking_ref": "BENCH%010d" % index,
    }} for index in range(start, min(start + 500, {count}))])
    env.cr.commit()
print(json.dumps({{"pickings": {count}}}))
"""


def setup_backend(stack, realtime=False, batch=200, processors=1):
    return stack.shell(
        SETUP_BACKEND.format(
            flow=FLOW_XMLID,
            processors=processors,
            realtime=realtime,
            code=BACKEND_CODE,
            secret=payloads.SECRET,
            batch=batch,
        ),
        "setup_backend",
    )


def inbound_requests(port, bodies, path=None):
    path = path or f"/logistics/inbound/{BACKEND_CODE}"
    return [
        loadgen.build_request("127.0.0.1", port, path, body, payloads.signed_headers(body))
        for body in bodies
    ]


def count_messages(stack, backend_id):
    return stack.scalar(
        "SELECT count(*) FROM logistics_message WHERE backend_id = %s", [backend_id]
    )


# -- ingest -----------------------------------------------------------------------------


def pg_tps(stack, seconds, connections=8, size=2500):
    """Durable single-row inserts with a commit each, over ``connections`` connections."""
    stack.sql("CREATE TABLE IF NOT EXISTS bench_ingest (id bigserial PRIMARY KEY, body bytea)")
    payload = os.urandom(size)
    counts = [0] * connections
    stop = time.monotonic() + seconds

    def work(index):
        conn = stack.connect()
        with conn.cursor() as cr:
            while time.monotonic() < stop:
                cr.execute("INSERT INTO bench_ingest (body) VALUES (%s)", [payload])
                conn.commit()
                counts[index] += 1
        conn.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - started)


def scenario_ingest(args):
    sizes = (1500, 6000) if args.quick else (6000, 30000)  # (Odoo, gateway) requests
    with Stack("ingest", CORE, keep=args.keep) as stack:
        ids = setup_backend(stack, realtime=False)
        stack.start_odoo(workers=2, crons=0)
        gw_port = stack.start_gateway(workers=2, threads=GATEWAY_THREADS)
        port = stack.odoo_port
        bodies = [payloads.event(index, 1) for index in range(sizes[0] + sizes[1] + 400)]
        log(f"payload {len(bodies[0])} bytes; {sizes[0]} to Odoo, {sizes[1]} to the gateway")
        warm, odoo_bodies, gw_bodies = (
            bodies[:400],
            bodies[400 : 400 + sizes[0]],
            bodies[400 + sizes[0] :],
        )

        # Warm both servers (workers forked, registries loaded, connections open).
        loadgen.run("127.0.0.1", port, inbound_requests(port, warm[:200]), 16)
        loadgen.run("127.0.0.1", gw_port, inbound_requests(gw_port, warm[200:]), 16)
        loadgen.run("127.0.0.1", port, inbound_requests(port, warm, "/logistics_bench/noop"), 16)

        floor = loadgen.run(
            "127.0.0.1", port, inbound_requests(port, odoo_bodies, "/logistics_bench/noop"), 16
        )
        log(f"floor: {floor.rps:.0f} rps")
        before = count_messages(stack, ids["backend"])
        odoo = loadgen.run("127.0.0.1", port, inbound_requests(port, odoo_bodies), 16)
        odoo_rows = count_messages(stack, ids["backend"]) - before
        log(f"odoo: {odoo.rps:.0f} rps, p95 {odoo.percentile(0.95):.1f} ms")
        before = count_messages(stack, ids["backend"])
        gw = loadgen.run("127.0.0.1", gw_port, inbound_requests(gw_port, gw_bodies), 16)
        gw_rows = count_messages(stack, ids["backend"]) - before
        log(f"gateway: {gw.rps:.0f} rps, p95 {gw.percentile(0.95):.1f} ms")
        stack.stop("odoo")
        stack.stop("gateway")
        tps = pg_tps(stack, 5 if args.quick else 15)
        log(f"postgres: {tps:.0f} durable inserts/s over 8 connections")
        accepted = odoo.accepted((202,)) + gw.accepted((202,))
        return emit(
            "ingest",
            odoo_rps=odoo.rps,
            odoo_p95_ms=odoo.percentile(0.95),
            floor_rps=floor.rps,
            odoo_ratio=odoo.rps / floor.rps,
            gw_rps=gw.rps,
            gw_p95_ms=gw.percentile(0.95),
            pg_tps=tps,
            gw_ratio=gw.rps / tps,
            lost=max(0, accepted - odoo_rows - gw_rows),
            errors=(odoo.count - odoo.accepted((202,))) + (gw.count - gw.accepted((202,))),
        )


# -- process ----------------------------------------------------------------------------

PROCESS_LOOP = """
import json, time
from odoo.addons.logistics_integration.engine import ClaimConflict
processor = env["logistics.processor"]
started, count, conflicts, idle = time.time(), 0, 0, 0
while True:
    try:
        batch = processor.process_batch({batch})
    except ClaimConflict:  # another processor committed meanwhile: claim again
        env.cr.rollback()
        conflicts += 1
        continue
    env.cr.commit()
    if not batch:
        # Deferred messages come back within a second: stop when none is left to work on.
        env.cr.execute("SELECT count(*) FROM logistics_message WHERE state IN ('pending', 'retry')")
        if env.cr.fetchone()[0] == 0 or idle > 600:
            break
        idle += 1
        time.sleep(0.2)
        continue
    idle = 0
    count += len(batch)
print(json.dumps({{"start": started, "end": time.time(), "count": count, "conflicts": conflicts}}))
"""

NAIVE_LOOP = """
import json, time
from datetime import datetime
Picking = env["stock.picking"]
Event = env["logistics.shipment.event"]
backend = env["logistics.backend"].browse({backend})
messages = env["logistics.message"].browse({ids})
started = time.time()
for message in messages:
    data = json.loads(message.get_payload())
    tracker = data["result"]
    picking = Picking.search([("carrier_tracking_ref", "=", tracker["tracking_code"])], limit=1)
    for detail in tracker["tracking_details"]:
        when = datetime.strptime(detail["datetime"], "%Y-%m-%dT%H:%M:%SZ")
        status = {{"pre_transit": "label_created"}}.get(detail["status"], detail["status"])
        Event.create({{
            "res_model": "stock.picking", "res_id": picking.id, "backend_id": backend.id,
            "tracking_number": tracker["tracking_code"], "status": status,
            "partner_status": detail["status"], "occurred_at": when,
            "description": detail["message"],
            "event_key": "naive/%s/%s" % (tracker["id"], detail["datetime"]),
        }})
        picking.write({{"logistics_status": status, "logistics_last_event": detail["message"],
                        "logistics_last_event_at": when}})
        picking.message_post(body="Tracking: %s (%s)" % (detail["message"], status))
    env.cr.commit()
print(json.dumps({{"start": started, "end": time.time(), "count": len(messages)}}))
"""


def parallel_shells(stack, code, processes):
    """Run ``code`` in ``processes`` odoo shells at once; return their JSON results."""
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(processes) as pool:
        futures = [pool.submit(stack.shell, code, f"loop{index}") for index in range(processes)]
        return [future.result() for future in futures]


def rate_of(results):
    start = min(result["start"] for result in results)
    end = max(result["end"] for result in results)
    count = sum(result["count"] for result in results)
    return count / (end - start), count


def post_all(port, bodies, concurrency=16, path=None):
    result = loadgen.run("127.0.0.1", port, inbound_requests(port, bodies, path), concurrency)
    bad = [status for status in result.statuses if status not in (200, 202)]
    if bad:
        raise RuntimeError(f"{len(bad)} webhooks refused (statuses {sorted(set(bad))})")
    return result


FILL_EVENTS = """
import json, sys
sys.path.insert(0, {bench!r})
import payloads
backend = env["logistics.backend"].browse({backend})
flow = backend.inbound_type_id
Message = env["logistics.message"]
count = 0
for step in range({steps}):
    for index in range({first}, {last}):
        Message.store_inbound(backend, flow, payloads.event(index, step, details_per_event=1))
        count += 1
        if count % 500 == 0:
            env.cr.commit()
env.cr.commit()
print(json.dumps({{"count": count}}))
"""


#: Store the payloads of ``{payloads}`` (an expression over the bench module ``{module}``),
#: one inbound X12 message each through ``store_inbound`` on the flow ``{flow}``, a commit
#: every 500; print how many, how many were new, and their ids.
STORE_PAYLOADS = """
import json, sys
sys.path.insert(0, {bench!r})
import {module}
backend = env["logistics.backend"].browse({backend})
flow = env.ref({flow!r})
Message = env["logistics.message"]
ids, created = [], 0
for payload in {payloads}:
    message, new = Message.store_inbound(
        backend, flow, payload, content_type="application/edi-x12")
    ids.append(message.id)
    created += bool(new)
    if len(ids) % 500 == 0:
        env.cr.commit()
env.cr.commit()
print(json.dumps({{"count": len(ids), "created": created, "ids": ids}}))
"""


def store_payloads(module, backend_id, flow, payloads):
    """The shell code of :data:`STORE_PAYLOADS`."""
    bench = str(Path(__file__).resolve().parent)
    return STORE_PAYLOADS.format(
        bench=bench, module=module, backend=backend_id, flow=flow, payloads=payloads
    )


def split_shells(stack, first, last, shells, code_of, label):
    """Run ``code_of(low, high)`` for ``shells`` parts of [first, last), each in an odoo
    shell, all at once; return their JSON results."""
    import concurrent.futures

    bounds = [first + (last - first) * index // shells for index in range(shells + 1)]
    with concurrent.futures.ThreadPoolExecutor(shells) as pool:
        futures = [
            pool.submit(stack.shell, code_of(low, high), f"{label}{index}")
            for index, (low, high) in enumerate(itertools.pairwise(bounds))
        ]
        return [future.result() for future in futures]


def fill_events(stack, backend_id, first, last, steps, shells=2):
    """Store ``steps`` one-event webhooks per picking through the flow's handler, which
    reads their tracking numbers (the partner reference the processors partition on)."""
    bench = str(Path(__file__).resolve().parent)

    def code_of(low, high):
        return FILL_EVENTS.format(
            bench=bench, backend=backend_id, steps=steps, first=low, last=high
        )

    results = split_shells(stack, first, last, shells, code_of, "fill")
    return sum(result["count"] for result in results)


def scenario_process(args):
    pickings, per_picking = (200, 10) if args.quick else (2000, 10)
    naive_pickings = 20 if args.quick else 100
    with Stack("process", CORE, keep=args.keep) as stack:
        ids = setup_backend(stack, realtime=False, batch=200)
        stack.shell(SETUP_PICKINGS.format(count=pickings + naive_pickings), "setup_pickings")
        fill_events(stack, ids["backend"], pickings, pickings + naive_pickings, per_picking, 1)
        naive_ids = [
            row[0]
            for row in stack.sql(
                "SELECT id FROM logistics_message WHERE backend_id = %s ORDER BY id",
                [ids["backend"]],
            )
        ]
        stack.sql(
            "UPDATE logistics_message SET state = 'cancelled' WHERE id = ANY(%s)", [naive_ids]
        )
        expected = fill_events(stack, ids["backend"], 0, pickings, per_picking)
        log(f"inbox: {expected} events over {pickings} pickings; baseline on {len(naive_ids)}")

        naive = stack.shell(NAIVE_LOOP.format(backend=ids["backend"], ids=naive_ids), "naive")
        baseline_eps = naive["count"] / (naive["end"] - naive["start"])
        log(f"naive: {baseline_eps:.1f} events/s")
        workers = int(os.environ.get("BENCH_PROCESSORS", "2"))
        eps, processed = rate_of(parallel_shells(stack, PROCESS_LOOP.format(batch=200), workers))
        log(f"processor x{workers}: {eps:.0f} events/s ({processed} messages)")
        applied = stack.scalar(
            "SELECT count(*) FROM logistics_shipment_event WHERE backend_id = %s"
            " AND event_key NOT LIKE 'naive/%%'",
            [ids["backend"]],
        )
        duplicates = stack.scalar(
            "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) n FROM logistics_shipment_event"
            " GROUP BY res_id, partner_event_id, occurred_at, status HAVING count(*) > 1) d"
        )
        states = dict(
            stack.sql(
                "SELECT state, count(*) FROM logistics_message WHERE backend_id = %s"
                " AND NOT id = ANY(%s) GROUP BY state",
                [ids["backend"], naive_ids],
            )
        )
        if states.get("done", 0) != expected:
            log(f"message states: {states}")
        return emit(
            "process",
            eps=eps,
            baseline_eps=baseline_eps,
            ratio=eps / baseline_eps,
            applied=applied,
            duplicates_applied=int(duplicates),
            not_done=expected - states.get("done", 0),
        )


# -- backlog ----------------------------------------------------------------------------

FILL_BACKLOG = """
import json
backend = env["logistics.backend"].browse({backend})
store = env.ref("logistics_integration.logistics_message_type_store")
store.realtime = False
message, _ = env["logistics.message"].store_inbound(backend, store, b'{{"bench": "template"}}')
env.cr.commit()
print(json.dumps({{"template": message.id, "flow": store.id}}))
"""

CLONE_MESSAGES = """
INSERT INTO logistics_message (name, backend_id, company_id, type_id, flow, direction, state,
    idempotency_key, correlation_id, priority, payload, payload_sha256, payload_size,
    received_at, last_received_at, next_attempt_at, received_count, attempts, create_date,
    write_date, create_uid, done_at)
SELECT 'BENCH/' || %(tag)s || '/' || g, backend_id, company_id, type_id, flow, direction,
    %(state)s, %(tag)s || '-' || g, md5(%(tag)s || g), priority, payload, payload_sha256,
    payload_size, received_at, last_received_at,
    CASE WHEN %(state)s = 'done' THEN NULL ELSE next_attempt_at END, 1, 0, create_date,
    write_date, create_uid, CASE WHEN %(state)s = 'done' THEN now() AT TIME ZONE 'UTC' END
FROM logistics_message, generate_series(1, %(count)s) g WHERE id = %(template)s
"""

BACKLOG_LOOP = """
import json, resource, time
from odoo.addons.logistics_integration.engine import ClaimConflict
processor = env["logistics.processor"]
started, count = time.time(), 0
while count < {limit}:
    try:
        batch = processor.process_batch(200)
    except ClaimConflict:
        env.cr.rollback()
        continue
    env.cr.commit()
    if not batch:
        break
    count += len(batch)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"start": started, "end": time.time(), "count": count, "rss_mb": rss}}))
"""


def scenario_backlog(args):
    small, large, done = (1000, 20000, 100000) if args.quick else (1000, 200000, 1000000)
    measured = 1000 if args.quick else 5000
    with Stack("backlog", CORE, keep=args.keep) as stack:
        ids = setup_backend(stack)
        tpl = stack.shell(FILL_BACKLOG.format(backend=ids["backend"]), "fill")

        def clone(tag, state, count):
            stack.sql(
                CLONE_MESSAGES,
                {"tag": tag, "state": state, "count": count, "template": tpl["template"]},
            )

        stack.sql(
            "UPDATE logistics_message SET state = 'cancelled' WHERE id = %s", [tpl["template"]]
        )
        clone("small", "pending", small)
        stack.sql("ANALYZE logistics_message")
        first = parallel_shells(stack, BACKLOG_LOOP.format(limit=small), 1)[0]
        eps_small = first["count"] / (first["end"] - first["start"])
        log(f"{small} pending: {eps_small:.0f} messages/s")
        clone("done", "done", done)
        clone("large", "pending", large)
        stack.sql("ANALYZE logistics_message")
        log(f"table: {stack.scalar('SELECT count(*) FROM logistics_message')} rows")
        second = parallel_shells(stack, BACKLOG_LOOP.format(limit=measured), 1)[0]
        eps_large = second["count"] / (second["end"] - second["start"])
        log(f"{large} pending + {done} done: {eps_large:.0f} messages/s")
        return emit(
            "backlog",
            eps_small=eps_small,
            eps_large=eps_large,
            ratio=eps_large / eps_small,
            rss_mb=max(first["rss_mb"], second["rss_mb"]),
            pending_large=large,
            done_rows=done,
        )


# -- latency ----------------------------------------------------------------------------


def scenario_latency(args):
    rate, seconds = 50, (20 if args.quick else 60)
    count = rate * seconds
    with Stack("latency", CORE, keep=args.keep) as stack:
        setup_backend(stack, realtime=True, batch=20, processors=2)
        stack.shell(SETUP_PICKINGS.format(count=count), "setup_pickings")
        stack.start_odoo(workers=2, crons=2)
        # Webhooks come in through the edge gateway, which wakes Odoo's processors; the
        # Odoo route costs a core at this rate on this machine (see the ingest figures).
        port = stack.start_gateway(workers=1) if ENTRY == "gateway" else stack.odoo_port
        bodies = [payloads.event(index, 1, details_per_event=1) for index in range(count)]
        requests = inbound_requests(port, bodies)
        sent = {}
        seen = {}
        done = threading.Event()

        def poll():
            conn = stack.connect()
            conn.autocommit = True
            with conn.cursor() as cr:
                while not done.is_set():
                    cr.execute(
                        "SELECT carrier_tracking_ref FROM stock_picking"
                        " WHERE logistics_status = 'in_transit'"
                    )
                    now = time.monotonic()
                    for (ref,) in cr.fetchall():
                        seen.setdefault(ref, now)
                    time.sleep(0.02)
            conn.close()

        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        base = time.monotonic()

        # The send time of request i is its scheduled time (open loop).
        for index in range(count):
            sent[payloads.tracking_number(index)] = base + index / rate
        result = loadgen.run_paced("127.0.0.1", port, requests, rate)
        deadline = time.monotonic() + 60
        while len(seen) < count and time.monotonic() < deadline:
            time.sleep(0.2)
        done.set()
        poller.join()
        latencies = sorted((seen[ref] - sent[ref]) * 1000 for ref in seen if ref in sent)
        missing = count - len(latencies)

        def pct(fraction):
            return latencies[min(len(latencies) - 1, round(fraction * (len(latencies) - 1)))]

        return emit(
            "latency",
            p50_ms=pct(0.5),
            p95_ms=pct(0.95),
            max_ms=latencies[-1],
            sent=count,
            accepted=result.accepted((202,)),
            not_shown=missing,
            entry=ENTRY,
        )


# -- edi --------------------------------------------------------------------------------

EDI_CODE = "bench-edi"

SETUP_EDI = """
import json
store = env.ref("logistics_integration.logistics_message_type_store")
backend = env["logistics.backend"].create({{
    "name": "Bench EDI partner", "code": {code!r}, "kind": "tms", "environment": "test",
    "edi_standard": "x12", "edi_our_qualifier": {us[0]!r}, "edi_our_id": {us[1]!r},
    "edi_partner_qualifier": {partner[0]!r}, "edi_partner_id": {partner[1]!r},
    "edi_ack_policy": "auto", "inbound_rate_limit": 0, "concurrency": 0,
}})
env["logistics.edi.route"].create({{
    "backend_id": backend.id, "standard": "x12", "document": "214",
    "message_type_id": store.id,
}})
env["ir.config_parameter"].set_param("logistics_integration.batch_size", 200)
env.cr.commit()
print(json.dumps({{"backend": backend.id, "store": store.id}}))
"""

STORE_EDI = """
import json
from pathlib import Path
backend = env["logistics.backend"].browse({backend})
flow = env.ref("logistics_integration.logistics_message_type_edi_interchange")
payload = Path({path!r}).read_bytes()
message, created = env["logistics.message"].store_inbound(
    backend, flow, payload, content_type="application/edi-x12")
env.cr.commit()
print(json.dumps({{"message": message.id, "created": created, "bytes": len(payload)}}))
"""

#: The worker: claim the interchange as a processor does (``work_now``: the claim restricted
#: to it) and run its handler (split into one message per set, the 997 enqueued), in one
#: transaction, committed; its peak RSS.
PROCESS_EDI = """
import cProfile, gc, json, sys, time
sys.path.insert(0, {bench!r})
from edi import max_rss_kb
gc.collect()
rss_before = max_rss_kb() / 1024
profile = cProfile.Profile() if {profile!r} else None
started = time.time()
if profile:
    profile.enable()
message = env["logistics.message"].browse({message})
batch = message.work_now()
env.cr.commit()
ended = time.time()
if profile:
    profile.disable()
    profile.dump_stats({profile!r})
rss_after = max_rss_kb() / 1024
print(json.dumps({{"start": started, "end": ended, "claimed": batch.ids,
    "state": message.state, "error": message.error_text or "",
    "rss_before_mb": rss_before, "rss_mb": rss_after}}))
"""


def edi_adapter(path, label):
    """The adapter figures of the interchange in ``path``, in a process of its own."""
    import subprocess

    command = [sys.executable, str(Path(__file__).resolve().parent / "edi.py"), "adapter", path]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise RuntimeError(f"adapter measurement of {label} failed ({done.returncode})")
    return json.loads(done.stdout.splitlines()[-1])


def edi_split(stack, ids, path, label):
    """Store the interchange in ``path`` as one inbound message, then process it in a
    worker of its own; return the worker's figures and what it made."""
    stored = stack.shell(STORE_EDI.format(backend=ids["backend"], path=str(path)), f"store_{label}")
    profile = str(stack.dir / f"edi_{label}.prof") if os.environ.get("BENCH_EDI_PROFILE") else ""
    worker = stack.shell(
        PROCESS_EDI.format(
            bench=str(Path(__file__).resolve().parent), message=stored["message"], profile=profile
        ),
        f"split_{label}",
    )
    if worker["claimed"] != [stored["message"]] or worker["state"] != "done":
        raise RuntimeError(f"the interchange was not processed: {worker}")
    children = stack.scalar(
        "SELECT count(*) FROM logistics_message WHERE parent_id = %s AND direction = 'inbound'",
        [stored["message"]],
    )
    acks = stack.sql(
        "SELECT id, edi_document, payload FROM logistics_message"
        " WHERE parent_id = %s AND direction = 'outbound'",
        [stored["message"]],
    )
    text = bytes(acks[0][2]).decode() if len(acks) == 1 else ""
    ak9 = next((line.strip() for line in text.split("~") if line.strip().startswith("AK9")), "")
    if profile:
        log(f"profile of the {label} worker: {profile}")
    return {
        **worker,
        "message": stored["message"],
        "bytes": stored["bytes"],
        "seconds": worker["end"] - worker["start"],
        "children": children,
        "acks": len(acks),
        "ack_ids": [row[0] for row in acks],
        "ack_kind": acks[0][1] if len(acks) == 1 else "",
        "ak9": ak9,
    }


def scenario_edi(args):
    import tempfile

    import edi

    count = 2000 if args.quick else 10000
    small = count // 10
    folder = Path(tempfile.mkdtemp(prefix="lsbench_edi_"))
    try:
        paths = {}
        for label, sets, first in (("small", small, 1), ("large", count, 100000)):
            paths[label] = folder / f"{label}.x12"
            paths[label].write_bytes(edi.interchange(sets, first))
        size = paths["large"].stat().st_size
        log(f"interchanges: {count} sets ({size / 1e6:.2f} MB) and {small} sets")

        # Adapter alone, each size in a process of its own.
        adapter = {label: edi_adapter(str(paths[label]), label) for label in paths}
        large, little = adapter["large"], adapter["small"]
        log(
            f"adapter: {large['sets_per_s']:.0f} sets/s [>= 2000] ({large['sets']} sets in"
            f" {large['seconds'] * 1000:.0f} ms, split {large['split_seconds'] * 1000:.0f} ms);"
            f" peak for {small} -> {count} sets [flat]: split {little['split_peak_kb']:.0f}"
            f" -> {large['split_peak_kb']:.0f} kB, ack {little['ack_peak_kb']:.0f}"
            f" -> {large['ack_peak_kb']:.0f} kB,"
            f" rss +{little['rss_delta_kb'] / 1024:.1f} -> +{large['rss_delta_kb'] / 1024:.1f} MB"
            f"; {large['ak9']}"
        )

        with Stack("edi", CORE, keep=args.keep) as stack:
            ids = stack.shell(
                SETUP_EDI.format(code=EDI_CODE, us=edi.US, partner=edi.PARTNER), "setup_edi"
            )
            runs = {label: edi_split(stack, ids, paths[label], label) for label in paths}
            odoo, odoo_small = runs["large"], runs["small"]
            if odoo["children"] != count:
                raise RuntimeError(f"{odoo['children']} child messages for {count} sets")
            expected_ak9 = f"AK9*A*{count}*{count}*{count}"
            ack_ok = odoo["acks"] == 1 and odoo["ack_kind"] == "997" and odoo["ak9"] == expected_ak9
            if not ack_ok:
                raise RuntimeError(f"expected one 997 with {expected_ak9}: {odoo}")
            log(
                f"odoo split: {count / odoo['seconds']:.0f} sets/s [>= 2000]"
                f" ({odoo['seconds']:.1f} s, {odoo['children']} messages, one"
                f" {odoo['ack_kind']} {odoo['ak9']}); worker peak RSS [flat]"
                f" {odoo_small['rss_mb']:.0f} MB ({small} sets),"
                f" {odoo['rss_mb']:.0f} MB ({count} sets), {odoo['rss_before_mb']:.0f} MB"
                " before processing"
            )
            # The children of the large interchange: the store-only flow, as a processor
            # runs it (the 997s would go to a file channel this backend has not, and the
            # small interchange's children are not measured: leave them out).
            stack.sql(
                "UPDATE logistics_message SET state = 'cancelled' WHERE state IN"
                " ('pending', 'retry') AND (id = ANY(%s) OR parent_id = %s)",
                [odoo["ack_ids"] + odoo_small["ack_ids"], odoo_small["message"]],
            )
            loop = stack.shell(BACKLOG_LOOP.format(limit="float('inf')"), "children")
            children_seconds = loop["end"] - loop["start"]
            log(
                f"children: {loop['count']} messages in {children_seconds:.1f} s"
                f" ({loop['count'] / children_seconds:.0f} messages/s)"
            )
            not_done = stack.scalar(
                "SELECT count(*) FROM logistics_message WHERE parent_id = %s"
                " AND direction = 'inbound' AND state <> 'done'",
                [odoo["message"]],
            )
    finally:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)

    def growth(big, little):
        return big / little if little else float("inf")

    return emit(
        "edi",
        sets=count,
        adapter_sets_s=large["sets_per_s"],
        adapter_split_peak_kb=large["split_peak_kb"],
        adapter_split_peak_small_kb=little["split_peak_kb"],
        adapter_split_peak_ratio=growth(large["split_peak_kb"], little["split_peak_kb"]),
        adapter_ack_peak_kb=large["ack_peak_kb"],
        adapter_ack_peak_small_kb=little["ack_peak_kb"],
        adapter_ack_peak_ratio=growth(large["ack_peak_kb"], little["ack_peak_kb"]),
        adapter_rss_delta_mb=large["rss_delta_kb"] / 1024,
        adapter_rss_delta_small_mb=little["rss_delta_kb"] / 1024,
        odoo_sets_s=count / odoo["seconds"],
        odoo_seconds=odoo["seconds"],
        children=odoo["children"],
        acks=odoo["acks"],
        ak9_ok=int(ack_ok),
        worker_rss_mb=odoo["rss_mb"],
        worker_rss_small_mb=odoo_small["rss_mb"],
        worker_rss_before_mb=odoo["rss_before_mb"],
        worker_growth_mb=odoo["rss_mb"] - odoo["rss_before_mb"],
        worker_growth_small_mb=odoo_small["rss_mb"] - odoo_small["rss_before_mb"],
        children_msgs_s=loop["count"] / children_seconds,
        children_not_done=not_done,
    )


# -- tms --------------------------------------------------------------------------------

TMS_MODULES = ["logistics_tms"]
TMS_CODE = "bench-tms"
#: One order in PICKING_EVERY has a delivery (its picking path: tracking events, status).
TMS_PICKING_EVERY = 10
#: Messages per claimed batch of the set-based run (BENCH_TMS_BATCH sets the 214 flow's
#: batch size; default: the flow's own, 500 as installed).
TMS_BATCH = int(os.environ.get("BENCH_TMS_BATCH", "0")) or None

#: The bench's carrier (SCAC, name) with its X12 EDI backend (kind tms, test, no
#: acknowledgement, no rate limit), in an odoo shell where the bench module ``{module}``
#: (its US, PARTNER and SCAC) is imported: ``backend`` and ``carrier``.
CARRIER_EDI = """
backend = env["logistics.backend"].create({{
    "name": "Bench carrier EDI", "code": {code!r}, "kind": "tms", "environment": "test",
    "edi_standard": "x12", "edi_our_qualifier": {module}.US[0], "edi_our_id": {module}.US[1],
    "edi_partner_qualifier": {module}.PARTNER[0], "edi_partner_id": {module}.PARTNER[1],
    "edi_ack_policy": "none", "inbound_rate_limit": 0, "concurrency": 0,
}})
carrier = env["res.partner"].create({{"name": "Bench Freight", "is_company": True,
    "logistics_scac": {module}.SCAC, "logistics_tms_backend_id": backend.id}})
"""

SETUP_TMS = """
import json, sys
from odoo import Command
sys.path.insert(0, {bench!r})
import tms
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
flow = env.ref("logistics_tms.logistics_message_type_tms_status")
flow.realtime = False
{carrier_edi}if {batch!r}:
    flow.batch_size = {batch!r}
picking_type = env.ref("stock.picking_type_out")
consignee = env["res.partner"].create({{"name": "Bench Consignee"}})
Picking, Order = env["stock.picking"], env["logistics.transport.order"]
orders = pickings = 0
for first, count in {ranges!r}:
    for start in range(first, first + count, 500):
        indexes = range(start, min(start + 500, first + count))
        delivered = [index for index in indexes if index % {every} == 0]
        created = Picking.create([{{
            "picking_type_id": picking_type.id, "partner_id": consignee.id,
            "location_id": picking_type.default_location_src_id.id,
            "location_dest_id": env.ref("stock.stock_location_customers").id,
            "origin": tms.order_name(index),
        }} for index in delivered])
        picking_of = dict(zip(delivered, created.ids))
        Order.create([{{
            "name": tms.order_name(index), "state": "accepted", "mode": "ftl",
            "carrier_id": carrier.id, "backend_id": backend.id,
            "pro_number": tms.pro_number(index),
            "picking_ids": [Command.set([picking_of[index]])] if index in picking_of else [],
        }} for index in indexes])
        orders += len(indexes)
        pickings += len(created)
        env.cr.commit()
batch = flow.batch_size or env["logistics.processor"]._get_batch_size()
print(json.dumps({{"backend": backend.id, "flow": flow.id, "orders": orders,
    "pickings": pickings, "batch": batch}}))
"""

#: The set-based run: one processor, the production claim and processing code
#: (``process_batch``: ``_claim`` then ``_process_claimed``, the handler's ``_process_many``),
#: a commit per batch, each batch's seconds kept (does the rate hold as the work piles
#: up?); the tms, wms and billing scenarios run it. With ``{per_message}``, the TMS
#: handler's ``_process_many`` is the engine's default instead: each message alone
#: (``_validate``, ``_process``) in a savepoint of its own, the batch still claimed and
#: committed as one.
TMS_LOOP = """
import cProfile, json, time
from odoo.addons.logistics_integration.engine import ClaimConflict
from odoo.addons.logistics_integration.models.logistics_handler import LogisticsHandler
if {per_message!r}:
    type(env["logistics.handler.tms.status"])._process_many = LogisticsHandler._process_many
processor = env["logistics.processor"]
profile = cProfile.Profile() if {profile!r} else None
count = conflicts = 0
seconds = []
started = time.time()
if profile:
    profile.enable()
while True:
    begun = time.time()
    try:
        batch = processor.process_batch({batch!r})
    except ClaimConflict:
        env.cr.rollback()
        conflicts += 1
        continue
    env.cr.commit()
    if not batch:
        break
    count += len(batch)
    seconds.append(time.time() - begun)
ended = time.time()
if profile:
    profile.disable()
    profile.dump_stats({profile!r})
print(json.dumps({{"start": started, "end": ended, "count": count, "batches": len(seconds),
    "seconds": seconds, "conflicts": conflicts}}))
"""

#: The baseline: the one-by-one ORM way, as a naive implementation would apply a 214.
#: Per message, one transaction: read the payload with the flow's codec; per milestone,
#: search its order (name, else PRO), search whether the milestone is known, map its status,
#: create it with the ORM, write the order (last milestone, state moved forward; mail
#: tracking as in production), hand the event to the order's deliveries (the same picking
#: method the set-based path calls); mark the message done; commit.
NAIVE_TMS = """
import json, time
from datetime import timezone
from odoo import fields
from odoo.addons.logistics_tms.models.logistics_transport_order import MILESTONE_STATES, PROGRESS
from logistics_adapters import canonical as c
Order = env["logistics.transport.order"]
Milestone = env["logistics.transport.milestone"]
StatusMap = env["logistics.status.map"]
labels = dict(Milestone._fields["status"].selection)
messages = env["logistics.message"].browse({ids})
started = time.time()
for message in messages:
    backend = message.backend_id
    for milestone in message.type_id.get_codec().parse(message.get_payload()):
        order = Order.search([("name", "=", milestone.reference)], limit=1) or Order.search(
            [("pro_number", "=", milestone.tracking_number)], limit=1)
        key = Milestone._dedup_key_of(milestone)
        if Milestone.search_count([("order_id", "=", order.id), ("dedup_key", "=", key)]):
            continue
        status = StatusMap.map_partner_status(backend, milestone.partner_status, milestone.status)
        when = milestone.occurred_at.astimezone(timezone.utc).replace(tzinfo=None)
        Milestone.create({{
            "order_id": order.id, "status": status, "partner_status": milestone.partner_status,
            "partner_status_text": milestone.partner_status_text,
            "reason_code": milestone.reason_code, "occurred_at": when,
            "location": milestone.location, "message_id": message.id, "dedup_key": key,
        }})
        vals = {{"last_status": labels[status], "last_milestone_at": when}}
        target = MILESTONE_STATES.get(status)
        if target and PROGRESS.index(target) > PROGRESS.index(order.state):
            vals["state"] = target
        order.write(vals)
        event = c.TrackingEvent(
            tracking_number=order.pro_number or order.name, status=milestone.status,
            partner_status=milestone.partner_status,
            partner_status_text=milestone.partner_status_text,
            occurred_at=milestone.occurred_at, location=milestone.location,
            partner_event_id=f"{{order.name}}|{{milestone.partner_status}}|{{milestone.occurred_at}}",
            carrier=milestone.carrier, shipment_reference=order.name,
        )
        for picking in order.picking_ids:
            picking._logistics_apply_events(backend, [event], message)
    message._mark_done(fields.Datetime.now())
    env.cr.commit()
print(json.dumps({{"start": started, "end": time.time(), "count": len(messages)}}))
"""


def tms_fill(stack, backend_id, first, last, shells=2):
    """Store the 214s of orders [first, last), ``shells`` odoo shells at once; return the
    ids of the messages stored (the new ones of this backend)."""
    before = stack.scalar("SELECT coalesce(max(id), 0) FROM logistics_message")

    def code_of(low, high):
        # Every order's first milestone, then every order's second one... as they arrive.
        return store_payloads(
            "tms",
            backend_id,
            "logistics_tms.logistics_message_type_tms_status",
            "(tms.status_payload(index, step) for step in range(len(tms.STEPS))"
            f" for index in range({low}, {high}))",
        )

    results = split_shells(stack, first, last, shells, code_of, f"fill_tms_{first}_")
    created = sum(result["created"] for result in results)
    ids = [
        row[0]
        for row in stack.sql(
            "SELECT id FROM logistics_message WHERE id > %s AND backend_id = %s ORDER BY id",
            [before, backend_id],
        )
    ]
    if created != len(ids):
        raise RuntimeError(f"{created} messages created, {len(ids)} found")
    return ids


def tms_outcome(stack, ids, first, orders):
    """What the messages ``ids`` about orders [first, first + orders) left: messages done,
    milestones, orders delivered, deliveries' events and statuses. (The lists are joined
    as sets: ``= ANY`` of 20,000 values over a table scan compares every pair.)"""
    names = [f"BTO{index:07d}" for index in range(first, first + orders)]
    states = dict(
        stack.sql(
            "SELECT m.state, count(*) FROM logistics_message m"
            " JOIN unnest(%s::int[]) AS wanted(id) ON wanted.id = m.id GROUP BY m.state",
            [ids],
        )
    )
    orders_of = (
        "WITH o AS (SELECT t.id, t.state FROM logistics_transport_order t"
        " JOIN unnest(%s::varchar[]) AS wanted(name) ON wanted.name = t.name) "
    )
    milestones = stack.scalar(
        orders_of + "SELECT count(*) FROM logistics_transport_milestone m"
        " JOIN o ON o.id = m.order_id",
        [names],
    )
    order_states = dict(
        stack.sql(orders_of + "SELECT state, count(*) FROM o GROUP BY state", [names])
    )
    picking_rows = stack.sql(
        orders_of + ", p AS (SELECT p.id, p.logistics_status FROM stock_picking p"
        " JOIN logistics_transport_order_stock_picking_rel r ON r.picking_id = p.id"
        " JOIN o ON o.id = r.order_id)"
        " SELECT p.logistics_status, count(DISTINCT p.id), count(e.id) FROM p"
        " LEFT JOIN logistics_shipment_event e ON e.res_model = 'stock.picking'"
        " AND e.res_id = p.id GROUP BY p.logistics_status",
        [names],
    )
    return {
        "done": states.get("done", 0),
        "states": states,
        "milestones": milestones,
        "delivered": order_states.get("delivered", 0),
        "order_states": order_states,
        "pickings_delivered": sum(n for status, n, _e in picking_rows if status == "delivered"),
        "picking_events": sum(events for _s, _n, events in picking_rows),
    }


def tms_check(label, outcome, messages, orders, pickings):
    """Stop the run unless every message is done and applied once (log the figures)."""
    steps = messages // orders
    expected = {
        "done": messages,
        "milestones": messages,
        "delivered": orders,
        "pickings_delivered": pickings,
        "picking_events": pickings * steps,
    }
    wrong = {key: (outcome[key], value) for key, value in expected.items() if outcome[key] != value}
    log(
        f"{label}: {outcome['done']}/{messages} done, {outcome['milestones']} milestones,"
        f" orders {outcome['order_states']}, {outcome['pickings_delivered']}/{pickings}"
        f" deliveries delivered with {outcome['picking_events']} events"
    )
    if wrong:
        raise RuntimeError(f"{label}: (found, expected) {wrong}; messages {outcome['states']}")
    return outcome


def scenario_tms(args):
    import tms

    messages = 2000 if args.quick else 20000
    baseline_messages = 500 if args.quick else 2000
    steps = len(tms.STEPS)
    orders, baseline_orders = messages // steps, baseline_messages // steps
    # The per-message variant's orders follow the baseline's.
    per_first = tms.BASELINE_FIRST + baseline_orders
    ranges = [(0, orders), (tms.BASELINE_FIRST, baseline_orders), (per_first, baseline_orders)]
    bench = str(Path(__file__).resolve().parent)

    def pickings_of(first, count):
        return sum(1 for index in range(first, first + count) if index % TMS_PICKING_EVERY == 0)

    with Stack("tms", TMS_MODULES, keep=args.keep) as stack:
        ids = stack.shell(
            SETUP_TMS.format(
                bench=bench,
                carrier_edi=CARRIER_EDI.format(module="tms", code=TMS_CODE),
                batch=TMS_BATCH,
                ranges=ranges,
                every=TMS_PICKING_EVERY,
            ),
            "setup_tms",
        )
        started = time.monotonic()
        baseline_ids = tms_fill(
            stack, ids["backend"], tms.BASELINE_FIRST, tms.BASELINE_FIRST + baseline_orders
        )
        per_ids = tms_fill(stack, ids["backend"], per_first, per_first + baseline_orders)
        stack.sql(
            "UPDATE logistics_message SET state = 'cancelled' WHERE id = ANY(%s)",
            [baseline_ids + per_ids],
        )
        main_ids = tms_fill(stack, ids["backend"], 0, orders)
        stack.sql("ANALYZE")
        log(
            f"inbox: {len(main_ids)} 214s over {orders} orders"
            f" ({pickings_of(0, orders)} with a delivery),"
            f" baseline {len(baseline_ids)} and {len(per_ids)}; stored in"
            f" {time.monotonic() - started:.0f} s"
        )

        naive = stack.shell(NAIVE_TMS.format(ids=baseline_ids), "naive_tms")
        baseline_rate = naive["count"] / (naive["end"] - naive["start"])
        log(f"baseline (one by one, ORM): {baseline_rate:.1f} messages/s")
        baseline_ok = tms_check(
            "baseline",
            tms_outcome(stack, baseline_ids, tms.BASELINE_FIRST, baseline_orders),
            baseline_messages,
            baseline_orders,
            pickings_of(tms.BASELINE_FIRST, baseline_orders),
        )

        profile = str(stack.dir / "tms_loop.prof") if os.environ.get("BENCH_TMS_PROFILE") else ""
        loop = stack.shell(
            TMS_LOOP.format(per_message=False, profile=profile, batch=TMS_BATCH), "tms_loop"
        )
        seconds = loop["end"] - loop["start"]
        rate = loop["count"] / seconds
        log(
            f"set-based: {loop['count']} messages in {seconds:.1f} s ({rate:.0f} messages/s,"
            f" {loop['batches']} batches of {ids['batch']})"
        )
        if profile:
            log(f"profile of the processor: {profile}")
        outcome = tms_check(
            "set-based",
            tms_outcome(stack, main_ids, 0, orders),
            messages,
            orders,
            pickings_of(0, orders),
        )

        stack.sql("UPDATE logistics_message SET state = 'pending' WHERE id = ANY(%s)", [per_ids])
        per = stack.shell(
            TMS_LOOP.format(per_message=True, profile="", batch=TMS_BATCH), "tms_per_message"
        )
        per_rate = per["count"] / (per["end"] - per["start"])
        log(f"per message through the handler: {per_rate:.0f} messages/s")
        per_ok = tms_check(
            "per-message",
            tms_outcome(stack, per_ids, per_first, baseline_orders),
            baseline_messages,
            baseline_orders,
            pickings_of(per_first, baseline_orders),
        )
        return emit(
            "tms",
            messages=messages,
            orders=orders,
            deliveries=pickings_of(0, orders),
            batch=ids["batch"],
            set_based_msgs_s=rate,
            set_based_seconds=seconds,
            baseline_msgs_s=baseline_rate,
            baseline_sample=baseline_messages,
            ratio=rate / baseline_rate,
            per_message_msgs_s=per_rate,
            per_message_ratio=rate / per_rate,
            done=outcome["done"],
            milestones=outcome["milestones"],
            orders_delivered=outcome["delivered"],
            deliveries_delivered=outcome["pickings_delivered"],
            delivery_events=outcome["picking_events"],
            baseline_done=baseline_ok["done"],
            per_message_done=per_ok["done"],
        )


# -- wms: a 3PL's stock reconciled ---------------------------------------------------------

WMS_MODULES = ["logistics_wms"]
WMS_CODE = "bench-3pl"

#: A 3PL backend, its warehouse, and LINES products with ON_HAND each in its stock: one
#: product made with the ORM, the others copied from it in SQL (a bench's setup, not a
#: user's), their quants likewise.
SETUP_WMS = """
import json, sys
sys.path.insert(0, {bench!r})
import wms
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
backend = env["logistics.backend"].create({{
    "name": "Bench 3PL EDI", "code": {code!r}, "kind": "wms", "environment": "test",
    "edi_standard": "x12", "edi_our_qualifier": wms.US[0], "edi_our_id": wms.US[1],
    "edi_partner_qualifier": wms.PARTNER[0], "edi_partner_id": wms.PARTNER[1],
    "edi_ack_policy": "none", "inbound_rate_limit": 0, "concurrency": 0,
}})
warehouse = env["stock.warehouse"].create({{"name": "Bench 3PL", "code": "B3PL",
    "logistics_wms_backend_id": backend.id, "logistics_wms_release_mode": "manual"}})
first = env["product.product"].create({{"name": "Bench product", "is_storable": True,
    "default_code": wms.product_code(0), "standard_price": 2.5}})
env.cr.commit()
cr = env.cr
def columns(table, skip):
    cr.execute("SELECT column_name FROM information_schema.columns WHERE table_name = %s",
               [table])
    return [name for (name,) in cr.fetchall() if name not in skip]
tmpl_cols = columns("product_template", {{"id"}})
cr.execute(
    f"INSERT INTO product_template ({{', '.join(tmpl_cols)}}) SELECT {{', '.join(tmpl_cols)}}"
    " FROM product_template, generate_series(1, %s) WHERE id = %s RETURNING id",
    [{lines} - 1, first.product_tmpl_id.id])
templates = sorted(row[0] for row in cr.fetchall())
prod_cols = columns("product_product", {{"id", "product_tmpl_id", "default_code"}})
cr.execute(
    f"INSERT INTO product_product (product_tmpl_id, default_code, {{', '.join(prod_cols)}})"
    f" SELECT t.id, 'BW' || lpad(t.n::text, 7, '0'), {{', '.join('p.' + c for c in prod_cols)}}"
    " FROM product_product p,"
    " unnest(%s::int[]) WITH ORDINALITY AS t(id, n) WHERE p.id = %s",
    [templates, first.id])
cr.execute(
    "INSERT INTO stock_quant (product_id, location_id, company_id, quantity,"
    " reserved_quantity, in_date, create_uid, write_uid, create_date, write_date)"
    " SELECT p.id, %s, %s, %s, 0, now(), 1, 1, now(), now() FROM product_product p"
    " WHERE p.default_code LIKE 'BW%%'",
    [warehouse.lot_stock_id.id, env.company.id, wms.ON_HAND])
env.cr.commit()
env.registry.clear_cache()
print(json.dumps({{"backend": backend.id, "warehouse": warehouse.id,
    "products": env["product.product"].search_count([("default_code", "=like", "BW%")])}}))
"""

#: The 846 stored and worked as the engine works it (the processor's claim, the handler,
#: a commit), with the process's peak memory before and after.
WMS_RECONCILE = """
import json, resource, sys, time
sys.path.insert(0, {bench!r})
import wms
backend = env["logistics.backend"].browse({backend})
payload = wms.inventory_payload({lines})
flow = env.ref("logistics_wms.logistics_message_type_wms_inventory")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.time()
message, _created = env["logistics.message"].store_inbound(
    backend, flow, payload, content_type="application/edi-x12")
env.cr.commit()
stored = time.time()
message.work_now()
env.cr.commit()
ended = time.time()
snapshot = env["logistics.wms.snapshot"].search([("message_id", "=", message.id)])
print(json.dumps({{"state": message.state, "error": message.error_text or "",
    "bytes": len(payload), "start": started, "stored": stored, "end": ended,
    "lines": snapshot.line_count, "differences": snapshot.difference_count,
    "value": snapshot.difference_value, "rss_before_kb": before,
    "rss_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}}))
"""


#: The 945 part's deliveries: for each range ``(first, count)``, ``count`` deliveries of two
#: products each from the 3PL's warehouse, confirmed, reserved and released to it (the
#: release itself marked in SQL: the 940s are not what is measured).
SETUP_WMS_945 = """
import json, sys
from odoo import Command
sys.path.insert(0, {bench!r})
import wms
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
flow = env.ref("logistics_wms.logistics_message_type_wms_shipped")
flow.realtime = False
warehouse = env["stock.warehouse"].browse({warehouse})
stock, customers = warehouse.lot_stock_id, env.ref("stock.stock_location_customers")
customer = env["res.partner"].create({{"name": "Bench customer"}})
products = env["product.product"].search([("default_code", "=like", "BW%")],
                                         order="default_code").ids
count = 0
for first, number in {ranges!r}:
    for start in range(first, first + number, 250):
        indexes = list(range(start, min(start + 250, first + number)))
        pickings = env["stock.picking"].create([{{
            "picking_type_id": warehouse.out_type_id.id, "partner_id": customer.id,
            "location_id": stock.id, "location_dest_id": customers.id,
            "move_ids": [Command.create({{
                "product_id": products[product], "product_uom_qty": wms.QUANTITY,
                "location_id": stock.id, "location_dest_id": customers.id,
            }}) for product in wms.delivery_products(index, len(products))],
        }} for index in indexes])
        pickings.action_confirm()
        pickings.action_assign()
        env.cr.execute(
            "UPDATE stock_picking SET logistics_wms_backend_id = %s,"
            " logistics_wms_state = 'released',"
            " logistics_wms_released_at = now() at time zone 'UTC',"
            " logistics_wms_reference = t.reference"
            " FROM unnest(%s::int[], %s::varchar[]) AS t(id, reference)"
            " WHERE stock_picking.id = t.id",
            [warehouse.logistics_wms_backend_id.id, pickings.ids,
             [wms.delivery_name(index) for index in indexes]])
        env.cr.commit()
        count += len(pickings)
env.cr.execute("SELECT count(*) FROM stock_picking WHERE logistics_wms_state = 'released'"
               " AND state = 'assigned'")
print(json.dumps({{"deliveries": count, "assigned": env.cr.fetchone()[0],
    "products": len(products), "batch": env["logistics.processor"]._get_batch_size()}}))
"""

#: The baseline: the one-by-one ORM way, as a naive implementation would apply a 945. Per
#: message, one transaction: read it with the flow's codec; search the open delivery of its
#: order; per line, search the product, set its move's quantity and mark it picked; the
#: tracking number on the delivery; validate it (Odoo's ``button_validate``), mark it
#: shipped and say so in its chatter; mark the message done; commit. (It makes no package
#: and keeps no confirmation record: less work than the handler does.)
NAIVE_WMS_945 = """
import json, time
from odoo import fields
from odoo.addons.logistics_wms.models.stock_picking import CONFIRMING
Picking = env["stock.picking"].with_context(**{{CONFIRMING: True}})
Product = env["product.product"]
messages = env["logistics.message"].browse({ids})
started = time.time()
for message in messages:
    for confirmation in message.type_id.get_codec().parse(message.get_payload()):
        picking = Picking.search([
            ("logistics_wms_reference", "=", confirmation.order_reference),
            ("state", "not in", ("done", "cancel"))], limit=1)
        for line in confirmation.lines:
            product = Product.search([("default_code", "=", line.product_code)], limit=1)
            move = picking.move_ids.filtered(lambda m, product=product: m.product_id == product)
            move.quantity = line.quantity
            move.picked = True
        picking.carrier_tracking_ref = confirmation.tracking_number
        picking.with_context(skip_backorder=True, skip_sms=True).button_validate()
        picking.logistics_wms_state = "shipped"
        picking.message_post(body=f"Shipped by the 3PL ({{confirmation.partner_reference}}).")
    message._mark_done(fields.Datetime.now())
    env.cr.commit()
print(json.dumps({{"start": started, "end": time.time(), "count": len(messages)}}))
"""


def wms_shipped(stack, ids, references):
    """How many of messages ``ids`` are done, and of the deliveries ``references`` are
    done and marked shipped by the 3PL."""
    done = stack.scalar(
        "SELECT count(*) FROM logistics_message WHERE state = 'done' AND id = ANY(%s)", [ids]
    )
    shipped = stack.scalar(
        "SELECT count(*) FROM stock_picking p JOIN unnest(%s::varchar[]) AS t(reference)"
        " ON t.reference = p.logistics_wms_reference"
        " WHERE p.state = 'done' AND p.logistics_wms_state = 'shipped'",
        [references],
    )
    return done, shipped


def wms_confirmations(stack, warehouse, quick):
    """The 945 part: 5,000 945s (500 with ``--quick``) worked by the engine, against the
    one-by-one ORM way on 250 (100) others, in the same run."""
    import wms

    count, baseline = (500, 100) if quick else (5000, 250)
    bench = str(Path(__file__).resolve().parent)
    started = time.monotonic()
    ranges = [(0, count), (wms.BASELINE_FIRST, baseline)]
    setup = stack.shell(
        SETUP_WMS_945.format(bench=bench, warehouse=warehouse["warehouse"], ranges=ranges),
        "setup_wms_945",
    )
    if setup["assigned"] != count + baseline:
        raise RuntimeError(f"{setup['assigned']} deliveries reserved, not {count + baseline}")
    log(f"setup: {setup['deliveries']} deliveries released in {time.monotonic() - started:.0f} s")

    def fill(first, last):
        code = store_payloads(
            "wms",
            warehouse["backend"],
            "logistics_wms.logistics_message_type_wms_shipped",
            f"(wms.confirmation_payload(index, {setup['products']})"
            f" for index in range({first}, {last}))",
        )
        return stack.shell(code, f"fill_wms_945_{first}")["ids"]

    baseline_ids = fill(wms.BASELINE_FIRST, wms.BASELINE_FIRST + baseline)
    stack.sql("UPDATE logistics_message SET state = 'cancelled' WHERE id = ANY(%s)", [baseline_ids])
    main_ids = fill(0, count)
    stack.sql("ANALYZE")
    naive = stack.shell(NAIVE_WMS_945.format(ids=baseline_ids), "naive_wms_945")
    baseline_rate = naive["count"] / (naive["end"] - naive["start"])
    log(f"baseline (one by one, ORM): {baseline_rate:.1f} 945s/s")
    loop = stack.shell(TMS_LOOP.format(per_message=False, profile="", batch=None), "wms_945_loop")
    seconds = loop["end"] - loop["start"]
    rate = loop["count"] / seconds
    log(f"engine: {loop['count']} 945s in {seconds:.1f} s ({rate:.1f} 945s/s)")
    references = [wms.delivery_name(index) for index in range(count)]
    done, shipped = wms_shipped(stack, main_ids, references)
    base_refs = [
        wms.delivery_name(i) for i in range(wms.BASELINE_FIRST, wms.BASELINE_FIRST + baseline)
    ]
    _base_done, base_shipped = wms_shipped(stack, baseline_ids, base_refs)
    if (done, shipped, base_shipped) != (count, count, baseline):
        raise RuntimeError(
            f"945s: {done} of {count} done, {shipped} deliveries shipped;"
            f" baseline: {base_shipped} of {baseline} shipped"
        )
    return {
        "confirmations": count,
        "confirmations_s": rate,
        "confirmations_seconds": seconds,
        "baseline_confirmations_s": baseline_rate,
        "baseline_sample": baseline,
        "confirmations_ratio": rate / baseline_rate,
        "batch": setup["batch"],
    }


def scenario_wms(args):
    import wms

    lines = 10000 if args.quick else 100000
    bench = str(Path(__file__).resolve().parent)
    with Stack("wms", WMS_MODULES, keep=args.keep) as stack:
        started = time.monotonic()
        ids = stack.shell(SETUP_WMS.format(bench=bench, code=WMS_CODE, lines=lines), "setup_wms")
        log(f"setup: {ids['products']} products in stock in {time.monotonic() - started:.0f} s")
        run = stack.shell(
            WMS_RECONCILE.format(bench=bench, backend=ids["backend"], lines=lines),
            "wms_reconcile",
        )
        if run["state"] != "done":
            raise RuntimeError(f"the 846 was not applied: {run['state']} {run['error']}")
        drifted = len(range(0, lines, wms.DRIFT_EVERY))
        if (run["lines"], run["differences"]) != (lines, drifted):
            raise RuntimeError(
                f"reconciled {run['lines']} lines with {run['differences']} differences;"
                f" expected {lines} and {drifted}"
            )
        seconds = run["end"] - run["stored"]
        peak_mb = run["rss_peak_kb"] / 1024
        log(
            f"846 of {lines} lines ({run['bytes'] / 1e6:.1f} MB): stored in"
            f" {run['stored'] - run['start']:.1f} s, reconciled in {seconds:.1f} s"
            f" ({lines / seconds:.0f} lines/s), {run['differences']} differences worth"
            f" {run['value']:.2f}; peak memory {peak_mb:.0f} MB"
            f" (the shell held {run['rss_before_kb'] / 1024:.0f} MB before)"
        )
        confirmations = wms_confirmations(stack, ids, args.quick)
        return emit(
            "wms",
            **confirmations,
            lines=lines,
            payload_mb=run["bytes"] / 1e6,
            store_seconds=run["stored"] - run["start"],
            reconcile_seconds=seconds,
            lines_s=lines / seconds,
            differences=run["differences"],
            peak_rss_mb=peak_mb,
            rss_before_mb=run["rss_before_kb"] / 1024,
        )


# -- billing: carriers' freight invoices audited (bench/billing_scenario.py) -----------------


def scenario_billing(args):
    import billing_scenario

    return billing_scenario.run(args, sys.modules[__name__])


# -- faults -----------------------------------------------------------------------------

FAULT_MODULES = [*CORE, "test_logistics_integration"]
FAKE_CODE = "bench-fake"

FAULT_SETUP = """
import json
Type = env["logistics.message.type"]
common = {{"handler_model": "logistics.handler.fake", "retry_jitter": 0.0, "realtime": True}}
inbound = Type.create({{**common, "name": "Bench fake inbound", "code": "bench.fake.in",
    "direction": "inbound", "retry_pattern": "1, 2, 3", "max_attempts": 50}})
outbound = Type.create({{**common, "name": "Bench fake outbound", "code": "bench.fake.out",
    "direction": "outbound", "retry_pattern": "1, 2, 3, 5", "max_attempts": 200}})
backend = env["logistics.backend"].create({{
    "name": "Bench fake partner", "code": {code!r}, "signature_scheme": "easypost-hmac",
    "webhook_secret": {secret!r}, "inbound_type_id": inbound.id, "inbound_rate_limit": 0,
    "concurrency": 0, "endpoint_url": {endpoint!r}, "timeout_connect": 1.0,
    "timeout_read": 2.0, "circuit_threshold": 5, "circuit_cooldown": 3,
}})
env["ir.config_parameter"].set_param("logistics_integration.batch_size", 50)
env.cr.commit()
print(json.dumps({{"backend": backend.id, "inbound": inbound.id, "outbound": outbound.id}}))
"""

FAULT_FILL = """
import json
backend = env["logistics.backend"].browse({backend})
Message = env["logistics.message"]
flow = env["logistics.message.type"].browse({flow})
for index in range({count}):
    data = dict({extra}, key="{tag}-%d" % index, ref="{tag}-%d" % index)
    if {outbound}:
        data["json"] = {{"reference": data["key"]}}
        Message.enqueue_outbound(backend, flow, json.dumps(data).encode(), data["key"])
    else:
        Message.store_inbound(backend, flow, json.dumps(data).encode())
    if index % 500 == 499:
        env.cr.commit()
env.cr.commit()
print(json.dumps({{"count": {count}}}))
"""


# A case's messages: by the key the Odoo route reads from the payload, or, for what the
# gateway stored (keyed by the body's hash), by the key inside the payload.
MATCH = (
    "({table}idempotency_key LIKE %s OR {table}partner_ref LIKE %s"
    " OR position(convert_to(%s, 'UTF8') in {table}payload) > 0)"
)


def match_params(tag):
    return [f"{tag}-%", f"{tag}-%", f'"key": "{tag}-']


def fake_body(tag, index, **extra):
    return json.dumps({"key": f"{tag}-{index}", "ref": f"{tag}-{index}", **extra}).encode()


def tally(stack, tag, expected):
    """(lost, doubled) of the messages whose key starts with ``tag``."""
    rows = stack.sql(
        "SELECT m.state, count(e.id) FROM logistics_message m"
        " LEFT JOIN test_logistics_effect e ON e.message_id = m.id"
        f" WHERE {MATCH.format(table='m.')} GROUP BY m.id, m.state",
        match_params(tag),
    )
    done_once = sum(1 for state, effects in rows if state == "done" and effects >= 1)
    doubled = sum(effects - 1 for _state, effects in rows if effects > 1)
    doubled += max(0, len(rows) - expected)
    return expected - done_once, doubled


def wait_done(stack, tag, expected, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = stack.scalar(
            "SELECT count(*) FROM logistics_message WHERE state = 'done'"
            f" AND {MATCH.format(table='')}",
            match_params(tag),
        )
        if done >= expected:
            return done
        time.sleep(0.5)
    return done


def fill(stack, ids, tag, count, outbound=False, **extra):
    flow = ids["outbound"] if outbound else ids["inbound"]
    code = FAULT_FILL.format(
        backend=ids["backend"], flow=flow, count=count, tag=tag, outbound=outbound, extra=extra
    )
    stack.shell(code, f"fill_{tag}")


def case_kill(stack, ids, size):
    tag = "kill"
    fill(stack, ids, tag, size, sleep=0.01)
    stack.start_odoo(workers=2, crons=2)
    progress = wait_done(stack, tag, size * 0.3, 120)
    os.killpg(stack.processes["odoo"].pid, signal.SIGKILL)
    stack.processes.pop("odoo").wait()
    log(f"kill: SIGKILL with {progress}/{size} done")
    stack.start_odoo(workers=2, crons=2)
    wait_done(stack, tag, size, 300)
    stack.stop("odoo")
    return tally(stack, tag, size)


def case_processors(stack, ids, size, processors):
    tag = f"procs{processors}"
    fill(stack, ids, tag, size)
    parallel_shells(stack, PROCESS_LOOP.format(batch=50), processors)
    return tally(stack, tag, size)


def case_duplicates(stack, ids, size):
    tag = "dup"
    stack.start_odoo(workers=2, crons=2)
    bodies = [fake_body(tag, index) for index in range(size)] * 3
    random.shuffle(bodies)
    post_all(stack.odoo_port, bodies, 8, f"/logistics/inbound/{FAKE_CODE}")
    wait_done(stack, tag, size, 180)
    stack.stop("odoo")
    lost, doubled = tally(stack, tag, size)
    counts = stack.sql(
        "SELECT received_count, count(*) FROM logistics_message WHERE idempotency_key LIKE %s"
        " GROUP BY received_count",
        [f"{tag}-%"],
    )
    if dict(counts) != {3: size}:
        log(f"duplicates: received counts {dict(counts)}")
        lost += size - dict(counts).get(3, 0)
    return lost, doubled


def case_outage(stack, ids, size, sandbox, partner, seconds):
    """The partner answers 5xx, then times out, for ``seconds`` from the first label
    request; labels keep being asked; then it recovers."""
    tag = "outage"
    stack.start_odoo(workers=2, crons=2)
    sandbox.clear_requests()
    sandbox.add_fault(mode="5xx", seconds=seconds / 2)
    timer = threading.Timer(
        seconds / 2, lambda: sandbox.add_fault(mode="timeout", seconds=seconds / 2, delay=3)
    )
    timer.start()
    started = time.monotonic()
    states = set()
    fill(stack, ids, tag, size, outbound=True, call="/shipments")
    while time.monotonic() - started < seconds:
        states.add(
            stack.scalar(
                "SELECT circuit_state FROM logistics_backend WHERE id = %s", [ids["backend"]]
            )
        )
        time.sleep(0.2)
    timer.join()
    sandbox.clear_faults()
    failed_calls = sum(1 for record in sandbox.requests() if record.get("fault"))
    wait_done(stack, tag, size, 300)
    final = stack.scalar(
        "SELECT circuit_state FROM logistics_backend WHERE id = %s", [ids["backend"]]
    )
    stack.stop("odoo")
    lost, _doubled = tally(stack, tag, size)
    bought = {}
    for shipment in partner.shipments.values():
        reference = (shipment.get("request") or {}).get("reference")
        bought[reference] = bought.get(reference, 0) + 1
    wanted = {f"{tag}-{index}" for index in range(size)}
    lost = max(lost, len(wanted - set(bought)))
    doubled = sum(count - 1 for count in bought.values() if count > 1)
    log(
        f"outage: {failed_calls} calls met the fault; circuit states seen "
        f"{sorted(state for state in states if state)}, now {final}"
    )
    circuit_ok = "open" in states and final == "closed"
    return lost, doubled, circuit_ok


def case_db_drop(stack, ids, size):
    tag = "dbdrop"
    fill(stack, ids, tag, size, sleep=0.01)
    stack.start_odoo(workers=2, crons=2)
    for share in (0.25, 0.6):
        wait_done(stack, tag, size * share, 120)
        killed = stack.scalar(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()"
            " AND application_name LIKE 'odoo%%'",
            [stack.db],
        )
        log(f"db drop: {killed} Odoo connections terminated at {share:.0%}")
    wait_done(stack, tag, size, 300)
    stack.stop("odoo")
    return tally(stack, tag, size)


def case_gateway_while_odoo_down(stack, ids, size):
    tag = "gwdown"
    gw_port = stack.start_gateway(workers=1)
    bodies = [fake_body(tag, index) for index in range(size)]
    result = post_all(gw_port, bodies, 8, f"/logistics/inbound/{FAKE_CODE}")
    stack.stop("gateway")
    log(f"gateway alone accepted {result.accepted((202,))}/{size}")
    stack.start_odoo(workers=2, crons=2)
    wait_done(stack, tag, size, 300)
    stack.stop("odoo")
    return tally(stack, tag, size)


def scenario_faults(args):
    from logistics_adapters.sandbox import GenericPartner, Sandbox

    size = 400 if args.quick else 2000
    outage = 8 if args.quick else 30
    partner = GenericPartner()
    with (
        Sandbox(port=0, route_sets=[partner]) as sandbox,
        Stack("faults", FAULT_MODULES, keep=args.keep) as stack,
    ):
        ids = stack.shell(
            FAULT_SETUP.format(code=FAKE_CODE, secret=payloads.SECRET, endpoint=sandbox.url),
            "setup_faults",
        )
        results = {}
        cases = [
            ("kill", lambda: case_kill(stack, ids, size)),
            ("processors2", lambda: case_processors(stack, ids, size, 2)),
            ("processors4", lambda: case_processors(stack, ids, size, 4)),
            ("duplicates", lambda: case_duplicates(stack, ids, size // 2)),
            ("outage", lambda: case_outage(stack, ids, size // 10, sandbox, partner, outage)),
            ("dbdrop", lambda: case_db_drop(stack, ids, size)),
            ("gwdown", lambda: case_gateway_while_odoo_down(stack, ids, size)),
        ]
        circuit = False
        for name, run_case in cases:
            started = time.monotonic()
            outcome = run_case()
            if name == "outage":
                outcome, circuit = outcome[:2], outcome[2]
            results[name] = outcome
            took = time.monotonic() - started
            log(f"{name}: lost={outcome[0]} doubled={outcome[1]} ({took:.0f} s)")
        return emit(
            "faults",
            cases=len(results),
            lost=sum(lost for lost, _ in results.values()),
            doubled=sum(doubled for _, doubled in results.values()),
            circuit_opened_closed=int(circuit),
            **{f"{name}_lost": lost for name, (lost, _) in results.items()},
            **{f"{name}_doubled": doubled for name, (_, doubled) in results.items()},
        )


SCENARIOS = {
    "billing": scenario_billing,
    "edi": scenario_edi,
    "faults": scenario_faults,
    "ingest": scenario_ingest,
    "process": scenario_process,
    "backlog": scenario_backlog,
    "latency": scenario_latency,
    "tms": scenario_tms,
    "wms": scenario_wms,
}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="bench/run", description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--quick", action="store_true", help="a smaller size, under a minute")
    parser.add_argument("--keep", action="store_true", help="keep the database and logs")
    args = parser.parse_args(argv)
    random.seed(7)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    figures = SCENARIOS[args.scenario](args)
    Path(__file__).resolve().parent.joinpath(".last").mkdir(exist_ok=True)
    Path(__file__).resolve().parent.joinpath(".last", f"{args.scenario}.json").write_text(
        json.dumps({"quick": args.quick, "at": time.strftime("%Y-%m-%d %H:%M"), **figures})
    )


if __name__ == "__main__":
    main()
