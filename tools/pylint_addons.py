"""Run pylint with pylint-odoo (``.pylintrc``) on the suite's addons.

    python tools/pylint_addons.py [FILE...]

With no argument: every addon of the repository, that is every folder at the root
that holds a ``__manifest__.py`` (the same ones ``./run-tests`` installs). With
files (as pre-commit passes them): the addons those files belong to. Files outside
any addon are ignored. The exit status is pylint's.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def addons_of(paths):
    """The addon folders, relative to the root, that ``paths`` fall into."""
    addons = set()
    for path in paths:
        try:
            parts = Path(path).resolve().relative_to(ROOT).parts
        except ValueError:
            continue
        if len(parts) > 1 and (ROOT / parts[0] / "__manifest__.py").is_file():
            addons.add(parts[0])
    return sorted(addons)


def main(argv):
    """Lint the addons named by ``argv`` (all of them when empty)."""
    if argv:
        addons = addons_of(argv)
    else:
        addons = sorted(p.parent.name for p in ROOT.glob("*/__manifest__.py"))
    if not addons:
        print("pylint-odoo: no addon to check")
        return 0
    command = [sys.executable, "-m", "pylint", f"--rcfile={ROOT / '.pylintrc'}", *addons]
    print("pylint-odoo on: " + " ".join(addons), flush=True)
    return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
