from odoo import fields, models


class TestLogisticsEffect(models.Model):
    _name = "test.logistics.effect"
    _description = "Effect of a fake logistics message"

    message_id = fields.Many2one("logistics.message", index=True, ondelete="cascade")
    ref = fields.Char()
    direction = fields.Char()
