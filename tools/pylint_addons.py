"""Run pylint with pylint-odoo (``.pylintrc``) on the suite's addons.

    python tools/pylint_addons.py [FILE...]

With no argument: every addon of the repository, that is every folder at the root
that holds a ``__manifest__.py`` (the same ones ``./run-tests`` installs). With
files (as pre-commit passes them): the addons those files belong to. Files outside
any addon are ignored. The exit status is pylint's.

pylint sees Odoo's own source where an Odoo 19.0 python is found (the one
``./run-tests`` uses, ``tools/odoo_python.py``), so that it knows what Odoo's methods
return: the verdict is then the same whether or not the python running pylint
imports Odoo. Where none is found, it says so and lints without.
"""

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import odoo_python

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


def pylint_environ(odoo_folder, environ=None):
    """The environment of pylint: ``environ`` with ``odoo_folder`` (the folder holding
    the ``odoo`` package, or None) first on ``PYTHONPATH``."""
    environ = dict(os.environ if environ is None else environ)
    if odoo_folder:
        paths = [odoo_folder, *filter(None, environ.get("PYTHONPATH", "").split(os.pathsep))]
        environ["PYTHONPATH"] = os.pathsep.join(paths)
    return environ


def odoo_folder(find=odoo_python.find, source=odoo_python.odoo_source):
    """The source folder of the Odoo 19.0 the suite runs with, or None."""
    found = find()
    return source(found.python) if found.has_odoo else None


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
    folder = odoo_folder()
    seen = f"with Odoo 19.0 from {folder}" if folder else "no Odoo 19.0 found: without Odoo"
    print(f"pylint-odoo on: {' '.join(addons)} ({seen})", flush=True)
    environ = pylint_environ(folder)
    return subprocess.run(command, cwd=ROOT, env=environ, check=False).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
