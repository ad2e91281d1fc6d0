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

    def _logistics_label_file(self):
        """The label file bought by this request: attached to one of its kept answers."""
        self.ensure_one()
        answers = self.sudo().child_ids.filtered(lambda child: child.flow == FLOW_ANSWER)
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", "logistics.message"), ("res_id", "in", answers.ids)],
                order="id desc",
                limit=1,
            )
        )

    def _logistics_outcome(self):
        """This message's state, latest kept answer and bought label, as a CallOutcome.

        The answer is the one carrying the label when a label was bought, else the last.
        """
        self.ensure_one()
        message = self.sudo()
        label = message._logistics_label_file()
        answers = message.child_ids.filtered(lambda child: child.flow == FLOW_ANSWER)
        answer = answers.browse(label.res_id) if label else answers.sorted("id")[-1:]
        return CallOutcome(
            message_id=message.id,
            name=message.name,
            state=message.state,
            error_text=message.error_text or "",
            answer=answer._get_payload() if answer else None,
            label=label.raw if label else None,
            label_mimetype=label.mimetype or "" if label else "",
        )
