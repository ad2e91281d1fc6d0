"""Helpers for the Odoo tests of the suite's addons."""

import os
import shutil
import tempfile
from pathlib import Path
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


class SftpPartnerMixin:
    """A real SFTP server on loopback, in a folder of its own, for a test's partner:
    ``_start_sftp(folders)`` starts it (the folders made), ``_sftp_folder(path)`` is a
    partner's view of one of them, ``_sftp_channels(backend, outbound, inbound)`` wires a
    backend to send to one and take interchanges from the other."""

    SFTP_USER, SFTP_PASSWORD = "partner", "s3cret-sftp"

    def _start_sftp(self, folders):
        import paramiko

        from logistics_adapters.tests.sftp_server import SftpTestServer

        root = Path(tempfile.mkdtemp(prefix="lgi-sftp-"))
        self.addCleanup(shutil.rmtree, root, ignore_errors=True)
        for folder in folders:
            (root / folder).mkdir(parents=True)
        host_key = paramiko.ECDSAKey.generate()
        self.host_key = f"{host_key.get_name()} {host_key.get_base64()}"
        server = SftpTestServer(str(root), host_key, {self.SFTP_USER: self.SFTP_PASSWORD})
        server.__enter__()
        self.addCleanup(server.__exit__, None, None, None)
        self.sftp_port = server.port

    def _sftp_folder(self, path):
        from logistics_adapters.transport.files import SftpFolder

        folder = SftpFolder(
            "127.0.0.1",
            self.sftp_port,
            self.SFTP_USER,
            password=self.SFTP_PASSWORD,
            host_key=self.host_key,
            path=path,
        )
        self.addCleanup(folder.close)
        return folder

    def _sftp_channels(self, backend, outbound, inbound, label):
        """Replace ``backend``'s file channels with the SFTP ones; the inbound channel."""
        sftp = {
            "backend_id": backend.id,
            "transport": "sftp",
            "host": "127.0.0.1",
            "port": self.sftp_port,
            "username": self.SFTP_USER,
            "password": self.SFTP_PASSWORD,
            "host_key": self.host_key,
        }
        Channel = self.env["logistics.file.channel"]
        Channel.search([("backend_id", "=", backend.id)]).unlink()
        Channel.create(sftp | {"name": f"{label} out", "direction": "outbound", "path": outbound})
        flow = self.env.ref("logistics_integration.logistics_message_type_edi_interchange")
        return Channel.create(
            sftp
            | {"name": f"{label} in", "path": inbound, "message_type_id": flow.id, "min_age": 0}
        )

    def _take_files(self, channel):
        """Take the partner's files from ``channel`` and work them with what they hold;
        the interchanges' messages."""
        messages = channel._poll(commit=lambda _count: None)
        for message in messages:
            message.work_now()
            message.child_ids.filtered(lambda child: child.state == "pending").work_now()
        return messages
