"""Command line: ``python -m logistics_adapters formats | parse FORMAT FILE | render ... |
ack FILE``.

Exit status: 0 on success, 1 when the input is refused (a ParseError, printed as
``error: <what and where>``), 2 on a usage problem (unknown format, unreadable file).
"""

import argparse
import importlib
import json
import sys

from . import registry
from .canonical import to_jsonable
from .errors import AdapterError, ParseError, UnknownFormatError
from .formats import edi

EXIT_OK = 0
EXIT_BAD_INPUT = 1
EXIT_USAGE = 2

CANONICAL_FORMAT = "canonical-json"


class UsageError(Exception):
    """A problem with the command line itself (exit status 2)."""


def build_parser():
    """Return the argument parser of the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m logistics_adapters",
        description="Read and write partner logistics formats through the canonical model.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("formats", help="list the registered formats")
    parse = commands.add_parser("parse", help="parse FILE in FORMAT, print canonical JSON")
    parse.add_argument("format", metavar="FORMAT", help="format name (see 'formats')")
    parse.add_argument("file", metavar="FILE", help="file to read, '-' for standard input")
    render = commands.add_parser("render", help="write canonical JSON FILE in FORMAT")
    render.add_argument("format", metavar="FORMAT", help="format name (see 'formats')")
    render.add_argument("file", metavar="FILE", help="canonical JSON file, '-' for stdin")
    ack = commands.add_parser("ack", help="print the acknowledgement an X12 or EDIFACT FILE gets")
    ack.add_argument("file", metavar="FILE", help="EDI file to acknowledge, '-' for stdin")
    ack.add_argument(
        "--lenient", action="store_true", help="accept envelope discrepancies with errors noted"
    )
    return parser


def main(argv=None):
    """Run the command line with ``argv`` (default ``sys.argv[1:]``); return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except UsageError as exc:
        return _fail(exc, EXIT_USAGE)
    except AdapterError as exc:
        return _fail(exc, EXIT_BAD_INPUT)


def _fail(exc, status):
    print(f"error: {exc}", file=sys.stderr)
    return status


def _cmd_formats(_args):
    for name in registry.available():
        print(f"{name}\t{registry.get(name).description}")
    return EXIT_OK


def _cmd_parse(args):
    codec = _codec(args.format)
    objects = codec.parse(_read(args.file))
    _write_text(json.dumps(_jsonable(objects), indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


def _jsonable(objects):
    """Canonical objects in their JSON form; a codec's plain dicts (an envelope description)
    are JSON already and pass as they are."""
    return [obj if isinstance(obj, dict) else to_jsonable(obj) for obj in objects]


def _cmd_ack(args):
    data = _read(args.file)
    standard = edi.detect_standard(data)
    if standard == edi.X12:
        from .formats import x12

        numbers = x12.sequential_numbers()
        answers = x12.acknowledge(data, control_numbers=numbers, strict=not args.lenient)
    elif standard == edi.EDIFACT:
        answers = _edifact_acknowledge()(data)
    else:
        raise ParseError("not an EDI file: expected ISA (X12) or UNA/UNB (EDIFACT)")
    sys.stdout.buffer.write(_ack_bytes(answers))
    sys.stdout.flush()
    return EXIT_OK


def _edifact_acknowledge():
    try:
        module = importlib.import_module("logistics_adapters.formats.edifact")
    except ImportError:
        module = None
    acknowledge = getattr(module, "acknowledge", None)
    if not callable(acknowledge):
        raise UsageError("EDIFACT acknowledgements are not available in this installation")
    return acknowledge


def _ack_bytes(answers):
    if isinstance(answers, (list, tuple)):
        return b"".join(_ack_bytes(answer) for answer in answers)
    return answers.encode("utf-8") if isinstance(answers, str) else bytes(answers)


def _cmd_render(args):
    codec = _codec(args.format)
    objects = registry.get(CANONICAL_FORMAT).parse(_read(args.file))
    try:
        data = codec.render(objects)
    except NotImplementedError:
        raise UsageError(f"format {args.format!r} cannot be rendered") from None
    except (TypeError, ValueError) as exc:
        raise ParseError(str(exc), format=args.format) from None
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return EXIT_OK


def _codec(name):
    try:
        return registry.get(name)
    except UnknownFormatError as exc:
        raise UsageError(str(exc)) from None


def _read(path):
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise UsageError(f"cannot read {path!r}: {exc.strerror or exc}") from None


def _write_text(text):
    sys.stdout.buffer.write(text.encode("utf-8", "backslashreplace"))
    sys.stdout.flush()


_COMMANDS = {
    "formats": _cmd_formats,
    "parse": _cmd_parse,
    "render": _cmd_render,
    "ack": _cmd_ack,
}


def main_entry():
    """Console-script entry point: run :func:`main` and exit with its status."""
    sys.exit(main())
