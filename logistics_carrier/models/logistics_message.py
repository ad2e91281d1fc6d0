from dataclasses import dataclass

from odoo import models

from .logistics_handler_easypost_shipping import FLOW_ANSWER


@dataclass(frozen=True)
class CallOutcome:
    """What a partner call left on record, as plain values.

    Carried out of the transaction that made the call: Odoo's transactions are repeatable
    read, so the caller's own transaction cannot see the rows the other one committed.
    """

    message_id: int
    name: str
    state: str
    error_text: str
    answer: bytes | None
    label: bytes | None
    label_mimetype: str


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

    def _logistics_outcome(self):
        """This message's state, latest kept answer and bought label, as a CallOutcome."""
        self.ensure_one()
        message = self.sudo()
        answers = message.child_ids.filtered(lambda child: child.flow == FLOW_ANSWER)
        labelled = message._logistics_label_answer()
        answer = labelled or answers.sorted("id")[-1:]
        label = self.env["ir.attachment"].sudo().browse()
        if labelled:
            label = label.search(
                [("res_model", "=", "logistics.message"), ("res_id", "=", labelled.id)], limit=1
            )
        return CallOutcome(
            message_id=message.id,
            name=message.name,
            state=message.state,
            error_text=message.error_text or "",
            answer=answer._get_payload() if answer else None,
            label=label.raw if label else None,
            label_mimetype=label.mimetype or "" if label else "",
        )
