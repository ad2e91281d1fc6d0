import logging
import mimetypes
import re

from odoo import api, fields, models
from odoo.exceptions import UserError

from logistics_adapters.errors import AdapterError
from logistics_adapters.transport.files import FileVanishedError, LocalFolder, SftpFolder, file_key

from .logistics_backend import MANAGER_GROUP

_logger = logging.getLogger(__name__)

CONTENT_TYPES = {".edi": "application/edi-x12", ".x12": "application/edi-x12"}


class LogisticsFileChannel(models.Model):
    """A partner folder, local or over SFTP: EDI and flat files in and out.

    Inbound files enter the same inbox as webhooks (idempotent on file name and
    checksum), then move to the archive folder, or to the error folder when they
    cannot be stored. Outbound messages of a file flow are written atomically.
    """

    _name = "logistics.file.channel"
    _description = "Logistics File Channel"
    _order = "backend_id, direction, name"

    name = fields.Char(required=True)
    active = fields.Boolean(default=True)
    backend_id = fields.Many2one("logistics.backend", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="backend_id.company_id", store=True, index=True)
    direction = fields.Selection(
        [("inbound", "Files from the partner"), ("outbound", "Files to the partner")],
        required=True,
        default="inbound",
    )
    message_type_id = fields.Many2one(
        "logistics.message.type",
        string="Flow",
        help="Flow of the messages made from incoming files.",
    )
    transport = fields.Selection(
        [("local", "Local or mounted folder"), ("sftp", "SFTP")], required=True, default="local"
    )
    path = fields.Char(required=True, help="Folder of the partner's files.")
    pattern = fields.Char(default="*", help="Only file names matching this pattern.")
    archive_folder = fields.Char(default="archive")
    error_folder = fields.Char(default="error")
    min_age = fields.Integer(
        default=60, help="Seconds a file must be left untouched before it is taken."
    )
    host = fields.Char()
    port = fields.Integer(default=22)
    username = fields.Char()
    password = fields.Char(
        compute="_compute_credentials", inverse="_inverse_password", groups=MANAGER_GROUP
    )
    private_key = fields.Text(
        compute="_compute_credentials", inverse="_inverse_private_key", groups=MANAGER_GROUP
    )
    password_encrypted = fields.Char(groups=MANAGER_GROUP, readonly=True, copy=False)
    private_key_encrypted = fields.Text(groups=MANAGER_GROUP, readonly=True, copy=False)
    host_key = fields.Text(
        help="The server's public key or fingerprint (ssh-keyscan output); unknown keys are "
        "refused."
    )
    last_seen = fields.Json(readonly=True, copy=False)
    last_poll_at = fields.Datetime(readonly=True, copy=False)
    last_error = fields.Text(readonly=True, copy=False)

    @api.depends("password_encrypted", "private_key_encrypted")
    def _compute_credentials(self):
        for channel in self:
            channel.password = mask_if(channel.password_encrypted)
            channel.private_key = mask_if(channel.private_key_encrypted)

    def _inverse_password(self):
        self._store_secret("password")

    def _inverse_private_key(self):
        self._store_secret("private_key")

    def _store_secret(self, name):
        box = self.env["logistics.backend"]._secret_box()
        for channel in self:
            value = channel[name]
            if value and value == mask_if(channel[f"{name}_encrypted"]):
                continue
            channel[f"{name}_encrypted"] = box.encrypt(value) if value else False

    def _get_secret(self, name):
        stored = self.sudo()[f"{name}_encrypted"]
        return self.env["logistics.backend"]._secret_box().decrypt(stored) if stored else None

    def _open_folder(self):
        """The partner folder of this channel, from ``logistics_adapters.transport.files``."""
        self.ensure_one()
        options = {
            "archive": self.archive_folder or "archive",
            "error": self.error_folder or "error",
            "pattern": self.pattern or "*",
            "last_seen": self.last_seen or None,
        }
        if self.transport == "local":
            return LocalFolder(self.path, **options)
        return SftpFolder(
            self.host,
            self.port or 22,
            self.username,
            password=self._get_secret("password"),
            private_key=self._get_secret("private_key"),
            host_key=self.host_key or None,
            path=self.path,
            **options,
        )

    @api.model
    def _cron_poll(self):
        """Scheduled action: take the ready files of every inbound channel."""
        commit = self.env["ir.cron"]._commit_progress
        for channel in self.search([("direction", "=", "inbound")]):
            channel._poll(commit=commit)

    def _poll(self, commit=None):
        """Store each ready file as a message, then archive it; return the messages.

        With ``commit``, each message is committed before its file moves, so a crash
        in between only makes the next poll find a duplicate.
        """
        self.ensure_one()
        messages = self.env["logistics.message"]
        try:
            with self._open_folder() as folder:
                for entry in folder.list_ready(min_age=self.min_age):
                    messages |= self._take(folder, entry.name, commit)
                self.write({"last_seen": folder.last_seen, "last_error": False})
        except AdapterError as exc:
            _logger.warning("File channel %s: %s", self.display_name, exc)
            self.write({"last_error": str(exc)})
        self.last_poll_at = fields.Datetime.now()
        return messages

    def _take(self, folder, name, commit):
        try:
            data = folder.read(name)
        except FileVanishedError:
            return self.env["logistics.message"]
        try:
            with self.env.cr.savepoint():
                message, _created = self.env["logistics.message"].store_inbound(
                    self.backend_id,
                    self.message_type_id,
                    data,
                    idempotency_key=file_key(name, data),
                    partner_ref=name,
                    content_type=guess_content_type(name),
                )
        except Exception as exc:
            _logger.warning("File %s of channel %s refused: %s", name, self.display_name, exc)
            folder.reject(name)
            return self.env["logistics.message"]
        if commit:
            commit(1)
        folder.archive(name)
        return message

    @api.constrains("direction", "message_type_id")
    def _check_message_type(self):
        for channel in self:
            if channel.direction == "inbound" and not channel.message_type_id:
                raise UserError(
                    self.env._("Inbound file channel %(name)s needs a flow.", name=channel.name)
                )

    def action_poll_now(self):
        """Take the ready files now instead of waiting for the scheduled action."""
        for channel in self:
            channel._poll()
        return True

    def _write_file(self, message):
        """Write an outbound message's payload as a file, atomically."""
        self.ensure_one()
        name = safe_file_name(message.partner_ref or message.name)
        with self._open_folder() as folder:
            folder.write_atomic(name, message.get_payload())
        return name


def mask_if(stored):
    return "••••••••" if stored else False


def guess_content_type(name):
    lower = name.lower()
    for suffix, content_type in CONTENT_TYPES.items():
        if lower.endswith(suffix):
            return content_type
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def safe_file_name(name):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._") or "message"
