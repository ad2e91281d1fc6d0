import threading
import time
import uuid
from unittest.mock import patch

from odoo.tests import BaseCase, HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.logistics_integration.tests.common import CommittedTransactionMixin

from logistics_adapters.transport.signatures import get_scheme

from .common import InboundFlowMixin

SECURITY_LOGGER = "odoo.addons.logistics_integration.models.logistics_security_event"


@tagged("post_install", "-at_install")
class TestSharedRateLimit(CommittedTransactionMixin, BaseCase):
    """The partner's limit holds across workers: the counters are in PostgreSQL."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_committed_transactions()
        cls.backend_id = cls._create_committed(
            "logistics.backend",
            {"name": "Limited", "code": f"limited-{uuid.uuid4().hex}", "inbound_rate_limit": 10},
        )
        cls.addClassCleanup(cls._cleanup)

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            env["logistics.backend"].browse(cls.backend_id).unlink()
            cr.execute(
                "DELETE FROM logistics_inbound_rate WHERE key = %s", [f"backend:{cls.backend_id}"]
            )

    def test_two_workers_share_the_partner_budget(self):
        answers = []

        def worker():  # a worker process: its own connection and transactions
            with self.registry.cursor() as cr:
                backend = self._env(cr)["logistics.backend"].browse(self.backend_id)
                answers.extend(backend._take_inbound_token() for _ in range(8))

        # Both in the same minute, whatever the clock says when the test runs.
        minute_start = (time.time() // 60) * 60 + 1.0
        with patch("logistics_gateway.ratelimit.time.time", return_value=minute_start):
            threads = [threading.Thread(target=worker) for _ in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        self.assertEqual(answers.count(0), 10, "ten requests a minute in all, not per worker")
        refused = [wait for wait in answers if wait]
        self.assertEqual(len(refused), 6)
        self.assertTrue(all(1 <= wait <= 60 for wait in refused), refused)


@tagged("post_install", "-at_install")
class TestSignatureBeforeBudget(InboundFlowMixin, HttpCase):
    """Strangers who know a backend's code cannot spend the partner's budget."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_secret_key()
        flow = cls._make_inbound_flow("budget", "test.budget")
        cls.backend = cls._make_inbound_backend(
            "Budget partner",
            f"budget-{uuid.uuid4().hex[:8]}",
            flow,
            "budget-secret",
            inbound_rate_limit=1000,
        )
        cls.env["ir.config_parameter"].set_param(
            "logistics_integration.unauthenticated_rate_limit", 3
        )
        cls.scheme = get_scheme("generic-hmac-sha256")
        cls.address = f"198.51.100.{uuid.uuid4().int % 250 + 1}"

    def post(self, secret, n):
        body = b'{"ref": "%d"}' % n
        headers = {"Content-Type": "application/json", **self.scheme.sign(body, secret)}
        return self.url_open(f"/logistics/inbound/{self.backend.code}", data=body, headers=headers)

    @mute_logger(SECURITY_LOGGER)
    def test_forged_requests_spend_their_own_budget(self):
        with patch(
            "odoo.addons.logistics_integration.models.logistics_inbound._OdooSide.take_token",
            autospec=True,
            side_effect=lambda side, authenticated: side.backend._take_inbound_token(
                authenticated, self.address
            ),
        ):
            forged = [self.post("guess", n).status_code for n in range(4)]
            accepted = self.post("budget-secret", 99)
        self.assertEqual(forged, [401, 401, 401, 429])
        self.assertEqual(accepted.status_code, 202, "the partner's signed webhook goes through")
