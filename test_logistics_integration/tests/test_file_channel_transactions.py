import os
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from unittest.mock import patch

import paramiko

from odoo.tests import BaseCase, tagged
from odoo.tools import mute_logger

from odoo.addons.logistics_integration.tests.common import CommittedTransactionMixin

from logistics_adapters.errors import TransientError
from logistics_adapters.tests.sftp_server import SftpTestServer
from logistics_adapters.transport.files import LocalFolder

CHANNEL_LOGGER = "odoo.addons.logistics_integration.models.logistics_file_channel"


@tagged("post_install", "-at_install")
class TestFileChannelTransactions(CommittedTransactionMixin, BaseCase):
    """Taking partner files on real, committed transactions (no test cursor): a file moves
    to the archive only once its message is committed, and a rollback leaves it in place."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._use_committed_transactions()
        cls.tmp = Path(tempfile.mkdtemp(prefix="lgi-files-tx-"))
        cls.addClassCleanup(shutil.rmtree, cls.tmp, ignore_errors=True)
        tag = uuid.uuid4().hex[:8]
        cls.backend_id = cls._create_committed(
            "logistics.backend", {"name": "Files (transactions)", "code": f"files-tx-{tag}"}
        )
        cls.type_id = cls._create_committed(
            "logistics.message.type",
            {
                "name": "files in (transactions)",
                "code": f"test.files.tx.{tag}",
                "direction": "inbound",
                "handler_model": "logistics.handler.fake",
                "realtime": False,
            },
        )
        cls.addClassCleanup(cls._cleanup)

    @classmethod
    def _cleanup(cls):
        with cls.registry.cursor() as cr:
            env = cls._env(cr)
            domain = [("backend_id", "=", cls.backend_id)]
            env["logistics.message"].search(domain).unlink()
            env["logistics.file.channel"].with_context(active_test=False).search(domain).unlink()
            env["logistics.message.type"].browse(cls.type_id).unlink()
            env["logistics.backend"].browse(cls.backend_id).unlink()

    def _inbox(self, name, data, folder=None, **vals):
        """A partner folder holding one ready file, and its committed inbound channel."""
        folder = folder or self.tmp / uuid.uuid4().hex[:8]
        folder.mkdir(parents=True)
        path = folder / name
        path.write_bytes(data)
        past = time.time() - 3600
        os.utime(path, (past, past))
        channel_id = self._create_committed(
            "logistics.file.channel",
            {
                "name": f"3PL drop {folder.name}",
                "backend_id": self.backend_id,
                "message_type_id": self.type_id,
                "transport": "local",
                "path": str(folder),
                **vals,
            },
        )
        return folder, channel_id

    def _committed_messages(self, name):
        """``(payload, received count)`` of the committed messages of file ``name``."""
        with self.registry.cursor() as cr:
            messages = self._env(cr)["logistics.message"].search(
                [("backend_id", "=", self.backend_id), ("partner_ref", "=", name)]
            )
            return [(message.get_payload(), message.received_count) for message in messages]

    def _names(self, folder):
        return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []

    def test_take_files_now_rolled_back_leaves_the_file_for_the_next_poll(self):
        folder, channel_id = self._inbox("945_0001.edi", b"W06*J*SO1~")
        with self.registry.cursor() as cr:
            env = self._env(cr)
            env["logistics.file.channel"].browse(channel_id).action_poll_now()
            stored = env["logistics.message"].search([("partner_ref", "=", "945_0001.edi")])
            self.assertEqual(stored.backend_id.id, self.backend_id, "stored in this transaction")
            self.assertEqual(self._names(folder), ["945_0001.edi"], "not moved before the commit")
            cr.rollback()  # the request fails after the button did its work
        self.assertEqual(self._names(folder), ["945_0001.edi"], "still there after the rollback")
        self.assertEqual(self._committed_messages("945_0001.edi"), [])

        with self.registry.cursor() as cr:  # commits on leaving
            self._env(cr)["logistics.file.channel"].browse(channel_id).action_poll_now()
            self.assertEqual(self._names(folder), ["945_0001.edi"], "not moved before the commit")
        self.assertEqual(self._names(folder), ["archive"])
        self.assertEqual(self._names(folder / "archive"), ["945_0001.edi"])
        self.assertEqual(self._committed_messages("945_0001.edi"), [(b"W06*J*SO1~", 1)])

    @mute_logger(CHANNEL_LOGGER)
    def test_take_files_now_that_cannot_move_a_committed_file_leaves_it_for_the_next_poll(self):
        folder, channel_id = self._inbox("945_0002.edi", b"W06*J*SO2~")
        refused = TransientError("cannot move: Input/output error; will retry")
        moves = patch.object(LocalFolder, "archive", side_effect=refused)
        # The commit runs the move, which fails: the commit itself does not.
        with moves, self.registry.cursor() as cr:
            self._env(cr)["logistics.file.channel"].browse(channel_id).action_poll_now()
        self.assertEqual(self._names(folder), ["945_0002.edi"])
        self.assertEqual(self._committed_messages("945_0002.edi"), [(b"W06*J*SO2~", 1)])

        with self.registry.cursor() as cr:
            channel = self._env(cr)["logistics.file.channel"].browse(channel_id)
            channel.action_poll_now()
            self.assertFalse(channel.last_error)
        self.assertEqual(self._names(folder / "archive"), ["945_0002.edi"])
        self.assertEqual(
            self._committed_messages("945_0002.edi"),
            [(b"W06*J*SO2~", 2)],
            "one message, received twice, applied once",
        )

    @mute_logger(CHANNEL_LOGGER)
    def test_the_scheduled_action_commits_each_message_before_moving_its_file(self):
        folder, channel_id = self._inbox("945_0003.edi", b"W06*J*SO3~")
        refused = TransientError("cannot move: Input/output error; will retry")
        with self.registry.cursor() as cr:
            env = self._env(cr)
            channel = env["logistics.file.channel"].browse(channel_id)
            with patch.object(LocalFolder, "archive", side_effect=refused):
                # Outside a cron run, _commit_progress just commits.
                channel._poll(commit=env["ir.cron"]._commit_progress)
            self.assertIn("Input/output error", channel.last_error)
            cr.rollback()  # the worker dies before the end of its run
        self.assertEqual(self._names(folder), ["945_0003.edi"])
        self.assertEqual(self._committed_messages("945_0003.edi"), [(b"W06*J*SO3~", 1)])

        with self.registry.cursor() as cr:
            env = self._env(cr)
            env["logistics.file.channel"].browse(channel_id)._poll(
                commit=env["ir.cron"]._commit_progress
            )
        self.assertEqual(self._names(folder / "archive"), ["945_0003.edi"])
        self.assertEqual(self._committed_messages("945_0003.edi"), [(b"W06*J*SO3~", 2)])

    @mute_logger("paramiko.transport")
    def test_take_files_now_over_sftp_moves_the_file_once_committed(self):
        root = self.tmp / uuid.uuid4().hex[:8]
        host_key = paramiko.ECDSAKey.generate()
        with SftpTestServer(str(root), host_key, {"edi": "s3cret-pw"}) as server:
            inbox, channel_id = self._inbox(
                "214_0001.edi",
                b"ST*214*0001~",
                folder=root / "in",
                transport="sftp",
                host="127.0.0.1",
                port=server.port,
                username="edi",
                password="s3cret-pw",
                host_key=f"{host_key.get_name()} {host_key.get_base64()}",
                path="in",
            )
            with self.registry.cursor() as cr:
                channel = self._env(cr)["logistics.file.channel"].browse(channel_id)
                channel.action_poll_now()
                self.assertFalse(channel.last_error)
                self.assertEqual(self._names(inbox), ["214_0001.edi"], "not moved before commit")
            # The connection of the poll was closed: the move after the commit opened another.
            self.assertEqual(self._names(inbox), ["archive"])
            self.assertEqual(self._names(inbox / "archive"), ["214_0001.edi"])
        self.assertEqual(self._committed_messages("214_0001.edi"), [(b"ST*214*0001~", 1)])
