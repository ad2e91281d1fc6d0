from . import models
from . import report
from . import wizards

from odoo.addons.logistics_integration.hooks import remove_messages_of


def uninstall_hook(env):
    """The freight invoices go first (their vendor bills keep a link to them), then the
    messages of this addon's flows."""
    env.cr.execute("UPDATE account_move SET logistics_freight_invoice_id = NULL")
    env.cr.execute("DELETE FROM logistics_freight_invoice")
    remove_messages_of(env, "logistics_freight_billing")
