"""Helpers for the Odoo tests of the suite's addons."""

import os
import shutil
from unittest.mock import patch
from urllib.parse import urlsplit

from odoo import api
from odoo.modules.registry import Registry
from odoo.orm.environments import Transaction
from odoo.tests import new_test_user
from odoo.tests.common import _super_send, get_db_name

from logistics_adapters.transport.secrets import generate_key


class LoopbackHttpMixin:
    """Lets a test case's outbound HTTP reach the local partner sandbox on 127.0.0.1.

    Odoo's test guard compares the timeout with a number, which the suite's
    ``(connect, read)`` pair breaks; the sandbox is on loopback, so the request is sent as
    it is. Anything else still meets Odoo's guard.
    """

    @classmethod
    def _request_handler(cls, session, request, /, **kwargs):
        if urlsplit(request.url).hostname == "127.0.0.1":
            return _super_send(session, request, **kwargs)
        return super()._request_handler(session, request, **kwargs)


class CommittedTransactionMixin:
    """For test cases on real, committed transactions (``registry.cursor()`` outside the
    test's own): an environment on such a cursor, as a server thread has one."""

    registry = None  # the test case's Registry(get_db_name())

    @classmethod
    def _use_committed_transactions(cls, secret_key=None):
        """Work on the test database's registry, with real commits, secrets encrypted under
        ``secret_key`` (a new key by default)."""
        key = secret_key or generate_key()
        cls.startClassPatcher(patch.dict(os.environ, {"LOGISTICS_SECRET_KEY": key}))
        cls.registry = Registry(get_db_name())

    @classmethod
    def _remove_committed_backend(cls, backend_id, flow_id, user_id):
        """Delete a backend made for a test, with its messages, its flow, its technical
        user and the cron triggers that user left."""
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            env["ir.cron.trigger"].search([("create_uid", "=", user_id)]).unlink()
            env["logistics.message"].search([("backend_id", "=", backend_id)]).unlink()
            env["logistics.backend"].browse(backend_id).unlink()
            env["logistics.message.type"].browse(flow_id).unlink()
            user = env["res.users"].browse(user_id)
            partner = user.partner_id
            user.unlink()
            partner.unlink()

    @classmethod
    def _create_committed(cls, model, vals):
        """Create a ``model`` record from ``vals`` in a transaction of its own; its id."""
        with cls.registry.cursor() as cr:
            return cls._env(cr)[model].create(vals).id

    @classmethod
    def _env(cls, cr, context=None):
        # Threads must not look the registry up by name: the loading thread holds the
        # registry lock while tests run.
        if cr.transaction is None:
            cr.transaction = Transaction(cls.registry)
        return api.Environment(cr, api.SUPERUSER_ID, {"tracking_disable": True, **(context or {})})


class TourMixin:
    """For an ``HttpCase`` whose tests walk through screens in headless Chromium: skipped
    where Chromium is not installed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not shutil.which("chromium") and not shutil.which("google-chrome"):
            cls.skipTest(cls, "Chromium is not installed: the tours need it")

    def tour(self, name, login, groups):
        """Run tour ``name`` as a new user ``login`` of ``groups`` (XML ids, comma-separated)
        on what the test wrote, then read what it did."""
        new_test_user(self.env, login=login, groups=groups)
        self.env.flush_all()
        self.start_tour("/odoo", name, login=login)
        self.env.invalidate_all()
