from odoo import models

from .logistics_handler_easypost_shipping import FLOW_ANSWER


class LogisticsMessage(models.Model):
    _inherit = "logistics.message"

    def _logistics_label_answer(self):
        """The kept answer that carries this label request's bought label, if any."""
        self.ensure_one()
        answers = self.sudo().child_ids.filtered(lambda child: child.flow == FLOW_ANSWER)
        if not answers:
            return answers
        labelled = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", "logistics.message"), ("res_id", "in", answers.ids)],
                order="id desc",
                limit=1,
            )
        )
        return answers.browse(labelled.res_id) if labelled else answers.browse()
