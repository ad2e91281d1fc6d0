from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from odoo.addons.logistics_integration.engine import DEVELOPMENT_SECRET_KEY

from logistics_adapters.transport.secrets import SecretBox, generate_key


@tagged("post_install", "-at_install")
class TestSecretKey(TransactionCase):
    """Demo data installs without a key; a database without demo data needs one."""

    def _backend(self):
        return self.env["logistics.backend"].create(
            {"name": "Keyless", "code": "keyless", "webhook_secret": "demo-secret"}
        )

    def _set_demo(self, demo):
        self.env.cr.execute("UPDATE ir_module_module SET demo = %s WHERE name = 'base'", [demo])

    def test_a_demo_database_without_a_key_uses_the_development_key(self):
        self._set_demo(True)
        with patch.dict("os.environ", {"LOGISTICS_SECRET_KEY": ""}):
            backend = self._backend()
            self.assertEqual(backend._get_secret("webhook_secret"), "demo-secret")
        stored = backend.sudo().webhook_secret_encrypted
        self.assertEqual(SecretBox(DEVELOPMENT_SECRET_KEY).decrypt(stored), "demo-secret")

    def test_a_database_without_demo_data_never_uses_it(self):
        self._set_demo(False)
        with (
            patch.dict("os.environ", {"LOGISTICS_SECRET_KEY": ""}),
            self.assertRaisesRegex(UserError, "logistics_secret_key"),
        ):
            self._backend()

    def test_a_configured_key_wins_over_the_development_key(self):
        self._set_demo(True)
        own = generate_key()
        with patch.dict("os.environ", {"LOGISTICS_SECRET_KEY": own}):
            backend = self._backend()
        stored = backend.sudo().webhook_secret_encrypted
        self.assertEqual(SecretBox(own).decrypt(stored), "demo-secret")
