"""``python -m logistics_adapters.sandbox``: run the sandbox until SIGINT or SIGTERM.

Exit statuses: 0 after a clean stop, 2 for a usage problem (a non-loopback host without
``--allow-remote``, a port in use, an unreadable or invalid scenario).
"""

import argparse
import json
import logging
import signal
import sys
import threading

from .core import HttpError
from .personalities import available_personalities, get_personality
from .server import Sandbox, is_loopback


def build_parser():
    """Return the argument parser."""
    parser = argparse.ArgumentParser(
        prog="python -m logistics_adapters.sandbox",
        description="Play a partner system on this machine (shipments, faults, webhooks).",
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
    """Run the sandbox; return the exit status."""
    args = build_parser().parse_args(argv)
    if not args.allow_remote and not is_loopback(args.host):
        return _fail(f"refusing to listen on {args.host!r}: not a loopback address")
    scenario = None
    if args.scenario:
        try:
            with open(args.scenario, encoding="utf-8") as handle:
                scenario = json.load(handle)
        except (OSError, ValueError) as exc:
            return _fail(f"cannot read scenario {args.scenario}: {exc}")
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
