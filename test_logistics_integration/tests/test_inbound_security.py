from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import InboundHttpCase

SECRET = "partner-secret"
SECURITY_LOGGER = "odoo.addons.logistics_integration.models.logistics_security_event"


@tagged("post_install", "-at_install")
class TestInboundSecurity(InboundHttpCase):
    """The route runs as the backend's technical user and takes only the backend's flows."""

    backend_name, code = "Secure partner", "secure-partner"
    flow_name, flow_code = "own", "test.sec.own"
    secret = SECRET

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.extra = cls._make_inbound_flow("extra", "test.sec.extra")
        cls.foreign = cls._make_inbound_flow("foreign", "test.sec.foreign")
        cls.backend.inbound_flow_ids = [Command.set(cls.extra.ids)]
        cls.other_company = cls.env["res.company"].create({"name": "Other Freight Co"})
        cls.other_backend = cls._make_inbound_backend(
            "Other company partner",
            "other-company-partner",
            cls.foreign,
            "other-secret",
            company_id=cls.other_company.id,
        )
        cls.other_message = cls.env["logistics.message"].store_inbound(
            cls.other_backend, cls.foreign, b'{"ref": "theirs"}'
        )[0]

    def test_a_flow_the_backend_does_not_list_is_refused_and_recorded(self):
        self.assertEqual(self.post({"ref": "a"}, flow="test.sec.extra").status_code, 202)
        with mute_logger(SECURITY_LOGGER):
            response = self.post({"ref": "b"}, flow="test.sec.foreign")
        self.assertEqual(response.status_code, 404)
        self.assertIn("test.sec.foreign", response.json()["error"])
        self.assertEqual(self.messages().mapped("type_id"), self.extra, "nothing else stored")
        event = self.env["logistics.security.event"].search([("backend_id", "=", self.backend.id)])
        self.assertEqual(len(event), 1)
        self.assertIn("not one this backend may post to", event.reason)

    def test_the_route_runs_as_the_technical_user_not_as_superuser(self):
        Inbound = self.registry["logistics.inbound"]
        seen = []
        original = Inbound._accept_as_partner

        def spy(inbound, backend, *args, **kwargs):
            seen.append((inbound.env.uid, inbound.env.su, backend.env.uid, backend.env.su))
            return original(inbound, backend, *args, **kwargs)

        with patch.object(Inbound, "_accept_as_partner", spy):
            self.assertEqual(self.post({"ref": "c"}).status_code, 202)
        user = self.backend.technical_user_id
        self.assertEqual(seen, [(user.id, False, user.id, False)])
        self.assertEqual(self.messages().create_uid, user)

    def test_the_technical_user_can_do_nothing_else(self):
        user = self.backend.technical_user_id
        as_partner = self.env(user=user)
        own = as_partner["logistics.backend"].browse(self.backend.id)
        self.assertEqual(own.code, "secure-partner", "it reads its own backend")
        for backend in (own, as_partner["logistics.backend"].browse(self.other_backend.id)):
            with self.assertRaises(AccessError):
                backend.read(["webhook_secret"])
        self.assertFalse(
            as_partner["logistics.message"].search([("id", "=", self.other_message.id)]),
            "another company's messages are out of sight",
        )
        with self.assertRaises(AccessError):
            as_partner["logistics.message"].browse(self.other_message.id).read(["name"])
        with self.assertRaises(AccessError):
            own.write({"inbound_rate_limit": 1})
        with self.assertRaises(AccessError):
            as_partner["logistics.security.event"].search([])
        with self.assertRaises(AccessError):
            as_partner["res.users"].browse(self.env.user.id).write({"name": "pwned"})
