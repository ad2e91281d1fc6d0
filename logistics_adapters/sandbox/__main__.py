"""``python -m logistics_adapters.sandbox``: run the sandbox until SIGINT or SIGTERM.

``python -m logistics_adapters.sandbox edi --inbox DIR --outbox DIR`` plays the EDI partner on
two folders instead, its control API under ``/_sandbox/edi``; ``python -m
logistics_adapters.sandbox carrier --scac PRFR --inbox DIR --outbox DIR`` plays a carrier there
(997 and 990 to load tenders, then a 214 timeline, then a 210 freight invoice of each delivered
load per ``--billing``); ``python -m logistics_adapters.sandbox 3pl --inbox DIR --outbox DIR
[--stock FILE.json]`` plays a 3PL warehouse (997 to 940s and 943s, 945s and 944s by scenario,
846s of its stock); ``python -m logistics_adapters.sandbox json-3pl --webhook-url URL
--secret S`` plays a ShipBob-like 3PL with a JSON API (orders in, signed
shipment webhooks out, polling, inventory levels).

Exit statuses: 0 after a clean stop, 2 for a usage problem (a non-loopback host without
``--allow-remote``, a port in use, an unreadable or invalid scenario, a missing folder).
"""

import argparse
import json
import logging
import signal
import sys
import threading

from ..errors import AdapterError
from .carrier_billing import BILLING_SCENARIOS, check_amount, check_over, parse_accessorial
from .carrier_edi import (
    DEFAULT_DECLINE_REASON,
    DEFAULT_TIMELINE,
    SCENARIOS,
    CarrierPartner,
    parse_timeline,
)
from .core import HttpError
from .edi import MODES, EdiPartner
from .json_3pl import Json3pl
from .personalities import available_personalities, get_personality
from .server import Sandbox, is_loopback
from .three_pl import DEFAULT_WAREHOUSE, ThreePlPartner
from .three_pl import SCENARIOS as THREE_PL_SCENARIOS


def build_parser():
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog="python -m logistics_adapters.sandbox",
        description="Play a partner system on this machine (shipments, faults, webhooks).",
        epilog="The EDI partner on two folders: python -m logistics_adapters.sandbox edi --help. "
        "A carrier (204, 990, 214): python -m logistics_adapters.sandbox carrier --help. "
        "A 3PL (940, 943, 945, 944, 846): python -m logistics_adapters.sandbox 3pl --help. "
        "A ShipBob-like JSON 3PL: python -m logistics_adapters.sandbox json-3pl --help.",
    )
    parser.add_argument("--port", type=int, default=8075, help="port (0: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback)")
    parser.add_argument(
        "--allow-remote", action="store_true", help="allow a host that is not loopback"
    )
    parser.add_argument("--webhook-url", help="default URL the timelines post webhooks to")
    parser.add_argument("--secret", help="default secret the webhooks are signed with")
    parser.add_argument("--scenario", help="JSON file: a timeline and/or 'faults' applied at start")
    parser.add_argument("--verbose", action="store_true", help="log every request on stderr")
    parser.add_argument(
        "--personality",
        action="append",
        choices=available_personalities(),
        help="partner API to serve (repeatable; default: generic); each under its own prefix",
    )
    return parser


def main(argv=None):
    """Run the sandbox (or, after ``edi``, ``carrier`` or ``3pl``, that partner on two
    folders; after ``json-3pl``, the JSON 3PL); return the exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    commands = {
        "edi": edi_main,
        "carrier": carrier_main,
        "3pl": three_pl_main,
        "json-3pl": json_3pl_main,
    }
    if argv[:1] and argv[0] in commands:
        return commands[argv[0]](argv[1:])
    args = build_parser().parse_args(argv)
    if not args.allow_remote and not is_loopback(args.host):
        return _fail(f"refusing to listen on {args.host!r}: not a loopback address")
    try:
        scenario = _read_json(args.scenario, "scenario") if args.scenario else None
    except ValueError as exc:
        return _fail(str(exc))
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(asctime)s %(message)s")
    names = dict.fromkeys(args.personality or ["generic"])
    route_sets = [get_personality(name)() for name in names]
    sandbox = Sandbox(
        args.port,
        args.host,
        webhook_url=args.webhook_url,
        secret=args.secret,
        route_sets=route_sets,
        allow_remote=args.allow_remote,
    )
    for route_set in route_sets:
        if hasattr(route_set, "attach"):
            route_set.attach(sandbox)
    try:
        sandbox.start()
    except OSError as exc:
        return _fail(f"cannot listen on {args.host}:{args.port}: {exc}")
    try:
        if scenario is not None:
            sandbox.load_scenario(scenario)
        print(f"logistics sandbox listening on {sandbox.url}", flush=True)
        _wait_for_signal()
    except HttpError as exc:
        return _fail(f"scenario {args.scenario}: {exc.reason}")
    finally:
        sandbox.stop()
    return 0


def _partner_parser(command, description, port):
    """An argument parser with the options the EDI partner and the carrier share."""
    parser = argparse.ArgumentParser(
        prog=f"python -m logistics_adapters.sandbox {command}", description=description
    )
    parser.add_argument("--inbox", required=True, help="folder where Odoo drops what it sends")
    parser.add_argument("--outbox", required=True, help="folder where Odoo takes files from")
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between pickups")
    parser.add_argument("--port", type=int, default=port, help="control API port (0: any)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback)")
    parser.add_argument("--our-id", default="ZZ:ODOO", help="Odoo's ISA qualifier:id")
    parser.add_argument("--version", default="004010", help="GS08 of what the partner sends")
    return parser


def build_edi_parser():
    """Return the argument parser of the ``edi`` command."""
    parser = _partner_parser(
        "edi", "Play an EDI partner on two folders: answer what Odoo drops with 997s.", 8076
    )
    parser.add_argument("--mode", choices=MODES, default="accept", help="how to answer")
    parser.add_argument("--partner-id", default="ZZ:SANDBOX", help="partner's ISA qualifier:id")
    return parser


def build_carrier_parser():
    """Return the argument parser of the ``carrier`` command."""
    parser = _partner_parser(
        "carrier",
        "Play a carrier on two folders: answer 204 load tenders with 997 and 990, "
        "then send 214 statuses on a timeline.",
        8077,
    )
    parser.add_argument("--scac", required=True, help="the carrier's SCAC, its ISA id (ZZ)")
    parser.add_argument("--scenario", choices=SCENARIOS, default="accept", help="990 answer")
    parser.add_argument(
        "--decline-reason", default=DEFAULT_DECLINE_REASON, help="V908 code of a decline"
    )
    parser.add_argument(
        "--timeline",
        default=",".join(f"{code}:{after:g}" for code, after in DEFAULT_TIMELINE),
        help="214 steps after acceptance, CODE:SECONDS,...",
    )
    _add_billing_options(parser)
    return parser


def _add_billing_options(parser):
    """The carrier's options saying how it bills what it delivers (210)."""
    parser.add_argument(
        "--billing",
        choices=BILLING_SCENARIOS,
        help="210 of each delivered load: the estimate as freight (exact, the default), "
        "with accessorial charges (accessorial, the default with --accessorial), none",
    )
    parser.add_argument(
        "--accessorial",
        action="append",
        type=_option(parse_accessorial),
        metavar="CODE=AMOUNT",
        help="an accessorial charge (X12 element 150 code) billed with the freight; "
        "repeatable; default LFT=75.00",
    )
    parser.add_argument(
        "--duplicate-invoices", action="store_true", help="send each 210 twice (same number)"
    )
    parser.add_argument(
        "--over",
        type=_option(check_over),
        metavar="PERCENT",
        help="bill the freight this many percent above the 204's estimate",
    )
    parser.add_argument(
        "--default-freight",
        type=_option(lambda text: check_amount(text, "the default freight")),
        metavar="AMOUNT",
        help="freight billed for a 204 without an estimated cost (default 850.00)",
    )


def _option(check):
    """An argparse ``type`` calling ``check(text)``, its ValueError an argparse error."""

    def parse(text):
        try:
            return check(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


def build_3pl_parser():
    """Return the argument parser of the ``3pl`` command."""
    parser = _partner_parser(
        "3pl",
        "Play a 3PL warehouse on two folders: answer 940 orders and 943 transfers with 997s, "
        "ship them with 945s and receive them with 944s by scenario, report its stock in 846s.",
        8078,
    )
    parser.add_argument(
        "--warehouse", default=DEFAULT_WAREHOUSE, help="the warehouse code, its ISA id (ZZ)"
    )
    _add_shipping_options(parser, 0.0, "/_sandbox/edi/advance")
    return parser


def _add_shipping_options(parser, ship_after, advance_route):
    """The options of both 3PLs: the scenario, the stock, when orders ship."""
    parser.add_argument(
        "--scenario", choices=THREE_PL_SCENARIOS, default="ship", help="how orders are shipped"
    )
    parser.add_argument(
        "--stock", help="JSON file: product code -> quantity, [quantity, lot] or a list of them"
    )
    parser.add_argument(
        "--ship-after",
        type=float,
        default=ship_after,
        help="seconds from an order to its shipment",
    )
    parser.add_argument("--manual", action="store_true", help=f"ship only on POST {advance_route}")


def build_json_3pl_parser():
    """Return the argument parser of the ``json-3pl`` command."""
    parser = argparse.ArgumentParser(
        prog="python -m logistics_adapters.sandbox json-3pl",
        description="Play a ShipBob-like 3PL with a JSON API under /3pl: take canonical "
        "WarehouseOrders (POST /3pl/orders), ship them by scenario as signed ShipBob "
        "webhooks, answer polls (GET /3pl/orders/REF/shipments) and inventory levels.",
    )
    parser.add_argument("--port", type=int, default=8079, help="port (0: any free port)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback)")
    parser.add_argument("--webhook-url", help="URL the shipment webhooks are POSTed to")
    parser.add_argument("--secret", help="secret they are signed with (shipbob-hmac)")
    parser.add_argument("--warehouse", default=DEFAULT_WAREHOUSE, help="the 3PL's location")
    _add_shipping_options(parser, 2.0, "/_sandbox/json-3pl/advance")
    parser.add_argument(
        "--tracking-after", type=float, default=1.0, help="seconds to the tracking update"
    )
    parser.add_argument(
        "--drop", type=_drop_option, default=0, help="drop the next N webhooks, or a fraction (0.2)"
    )
    parser.add_argument("--duplicate", action="store_true", help="send each webhook twice")
    parser.add_argument(
        "--out-of-order", action="store_true", help="send the tracking update first"
    )
    parser.add_argument("--verbose", action="store_true", help="log every request on stderr")
    return parser


def edi_main(argv):
    """Run the EDI partner and its control API until SIGINT or SIGTERM; return the status."""
    args = build_edi_parser().parse_args(argv)
    return _serve(args, _edi_partner, "logistics EDI sandbox control on")


def carrier_main(argv):
    """Run the carrier and its control API until SIGINT or SIGTERM; return the status."""
    parser = build_carrier_parser()
    args = parser.parse_args(argv)
    if args.accessorial and args.billing not in (None, "accessorial"):
        parser.error(f"--accessorial is billed by --billing accessorial, not {args.billing}")
    return _serve(args, _carrier, f"logistics carrier sandbox {args.scac} control on")


def three_pl_main(argv):
    """Run the 3PL and its control API until SIGINT or SIGTERM; return the status."""
    args = build_3pl_parser().parse_args(argv)
    return _serve(args, _three_pl, f"logistics 3PL sandbox {args.warehouse} control on")


def json_3pl_main(argv):
    """Run the JSON 3PL until SIGINT or SIGTERM; return the exit status."""
    args = build_json_3pl_parser().parse_args(argv)
    if not is_loopback(args.host):
        return _fail(f"refusing to listen on {args.host!r}: not a loopback address")
    if args.verbose:
        logging.basicConfig(level=logging.DEBUG, format="%(asctime)s %(message)s")
    try:
        partner = Json3pl(
            warehouse=args.warehouse,
            scenario=args.scenario,
            stock=_read_json(args.stock, "stock") if args.stock else None,
            ship_after=None if args.manual else args.ship_after,
            tracking_after=args.tracking_after,
            drop=args.drop,
            duplicate=args.duplicate,
            out_of_order=args.out_of_order,
            webhook_url=args.webhook_url,
            secret=args.secret,
        )
    except ValueError as exc:
        return _fail(str(exc))
    return _serve_partner(args, partner, "logistics JSON 3PL sandbox listening on", partner.attach)


def _drop_option(text):
    """``--drop``: a count of webhooks (``2``) or a fraction of them (``0.2``)."""
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a count nor a fraction: {text!r}") from None


def _serve(args, make_partner, banner):
    """Make the partner of ``args``, poll and serve its control API until a signal."""
    if not is_loopback(args.host):
        return _fail(f"refusing to listen on {args.host!r}: not a loopback address")
    if args.poll <= 0:
        return _fail("--poll must be a positive number of seconds")
    try:
        partner = make_partner(args)
        partner.inbox.open()
        partner.outbox.open()
    except (ValueError, AdapterError) as exc:
        return _fail(str(exc))
    return _serve_partner(
        args, partner, banner, lambda _sandbox: partner.start(args.poll), path="/_sandbox/edi"
    )


def _serve_partner(args, partner, banner, started, path=""):
    """Serve ``partner`` on the host and port of ``args``, call ``started(sandbox)``, print
    ``banner`` and the URL (with ``path``), and wait for a signal; then stop both."""
    sandbox = Sandbox(args.port, args.host, route_sets=[partner])
    try:
        sandbox.start()
    except OSError as exc:
        return _fail(f"cannot listen on {args.host}:{args.port}: {exc}")
    started(sandbox)
    try:
        print(f"{banner} {sandbox.url}{path}", flush=True)
        _wait_for_signal()
    finally:
        partner.stop()
        sandbox.stop()
    return 0


def _party_id(args, option):
    """The ``(qualifier, id)`` of option ``--partner-id`` / ``--our-id``."""
    qualifier, colon, value = getattr(args, option).partition(":")
    if not colon or not qualifier or not value:
        raise ValueError(f"--{option.replace('_', '-')} must be qualifier:id, like ZZ:ODOO")
    return (qualifier, value)


def _partner(partner_class, args, **values):
    """A ``partner_class`` on the folders of ``args``, writing to Odoo's id in its version."""
    our_id = _party_id(args, "our_id")
    return partner_class(args.inbox, args.outbox, our_id=our_id, version=args.version, **values)


def _edi_partner(args):
    partner = _partner(EdiPartner, args, partner_id=_party_id(args, "partner_id"))
    partner.set_mode(args.mode)
    return partner


def _carrier(args):
    billing = {"billing": args.billing, "over": args.over}
    if args.accessorial:
        billing["accessorials"] = dict(args.accessorial)
    if args.default_freight is not None:
        billing["default_freight"] = args.default_freight
    return _partner(
        CarrierPartner,
        args,
        scac=args.scac,
        scenario=args.scenario,
        decline_reason=args.decline_reason,
        timeline=parse_timeline(args.timeline),
        duplicate_invoices=args.duplicate_invoices,
        **billing,
    )


def _three_pl(args):
    stock = _read_json(args.stock, "stock") if args.stock else None
    after = None if args.manual else args.ship_after
    partner = _partner(
        ThreePlPartner, args, warehouse=args.warehouse, stock=stock, ship_after=after
    )
    partner.set_scenario(args.scenario)
    return partner


def _read_json(path, what):
    """The JSON document in file ``path``; ValueError says why it cannot be read (``what``
    it is, its path, the reason)."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise ValueError(f"cannot read {what} {path}: {exc}") from None


def _wait_for_signal():
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_args: stop.set())
    while not stop.wait(0.5):
        pass


def _fail(message):
    print(f"error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
