from . import models
from . import report
from . import wizards

from odoo.addons.logistics_integration.hooks import remove_messages_of


def uninstall_hook(env):
    """The freight invoices go first (their vendor bills keep a link to them), then the
    messages of this addon's flows. What the books refer to stays: the suite's products
    and partners (charge products, demo carriers) used by journal items lose their XML ids
    instead of being deleted under the accounting that uses them."""
    env.cr.execute("UPDATE account_move SET logistics_freight_invoice_id = NULL")
    env.cr.execute("DELETE FROM logistics_freight_invoice")
    env.cr.execute(
        """
        DELETE FROM ir_model_data data
         WHERE data.module LIKE 'logistics\\_%%'
           AND (   (data.model = 'res.partner' AND data.res_id IN (
                        SELECT partner_id FROM account_move WHERE partner_id IS NOT NULL
                        UNION
                        SELECT partner_id FROM account_move_line WHERE partner_id IS NOT NULL))
                OR (data.model = 'product.product' AND data.res_id IN (
                        SELECT product_id FROM account_move_line WHERE product_id IS NOT NULL))
                OR (data.model = 'product.template' AND data.res_id IN (
                        SELECT product.product_tmpl_id FROM product_product product
                          JOIN account_move_line line ON line.product_id = product.id)))
        """
    )
    remove_messages_of(env, "logistics_freight_billing")
