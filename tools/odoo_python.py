"""Which python runs the suite: the first one found that imports Odoo 19.0.

    python3 tools/odoo_python.py            # print that python's path
    python3 tools/odoo_python.py --explain  # and, on stderr, how it was chosen

The exit status is 0 when the python printed imports Odoo 19.0, ``NO_ODOO`` (3) when
it does not (tier 2 cannot run with it).

The order, the same for ``./run-tests``, ``.ci/run`` and ``tools/pylint_addons.py``:

1. ``$ODOO_PYTHON`` when set, taken as given: asking for a python makes tier 2 required,
   so one that cannot import Odoo 19.0 fails the run instead of being passed over;
2. a virtualenv named ``odoo-venv`` beside the checkout (``../odoo-venv/bin/python``),
   where a developer usually keeps Odoo's python, when it imports Odoo 19.0;
3. ``python3`` on PATH, whether it imports Odoo or not (tier 2 is then skipped loudly).

The standard library only: this runs before anything is installed.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ODOO_SERIES = "19.0"
CHECKOUT = Path(__file__).resolve().parent.parent
VENV_NAME = "odoo-venv"
NO_ODOO = 3


@dataclasses.dataclass(frozen=True)
class Found:
    """The python chosen, where it came from and whether it imports Odoo 19.0."""

    python: str
    origin: str
    has_odoo: bool
    why: str
    explicit: bool = False
    passed_over: tuple[str, ...] = ()

    def explain(self) -> str:
        """One line per candidate looked at, for people reading a CI log."""
        lines = [f"passed over {text}" for text in self.passed_over]
        lines.append(f"using {self.python} ({self.origin}): {self.why}")
        return "\n".join(lines)


def probe(py: str, code: str) -> tuple[bool, str]:
    """Run ``code`` with ``py`` outside the repository, so the work tree is not on
    ``sys.path`` and only what is installed counts."""
    try:
        done = subprocess.run(
            [py, "-c", code],
            cwd=tempfile.gettempdir(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, str(exc)
    output = (done.stdout + done.stderr).strip()
    return done.returncode == 0, output


def odoo_version(py: str) -> tuple[bool, str]:
    """Whether ``py`` imports Odoo 19.0, and what it found instead if not."""
    ok, output = probe(
        py,
        "import odoo.release as r; print('.'.join(map(str, r.version_info[:2])))",
    )
    if not ok:
        return False, "cannot import odoo"
    version = output.splitlines()[-1].strip() if output else "?"
    if version != ODOO_SERIES:
        return False, f"imports Odoo {version}, not {ODOO_SERIES}"
    return True, f"imports Odoo {ODOO_SERIES}"


def odoo_source(py: str) -> str | None:
    """The folder holding the ``odoo`` package that ``py`` imports, if any."""
    ok, output = probe(py, "import os, odoo; print(os.path.dirname(list(odoo.__path__)[0]))")
    return output.splitlines()[-1].strip() if ok and output else None


def venv_python(checkout: Path = CHECKOUT) -> Path:
    """Where the python of a virtualenv named ``odoo-venv`` beside the checkout is."""
    return checkout.parent / VENV_NAME / "bin" / "python"


def find(environ=None, checkout: Path = CHECKOUT, check=odoo_version, which=shutil.which) -> Found:
    """The python to run the suite with, in the order of this module's docstring."""
    environ = os.environ if environ is None else environ
    chosen = environ.get("ODOO_PYTHON", "").strip()
    if chosen:
        has_odoo, why = check(chosen)
        return Found(chosen, "ODOO_PYTHON", has_odoo, why, explicit=True)
    passed_over = []
    venv = venv_python(checkout)
    if os.access(venv, os.X_OK):
        has_odoo, why = check(str(venv))
        if has_odoo:
            return Found(str(venv), f"../{VENV_NAME}", True, why)
        passed_over.append(f"{venv} (../{VENV_NAME}): {why}")
    python3 = which("python3") or "python3"
    has_odoo, why = check(python3)
    return Found(python3, "python3 on PATH", has_odoo, why, passed_over=tuple(passed_over))


def main(argv: list[str]) -> int:
    """Print the python found; with ``--explain``, how on stderr."""
    found = find()
    if "--explain" in argv:
        print(found.explain(), file=sys.stderr)
    print(found.python)
    return 0 if found.has_odoo else NO_ODOO


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
