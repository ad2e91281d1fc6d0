import os
import tempfile
import time
from pathlib import Path
from unittest.mock import patch

import paramiko
from psycopg2.errors import CheckViolation

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from logistics_adapters.tests.sftp_server import SftpTestServer
from logistics_adapters.transport.files import LocalFolder, UnreadableFileError

from .common import LogisticsCase

CHANNEL_LOGGER = "odoo.addons.logistics_integration.models.logistics_file_channel"


@tagged("post_install", "-at_install")
class TestFileChannels(LogisticsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = Path(tempfile.mkdtemp(prefix="lgi-files-"))
        cls.addClassCleanup(lambda: __import__("shutil").rmtree(cls.tmp, ignore_errors=True))
        cls.Channel = cls.env["logistics.file.channel"]

    def _folder(self, name):
        folder = self.tmp / name
        folder.mkdir()
        return folder

    def _drop(self, folder, name, data, age=3600):
        path = folder / name
        path.write_bytes(data)
        past = time.time() - age
        os.utime(path, (past, past))
        return path

    def _poll(self, channel):
        """Poll as the scheduled action does, the test's transaction standing in for commits."""
        return channel._poll(commit=lambda processed: None)

    def _names(self, folder):
        return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []

    def _files(self, folder):
        return sorted(path.name for path in folder.iterdir() if path.is_file())

    def _channel(self, folder, **vals):
        return self.Channel.create(
            {
                "name": "3PL drop",
                "backend_id": self.backend.id,
                "message_type_id": self.inbound_type.id,
                "transport": "local",
                "path": str(folder),
                "min_age": 60,
                **vals,
            }
        )

    def test_ready_files_become_messages_and_are_archived(self):
        folder = self._folder("in")
        self._drop(folder, "945_0001.edi", b"ISA*00*...~GS*SW~")
        self._drop(folder, "945_0002.json", b'{"ref": "SO7"}')
        self._drop(folder, "945_0003.edi.part", b"half")
        self._drop(folder, "945_0004.edi", b"too young", age=5)
        messages = self._poll(self._channel(folder))
        self.assertEqual(sorted(messages.mapped("partner_ref")), ["945_0001.edi", "945_0002.json"])
        edi = messages.filtered(lambda message: message.partner_ref == "945_0001.edi")
        self.assertEqual(edi.get_payload(), b"ISA*00*...~GS*SW~")
        self.assertEqual(edi.content_type, "application/edi-x12")
        self.assertTrue(edi.idempotency_key.startswith("945_0001.edi:"))
        remaining = sorted(path.name for path in folder.iterdir() if path.is_file())
        self.assertEqual(remaining, ["945_0003.edi.part", "945_0004.edi"])
        archived = sorted(path.name for path in (folder / "archive").iterdir())
        self.assertEqual(archived, ["945_0001.edi", "945_0002.json"])

    def test_a_file_sent_twice_is_a_duplicate(self):
        folder = self._folder("dup")
        channel = self._channel(folder)
        self._drop(folder, "940.edi", b"same bytes")
        first = self._poll(channel)
        self._drop(folder, "940.edi", b"same bytes")
        # A file that reappears under a known name is looked at twice before it is taken.
        second = self._poll(channel) or self._poll(channel)
        self.assertEqual(second, first)
        self.assertEqual(first.received_count, 2)
        self.assertEqual(len(list((folder / "archive").iterdir())), 2, "never overwritten")

    def test_the_scheduled_action_moves_a_file_only_after_committing_its_message(self):
        folder = self._folder("cron")
        self._drop(folder, "856_1.edi", b"ST*856*1~")
        channel = self._channel(folder)
        at_commit = []

        def commit(processed):
            stored = self.Message.search([("partner_ref", "=", "856_1.edi")])
            at_commit.append((processed, len(stored), self._files(folder)))

        channel._poll(commit=commit)
        self.assertEqual(at_commit, [(1, 1, ["856_1.edi"])], "stored, still in the folder")
        self.assertEqual(self._names(folder / "archive"), ["856_1.edi"])

    def test_take_files_now_leaves_the_files_in_place_until_the_commit(self):
        folder = self._folder("button")
        self._drop(folder, "856_2.edi", b"ST*856*2~")
        channel = self._channel(folder)
        channel.action_poll_now()
        self.assertEqual(len(self.Message.search([("partner_ref", "=", "856_2.edi")])), 1)
        self.assertEqual(self._files(folder), ["856_2.edi"], "moved only once committed")
        self.assertFalse(channel.last_error)
        # The commit itself, and a rollback, are tested on real transactions
        # (test_file_channel_transactions).

    @mute_logger(CHANNEL_LOGGER)
    def test_a_transient_database_error_leaves_the_file_for_the_next_poll(self):
        folder = self._folder("transient")
        self._drop(folder, "940_1.edi", b"W05*N*SO1~")
        channel = self._channel(folder)
        store_inbound = type(self.Message).store_inbound
        calls = []

        def serialization_failure_once(model, *args, **kwargs):
            calls.append(args)
            if len(calls) == 1:  # a real database error, which aborts the transaction
                model.env.cr.execute(
                    "DO $$ BEGIN RAISE EXCEPTION 'could not serialize access' "
                    "USING ERRCODE = 'serialization_failure'; END $$",
                    log_exceptions=False,
                )
            return store_inbound(model, *args, **kwargs)

        with patch.object(type(self.Message), "store_inbound", serialization_failure_once):
            self.assertFalse(self._poll(channel))
            self.assertEqual(self._files(folder), ["940_1.edi"], "left where it was")
            self.assertEqual(self._names(folder / "error"), [])
            self.assertIn("940_1.edi could not be stored", channel.last_error)
            self.assertIn("next poll takes it again", channel.last_error)
            message = self._poll(channel)
        self.assertEqual(message.get_payload(), b"W05*N*SO1~")
        self.assertEqual(message.received_count, 1)
        self.assertEqual(self._names(folder / "archive"), ["940_1.edi"])
        self.assertFalse(channel.last_error)

    @mute_logger(CHANNEL_LOGGER)
    def test_a_file_over_the_size_limit_goes_to_the_error_folder(self):
        folder = self._folder("large")
        self._drop(folder, "846_big.edi", b"x" * (1024 * 1024 + 1))
        self._drop(folder, "846_small.edi", b"x" * (1024 * 1024))
        channel = self._channel(folder, max_file_size_mb=1)
        with patch.object(LocalFolder, "read", autospec=True, side_effect=LocalFolder.read) as read:
            messages = self._poll(channel)
        self.assertEqual(messages.partner_ref, "846_small.edi")
        self.assertEqual([call.args[1] for call in read.call_args_list], ["846_small.edi"])
        self.assertEqual(self._names(folder / "error"), ["846_big.edi"])
        self.assertEqual(self._names(folder / "archive"), ["846_small.edi"])
        self.assertIn(
            "846_big.edi (1048577 bytes) is larger than the channel's limit of 1 MB",
            channel.last_error,
        )
        self.assertIn("raise Largest file", channel.last_error)
        self.assertIn("moved to the error folder (error)", channel.last_error)

    @mute_logger(CHANNEL_LOGGER)
    def test_an_unreadable_file_goes_to_the_error_folder(self):
        folder = self._folder("unreadable")
        self._drop(folder, "945_locked.edi", b"L")
        self._drop(folder, "945_open.edi", b"O")
        read = LocalFolder.read

        def refuse_one(local_folder, name):
            if name == "945_locked.edi":  # tests run as root: a chmod would not refuse it
                raise UnreadableFileError(f"{name}: permission denied (read): fix it")
            return read(local_folder, name)

        channel = self._channel(folder)
        with patch.object(LocalFolder, "read", refuse_one):
            messages = self._poll(channel)
        self.assertEqual(messages.partner_ref, "945_open.edi")
        self.assertEqual(self._names(folder / "error"), ["945_locked.edi"])
        self.assertEqual(self._names(folder / "archive"), ["945_open.edi"])
        self.assertIn("945_locked.edi: permission denied (read)", channel.last_error)
        self.assertIn("move it back into the channel's folder", channel.last_error)

    def test_an_inbound_channel_needs_an_inbound_flow_and_a_sane_size_limit(self):
        folder = self._folder("settings")
        with self.assertRaises(UserError) as caught:
            self._channel(folder, message_type_id=self.outbound_type.id)
        self.assertIn("needs a flow of messages from the partner", str(caught.exception))
        with self.assertRaises(CheckViolation), mute_logger("odoo.sql_db"):
            self._channel(folder, max_file_size_mb=0)

    @mute_logger(CHANNEL_LOGGER)
    def test_a_missing_folder_is_reported_on_the_channel(self):
        channel = self._channel(self.tmp / "does-not-exist")
        self.assertFalse(self._poll(channel))
        self.assertIn("does-not-exist", channel.last_error)

    def test_outbound_messages_are_written_atomically(self):
        folder = self._folder("out")
        self._channel(folder, direction="outbound", message_type_id=False, name="to 3PL")
        out_type = self._make_type(
            "test.file.out", "outbound", handler_model="logistics.handler.file.send"
        )
        message, _created = self.Message.enqueue_outbound(
            self.backend, out_type, b"W05*N*SO1~", "940:SO1", partner_ref="940_SO1.edi"
        )
        self.process()
        self.assertEqual(message.state, "done")
        self.assertEqual((folder / "940_SO1.edi").read_bytes(), b"W05*N*SO1~")
        self.assertEqual([path.name for path in folder.iterdir()], ["940_SO1.edi"])

    def test_outbound_without_channel_is_a_business_error(self):
        out_type = self._make_type(
            "test.file.out2", "outbound", handler_model="logistics.handler.file.send"
        )
        message, _created = self.Message.enqueue_outbound(self.backend, out_type, b"x", "940:SO2")
        self.process()
        self.assertEqual((message.state, message.error_kind), ("error", "business"))
        self.assertIn("no outbound file channel", message.error_text)

    @mute_logger(CHANNEL_LOGGER, "paramiko.transport")
    def test_sftp_channel_with_a_pinned_host_key(self):
        root = self._folder("sftp")
        inbox = root / "in"
        inbox.mkdir()
        self._drop(inbox, "214_0001.edi", b"ST*214*0001~")
        host_key = paramiko.ECDSAKey.generate()
        public = f"{host_key.get_name()} {host_key.get_base64()}"
        with SftpTestServer(str(root), host_key, {"edi": "s3cret-pw"}) as server:
            channel = self._channel(
                inbox,
                transport="sftp",
                host="127.0.0.1",
                port=server.port,
                username="edi",
                password="s3cret-pw",
                host_key=public,
                path="in",
            )
            messages = self._poll(channel)
            self.assertEqual(messages.get_payload(), b"ST*214*0001~")
            self.assertFalse(channel.last_error)
            self.assertTrue((inbox / "archive" / "214_0001.edi").exists())
            self._drop(inbox, "214_0002.edi", b"ST*214*0002~")
            channel.host_key = f"{host_key.get_name()} {paramiko.ECDSAKey.generate().get_base64()}"
            self.assertFalse(self._poll(channel))
            self.assertIn("host key", channel.last_error.lower())
            self.assertNotIn("s3cret-pw", channel.last_error)
        self.env.cr.execute(
            "SELECT password_encrypted FROM logistics_file_channel WHERE id = %s", [channel.id]
        )
        self.assertTrue(self.env.cr.fetchone()[0].startswith("fernet:"))
