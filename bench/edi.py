"""The ``edi`` scenario's adapter half: a partner's X12 214 interchange of N sets, and the
figures of reading, splitting and acknowledging it with ``formats.interchange`` alone.

``python bench/edi.py adapter FILE`` measures the interchange in FILE in a process of its
own (so that its peak RSS is its own) and prints its figures as JSON on one line.
"""

import gc
import itertools
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path

from logistics_adapters.formats import interchange as edi_io

#: The partner's and our identifiers (qualifier, id) in the bench's interchanges.
PARTNER = ("ZZ", "BENCHPARTNER")
US = ("ZZ", "BENCHODOO")
DELIMITERS = {"element": "*", "component": ">", "repetition": "^", "segment": "~"}
#: Timed runs of the adapter measurement; the median is reported.
RUNS = 3


def write_settings(sender, receiver, first_control=1):
    """How one side writes: X12 004010, test usage, numbers from ``first_control`` on."""
    numbers = itertools.count(first_control)
    return edi_io.WriteSettings(
        standard="x12",
        sender=sender,
        receiver=receiver,
        sender_application=sender[1],
        receiver_application=receiver[1],
        version="004010",
        delimiters=DELIMITERS,
        newline=True,
        usage="T",
        ack_requested=False,
        next_control_number=lambda _level: next(numbers),
    )


def ack_settings():
    """How we acknowledge the partner: policy auto (a 997 for 004010), lenient."""
    return edi_io.AckSettings(
        policy="auto", ta1_on_errors=False, strict=False, write=write_settings(US, PARTNER)
    )


def status_set(index):
    """The body of one 214: a shipment, one status with its date, place and equipment."""
    return [
        ["B10", f"PRO{index:09d}", f"SHIP{index:09d}", "BNCH"],
        ["LX", "1"],
        ["AT7", "X1", "NS", "", "", "20261201", "1200", "LT"],
        ["MS1", "CHICAGO", "IL", "US"],
        ["MS2", "BNCH", f"TRL{index % 997:04d}"],
    ]


def interchange(count, first_control=1):
    """A partner's interchange of ``count`` 214 sets (bytes), control numbers from
    ``first_control`` on (the interchange, its group, then its sets)."""
    settings = write_settings(PARTNER, US, first_control)
    documents = (status_set(index) for index in range(count))
    return edi_io.render(settings, "214", documents).payload


def split(data):
    """Read ``data`` as a stream and wrap each set alone, as the Odoo handler does; return
    the number of sets and the bytes written."""
    sets = size = 0
    for reading in edi_io.read(data):
        for unit in reading.units():
            size += len(reading.unit_payload(unit))
            reading.unit_key(unit)
            sets += 1
    return sets, size


def acknowledge(data):
    return edi_io.acknowledge(data, ack_settings())


def max_rss_kb():
    """The peak RSS of this process (kB): ``VmHWM``, which starts again at exec (Linux keeps
    the parent's peak in ``ru_maxrss`` of a child started with fork and exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(data):
    """Figures of splitting and acknowledging ``data`` in this process."""
    gc.collect()
    rss_before = max_rss_kb()
    timings = []
    for _run in range(RUNS):
        started = time.perf_counter()
        sets, _size = split(data)
        middle = time.perf_counter()
        acks = acknowledge(data)
        timings.append((time.perf_counter() - started, middle - started))
        del acks
    rss_after = max_rss_kb()
    total, split_seconds = sorted(timings)[len(timings) // 2]
    acks = acknowledge(data)
    ack_text = acks[0].payload.decode() if acks else ""
    ak9 = next((line for line in ack_text.split("~") if line.strip().startswith("AK9")), "")
    # Python's own count of the bytes held at the peak, each step alone (slower: untimed).
    del acks
    gc.collect()
    tracemalloc.start()
    split(data)
    split_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.reset_peak()
    acknowledge(data)
    ack_peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {
        "sets": sets,
        "bytes": len(data),
        "seconds": total,
        "split_seconds": split_seconds,
        "sets_per_s": sets / total,
        "rss_delta_kb": rss_after - rss_before,
        "split_peak_kb": split_peak / 1024,
        "ack_peak_kb": ack_peak / 1024,
        "ack_kind": acks_kind(ack_text),
        "ak9": ak9.strip(),
        "ack_bytes": len(ack_text),
    }


def acks_kind(text):
    for line in text.split("~"):
        if line.strip().startswith("ST*"):
            return line.strip().split("*")[1]
    return ""


def main(argv):
    if len(argv) != 3 or argv[1] != "adapter":
        sys.exit("usage: python bench/edi.py adapter FILE")
    print(json.dumps(measure(Path(argv[2]).read_bytes())), flush=True)


if __name__ == "__main__":
    main(sys.argv)
