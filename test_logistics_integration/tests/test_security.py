from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import LogisticsCase


@tagged("post_install", "-at_install")
class TestSecurity(LogisticsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.backend.sudo().write({"secret": "s3cr3t-api-key", "webhook_secret": "whsec"})
        cls.user = cls._make_user("lgi_user", "logistics_integration.group_logistics_user")
        cls.manager = cls._make_user("lgi_manager", "logistics_integration.group_logistics_manager")
        cls.company_b = cls.env["res.company"].create({"name": "Freight Co B"})
        cls.backend_b = cls._make_backend("backend-b", company_id=cls.company_b.id)
        cls.user_b = cls._make_user(
            "lgi_user_b", "logistics_integration.group_logistics_user", company=cls.company_b
        )

    def test_user_cannot_read_credentials(self):
        backend = self.backend.with_user(self.user)
        self.assertEqual(backend.name, self.backend.name)
        for field in ("secret", "webhook_secret", "username", "auth_mode"):
            with self.assertRaises(AccessError):
                backend.read([field])
        self.assertNotIn("secret", backend.fields_get())

    def test_manager_sees_credentials_masked_the_server_in_clear(self):
        shown = self.backend.with_user(self.manager).secret
        self.assertNotIn("s3cr3t", shown)
        self.assertTrue(shown.endswith("-key"), "the last characters tell which key it is")
        self.assertEqual(self.backend._get_secret("secret"), "s3cr3t-api-key")

    def test_user_cannot_configure(self):
        with self.assertRaises(AccessError):
            self.backend.with_user(self.user).write({"endpoint_url": "https://evil.example"})
        with self.assertRaises(AccessError):
            self.env["logistics.backend"].with_user(self.user).create({"name": "X", "code": "x"})
        with self.assertRaises(AccessError):
            self.inbound_type.with_user(self.user).write({"max_attempts": 99})
        with self.assertRaises(AccessError):
            self.env["logistics.status.map"].with_user(self.user).create(
                {"provider": "generic", "partner_code": "X", "status": "delivered"}
            )
        self.backend.with_user(self.manager).write({"endpoint_url": "https://api.example"})

    def test_user_sees_messages_and_retries(self):
        message = self.receive(outcome="business")
        self.process()
        as_user = message.with_user(self.user)
        self.assertTrue(as_user.payload_text)
        as_user.action_retry()
        self.assertEqual(message.state, "pending")
        with self.assertRaises(AccessError):
            as_user.unlink()

    def test_companies_do_not_see_each_other(self):
        mine = self.receive(ref="A")
        theirs = self.receive(backend=self.backend_b, ref="B")
        Message = self.Message.with_user(self.user)
        self.assertIn(mine, Message.search([]))
        self.assertNotIn(theirs, Message.search([]))
        with self.assertRaises(AccessError):
            theirs.with_user(self.user).read(["name"])
        with self.assertRaises(AccessError):
            self.backend_b.with_user(self.user).read(["name"])
        self.assertIn(theirs, self.Message.with_user(self.user_b).search([]))
        self.assertNotIn(mine, self.Message.with_user(self.user_b).search([]))
