import json
from datetime import timedelta
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user

from logistics_adapters.transport.secrets import generate_key


class LogisticsCase(TransactionCase):
    """A backend with an inbound and an outbound flow served by the fake handler."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.startClassPatcher(patch.dict("os.environ", {"LOGISTICS_SECRET_KEY": generate_key()}))
        cls.Message = cls.env["logistics.message"]
        cls.processor = cls.env["logistics.processor"]
        cls.backend = cls._make_backend("test-backend")
        cls.inbound_type = cls._make_type("test.inbound", "inbound")
        cls.outbound_type = cls._make_type("test.outbound", "outbound")

    @classmethod
    def _make_backend(cls, code, **vals):
        return cls.env["logistics.backend"].create(
            {"name": code.title(), "code": code, "kind": "carrier", **vals}
        )

    @classmethod
    def _make_type(cls, code, direction, **vals):
        return cls.env["logistics.message.type"].create(
            {
                "name": code,
                "code": code,
                "direction": direction,
                "handler_model": "logistics.handler.fake",
                "retry_pattern": "10, 60, 300",
                "retry_jitter": 0.0,
                "max_attempts": 3,
                **vals,
            }
        )

    def receive(self, backend=None, message_type=None, **data):
        """Store an inbound message whose payload tells the fake partner what to do."""
        payload = json.dumps(data, sort_keys=True).encode()
        return self.Message.store_inbound(
            backend or self.backend,
            message_type or self.inbound_type,
            payload,
            content_type="application/json",
        )[0]

    def enqueue(self, key, backend=None, **data):
        payload = json.dumps(data, sort_keys=True).encode()
        return self.Message.enqueue_outbound(
            backend or self.backend,
            self.outbound_type,
            payload,
            key,
            content_type="application/json",
        )[0]

    def process(self):
        return self.processor.process_batch()

    def effects(self, message):
        return self.env["test.logistics.effect"].search([("message_id", "=", message.id)])

    def make_due(self, messages):
        """Pretend the retry delay of ``messages`` has passed."""
        past = fields.Datetime.now() - timedelta(seconds=1)
        messages._service().write({"next_attempt_at": past})

    @classmethod
    def _make_user(cls, login, groups, company=None):
        company = company or cls.env.company
        return new_test_user(
            cls.env,
            login=login,
            groups=groups,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
