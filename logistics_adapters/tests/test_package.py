"""The package stands alone: no Odoo, importable on its own."""

import ast
import pathlib
import subprocess
import sys

import logistics_adapters

PACKAGE_DIR = pathlib.Path(logistics_adapters.__file__).parent


def _imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_no_module_imports_odoo():
    sources = sorted(PACKAGE_DIR.rglob("*.py"))
    assert len(sources) > 5
    offenders = [
        f"{path.relative_to(PACKAGE_DIR)}: {name}"
        for path in sources
        for name in _imported_modules(path)
        if name == "odoo" or name.startswith("odoo.")
    ]
    assert offenders == []


def test_package_imports_without_odoo_in_a_fresh_interpreter():
    code = (
        "import sys; sys.modules['odoo'] = None\n"
        "import logistics_adapters.canonical, logistics_adapters.cli\n"
        "from logistics_adapters import registry\n"
        "print(','.join(registry.available()))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "canonical-json" in result.stdout.strip().split(",")


def test_version_follows_odoo_series():
    assert logistics_adapters.__version__.startswith("19.0.")
