from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import LogisticsCase


@tagged("post_install", "-at_install")
class TestRetryPattern(LogisticsCase):
    def test_delays_follow_the_pattern_within_the_jitter(self):
        message_type = self._make_type(
            "test.jitter", "inbound", retry_pattern="30, 120, 600", retry_jitter=0.2
        )
        expected = {1: 30, 2: 120, 3: 600, 4: 600, 9: 600}
        for attempt, base in expected.items():
            delays = [message_type._get_retry_delay(attempt) for _i in range(50)]
            self.assertTrue(all(base * 0.8 <= delay <= base * 1.2 for delay in delays), delays)
            self.assertGreater(len(set(delays)), 1, "jitter spreads the retries")

    def test_retry_after_is_a_lower_bound(self):
        self.assertEqual(self.inbound_type._get_retry_delay(1, retry_after=90), 90)
        self.assertEqual(self.inbound_type._get_retry_delay(3, retry_after=90), 300)

    def test_partner_retry_after_reaches_the_message(self):
        message = self.receive(outcome="transient", retry_after=3600)
        self.process()
        delay = (message.next_attempt_at - message.started_at).total_seconds()
        self.assertGreaterEqual(delay, 3599)

    def test_invalid_pattern_is_refused_with_an_example(self):
        with self.assertRaisesRegex(ValidationError, "for example"):
            self._make_type("test.bad", "inbound", retry_pattern="soon, later")
        with self.assertRaises(ValidationError):
            self._make_type("test.empty", "inbound", retry_pattern=" , ")

    def test_new_types_take_the_default_pattern_from_settings(self):
        self.env["res.config.settings"].create(
            {"logistics_default_retry_pattern": "5, 50"}
        ).execute()
        message_type = self.env["logistics.message.type"].create(
            {
                "name": "defaults",
                "code": "test.defaults",
                "direction": "inbound",
                "handler_model": "logistics.handler.fake",
            }
        )
        self.assertEqual(message_type.retry_pattern, "5, 50")

    def test_handler_must_implement_the_contract(self):
        with self.assertRaisesRegex(ValidationError, "not an installed logistics handler"):
            self._make_type("test.nohandler", "inbound", handler_model="res.partner")
