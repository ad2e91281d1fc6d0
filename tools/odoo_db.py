"""Database chores of the test runner, run by the Python that imports Odoo 19.0.

    PY tools/odoo_db.py uninstall DB MODULE[,MODULE...] -- ODOO_OPTIONS...
    PY tools/odoo_db.py drop DB -- ODOO_OPTIONS...

``uninstall`` removes the given modules from DB the way a person does it in the
Apps menu (``button_immediate_uninstall``) and then checks that nothing of them is
left: every module ``uninstalled``, no ``ir.model.data`` row of theirs, no ``ir.model``
they alone defined, none of their tables (their models', their many2many relations',
any named ``logistics_*`` or after one of the modules) and none of the columns they
added to other tables. ``drop`` drops DB and its filestore
and checks that the database is gone. Both exit non-zero when something is wrong.

ODOO_OPTIONS are the server options of the test run (addons path, database host,
port and user), so that the chore sees the same configuration as the tests.
"""

import sys


def _odoo_setup(db, odoo_args):
    from odoo.tools import config

    config.parse_config([*odoo_args, "-d", db, "--no-http"], setup_logging=True)
    return config


def _owned_by(modules, ir_model_name, env):
    """The records of ``ir_model_name`` that only ``modules`` define."""
    rows = env["ir.model.data"].search([("module", "in", modules), ("model", "=", ir_model_name)])
    for record in env[ir_model_name].browse(rows.mapped("res_id")).exists():
        owners = {name.strip() for name in (record.modules or "").split(",")}
        if owners and owners <= set(modules):
            yield record


def _suite_schema(env, modules):
    """What only ``modules`` put in the database schema: their models (with their
    table when they have one), the columns they add to other models' tables and
    their many2many relation tables."""
    models, columns, tables = {}, set(), set()
    for ir_model in _owned_by(modules, "ir.model", env):
        model = env.registry.get(ir_model.model)
        models[ir_model.model] = model._table if model is not None and model._auto else None
    for ir_field in _owned_by(modules, "ir.model.fields", env):
        model = env.registry.get(ir_field.model)
        if model is None or not model._auto:
            continue
        field = model._fields.get(ir_field.name)
        if field is None:
            continue
        if field.type == "many2many" and field.store:
            tables.add(field.relation)
        elif field.store and field.column_type and ir_field.model not in models:
            columns.add((model._table, field.name))
    tables.update(t for t in models.values() if t)
    return models, columns, tables


def _leftovers(cr, modules, models, columns, tables):
    """Everything of ``modules`` still in the database after their uninstallation."""
    problems = []
    cr.execute("SELECT name, state FROM ir_module_module WHERE name IN %s", [tuple(modules)])
    for name, state in cr.fetchall():
        if state != "uninstalled":
            problems.append(f"module {name} is {state!r}, not 'uninstalled'")
    cr.execute(
        "SELECT module, count(*) FROM ir_model_data WHERE module IN %s GROUP BY module",
        [tuple(modules)],
    )
    for module, count in cr.fetchall():
        problems.append(f"{count} ir.model.data rows of {module} remain")
    if models:
        cr.execute("SELECT model FROM ir_model WHERE model IN %s", [tuple(models)])
        for (model,) in cr.fetchall():
            problems.append(f"model {model} is still registered in ir.model")
    prefixes = sorted({"logistics", *modules})
    cr.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
        "AND (tablename = ANY(%s) OR tablename LIKE ANY(%s))",
        [sorted(tables), [p.replace("_", "\\_") + "\\_%" for p in prefixes]],
    )
    for (table,) in cr.fetchall():
        problems.append(f"table {table} still exists")
    for table, column in sorted(columns):
        cr.execute(
            "SELECT 1 FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %s AND column_name = %s",
            [table, column],
        )
        if cr.fetchone():
            problems.append(f"column {table}.{column} still exists")
    return problems


def uninstall(db, modules, odoo_args):
    """Uninstall ``modules`` from ``db`` and return the list of problems found."""
    _odoo_setup(db, odoo_args)
    from odoo import api
    from odoo.modules.registry import Registry

    with Registry(db).cursor() as cr:
        env = api.Environment(cr, api.SUPERUSER_ID, {})
        installed = env["ir.module.module"].search(
            [("name", "in", modules), ("state", "=", "installed")]
        )
        missing = sorted(set(modules) - set(installed.mapped("name")))
        if missing:
            return [f"not installed before the uninstallation: {', '.join(missing)}"]
        models, columns, tables = _suite_schema(env, modules)
        print(
            f"odoo_db: uninstalling {', '.join(modules)} ({len(models)} models, "
            f"{len(tables)} tables, {len(columns)} columns on other tables)",
            flush=True,
        )
        installed.button_immediate_uninstall()

    with Registry(db).cursor() as cr:
        return _leftovers(cr, modules, models, columns, tables)


def drop(db, odoo_args):
    """Drop ``db`` and its filestore and return the list of problems found."""
    _odoo_setup(db, odoo_args)
    import odoo.sql_db
    from odoo.service import db as service_db

    service_db.exp_drop(db)
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        if cr.fetchone():
            return [f"database {db} still exists"]
    return []


def main(argv):
    """Run one chore; exit status 0 only when it left nothing wrong."""
    if "--" in argv:
        cut = argv.index("--")
        own, odoo_args = argv[:cut], argv[cut + 1 :]
    else:
        own, odoo_args = argv, []
    if len(own) == 3 and own[0] == "uninstall":
        problems = uninstall(own[1], [m for m in own[2].split(",") if m], odoo_args)
    elif len(own) == 2 and own[0] == "drop":
        problems = drop(own[1], odoo_args)
    else:
        sys.stderr.write(__doc__)
        return 2
    for problem in problems:
        print(f"odoo_db: {own[0]} FAILED: {problem}", flush=True)
    if not problems:
        print(f"odoo_db: {own[0]} OK", flush=True)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
