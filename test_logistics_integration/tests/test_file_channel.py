import os
import tempfile
import time
from pathlib import Path

import paramiko

from odoo.tests import tagged
from odoo.tools import mute_logger

from logistics_adapters.tests.sftp_server import SftpTestServer

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
        messages = self._channel(folder)._poll()
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
        first = channel._poll()
        self._drop(folder, "940.edi", b"same bytes")
        # A file that reappears under a known name is looked at twice before it is taken.
        second = channel._poll() or channel._poll()
        self.assertEqual(second, first)
        self.assertEqual(first.received_count, 2)
        self.assertEqual(len(list((folder / "archive").iterdir())), 2, "never overwritten")

    @mute_logger(CHANNEL_LOGGER)
    def test_a_file_that_cannot_be_stored_goes_to_the_error_folder(self):
        folder = self._folder("wrongflow")
        self._drop(folder, "210.edi", b"ST*210~")
        channel = self._channel(folder)
        channel.message_type_id = self.outbound_type  # a flow that cannot carry it
        self.assertFalse(channel._poll())
        self.assertEqual([path.name for path in (folder / "error").iterdir()], ["210.edi"])
        self.assertFalse((folder / "210.edi").exists())

    @mute_logger(CHANNEL_LOGGER)
    def test_a_missing_folder_is_reported_on_the_channel(self):
        channel = self._channel(self.tmp / "does-not-exist")
        self.assertFalse(channel._poll())
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
            messages = channel._poll()
            self.assertEqual(messages.get_payload(), b"ST*214*0001~")
            self.assertFalse(channel.last_error)
            self.assertTrue((inbox / "archive" / "214_0001.edi").exists())
            self._drop(inbox, "214_0002.edi", b"ST*214*0002~")
            channel.host_key = f"{host_key.get_name()} {paramiko.ECDSAKey.generate().get_base64()}"
            self.assertFalse(channel._poll())
            self.assertIn("host key", channel.last_error.lower())
            self.assertNotIn("s3cret-pw", channel.last_error)
        self.env.cr.execute(
            "SELECT password_encrypted FROM logistics_file_channel WHERE id = %s", [channel.id]
        )
        self.assertTrue(self.env.cr.fetchone()[0].startswith("fernet:"))
