import contextlib
import functools
import logging
import mimetypes
import re

from odoo import api, fields, models
from odoo.exceptions import UserError

from logistics_adapters.errors import AdapterError
from logistics_adapters.transport.files import (
    FileVanishedError,
    LocalFolder,
    SftpFolder,
    UnreadableFileError,
    file_key,
)

from .logistics_backend import MANAGER_GROUP

_logger = logging.getLogger(__name__)

CONTENT_TYPES = {".edi": "application/edi-x12", ".x12": "application/edi-x12"}
#: Largest file a channel takes by default, in MB: a file is read whole into memory.
DEFAULT_MAX_FILE_SIZE_MB = 50


class LogisticsFileChannel(models.Model):
    """A partner folder, local or over SFTP: EDI and flat files in and out.

    Inbound files enter the same inbox as webhooks (idempotent on file name and
    checksum) and move to the archive folder once their message is committed; only
    files that cannot be stored (too large, unreadable) go to the error folder.
    Outbound messages of a file flow are written atomically.
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
    max_file_size_mb = fields.Integer(
        string="Largest file (MB)",
        default=DEFAULT_MAX_FILE_SIZE_MB,
        help="Larger files are not taken: they go to the error folder.",
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

    _max_file_size_range = models.Constraint(
        "CHECK (max_file_size_mb BETWEEN 1 AND 256)",
        "The largest file of a file channel is between 1 and 256 MB.",
    )

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
        """Store each ready file as a message of the channel's flow; return the messages.

        A file moves to the archive folder only once its message is committed: with
        ``commit`` (the scheduled action) right after committing it, otherwise (*Take files
        now*) once the caller's transaction commits. After a rollback or a crash the file
        is still in the folder; the next poll takes it again and its idempotency key keeps
        it one message. Only a file that cannot be stored (too large, unreadable) goes to
        the error folder; any other failure leaves it for the next poll. ``last_error``
        says what went wrong and what to do.
        """
        self.ensure_one()
        messages = self.env["logistics.message"]
        problems, to_archive = [], []
        folder = self._open_folder()
        try:
            with folder:
                for entry in folder.list_ready(min_age=self.min_age):
                    message, problem = self._take(folder, entry)
                    if problem:
                        problems.append(problem)
                    messages |= message
                    if message and commit:
                        commit(1)
                        _archive(folder, entry.name)
                    elif message:
                        to_archive.append(entry.name)
                self.last_seen = folder.last_seen
        except AdapterError as exc:
            _logger.warning("File channel %s: %s", self.display_name, exc)
            problems.append(str(exc))
        if to_archive:
            self.env.cr.postcommit.add(
                functools.partial(_archive_committed, folder, to_archive, self.display_name)
            )
        self.write(
            {"last_error": "\n".join(problems) or False, "last_poll_at": fields.Datetime.now()}
        )
        return messages

    def _take(self, folder, entry):
        """Store the ready file ``entry`` as a message; return ``(message, problem)``.

        ``message`` is empty when the file was not stored, and ``problem`` then tells a
        person why and what to do. A file too large or unreadable is moved to the error
        folder; a failure to store it (a database error, a bug) leaves it where it is.
        Failures of the folder itself (connection, permissions) are raised.
        """
        no_message = self.env["logistics.message"]
        if too_large := self._too_large(entry.name, entry.size):
            return no_message, self._reject(folder, entry.name, too_large)
        try:
            data = folder.read(entry.name)
        except FileVanishedError:
            return no_message, None
        except UnreadableFileError as exc:
            return no_message, self._reject(folder, entry.name, str(exc))
        if too_large := self._too_large(entry.name, len(data)):  # it grew since it was listed
            return no_message, self._reject(folder, entry.name, too_large)
        try:
            with self.env.cr.savepoint():
                message, _created = no_message.store_inbound(
                    self.backend_id,
                    self.message_type_id,
                    data,
                    idempotency_key=file_key(entry.name, data),
                    partner_ref=entry.name,
                    content_type=guess_content_type(entry.name),
                )
        except Exception as exc:  # whatever it is, the file stays for the next poll
            _logger.warning(
                "File %s of channel %s not stored, left in the folder: %s",
                entry.name,
                self.display_name,
                exc,
            )
            return no_message, self.env._(
                "%(name)s could not be stored (%(error)s). It stays in the folder and the "
                "next poll takes it again; if this repeats, check the channel's flow and the "
                "server log.",
                name=entry.name,
                error=str(exc).strip() or type(exc).__name__,
            )
        return message, None

    def _reject(self, folder, name, reason):
        """Move file ``name``, which cannot be stored, to the error folder; what to tell."""
        _logger.warning("File %s of channel %s refused: %s", name, self.display_name, reason)
        with contextlib.suppress(FileVanishedError):
            folder.reject(name)
        return self.env._(
            "%(reason)s It was moved to the error folder (%(folder)s); once it is fixed, move "
            "it back into the channel's folder to take it.",
            reason=reason,
            folder=self.error_folder or "error",
        )

    def _too_large(self, name, size):
        """What to tell when a file of ``size`` bytes is over the channel's limit, else None."""
        limit = self.max_file_size_mb or DEFAULT_MAX_FILE_SIZE_MB
        if size <= limit * 1024 * 1024:
            return None
        return self.env._(
            "%(name)s (%(size)s bytes) is larger than the channel's limit of %(limit)s MB: "
            "raise Largest file on the channel if the partner really sends files this big.",
            name=name,
            size=size,
            limit=limit,
        )

    @api.constrains("direction", "message_type_id")
    def _check_message_type(self):
        for channel in self.filtered(lambda channel: channel.direction == "inbound"):
            if not channel.message_type_id:
                raise UserError(
                    self.env._("Inbound file channel %(name)s needs a flow.", name=channel.name)
                )
            if channel.message_type_id.direction != "inbound":
                raise UserError(
                    self.env._(
                        "Inbound file channel %(name)s needs a flow of messages from the "
                        "partner; %(flow)s carries messages to the partner.",
                        name=channel.name,
                        flow=channel.message_type_id.display_name,
                    )
                )

    def action_poll_now(self):
        """Take the ready files now instead of waiting for the scheduled action.

        The files move to the archive folder once this transaction commits; if it rolls
        back they stay in the folder for the next poll.
        """
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


def _archive(folder, name):
    """Move ``name`` to the archive folder, unless another poller already did."""
    with contextlib.suppress(FileVanishedError):
        folder.archive(name)


def _archive_committed(folder, names, channel_name):
    """After the commit of *Take files now*: move the files whose messages are now saved.

    The transaction is committed, so nothing may be raised; a file that cannot be moved
    now stays in the folder, and the next poll finds its message and archives it.
    """
    try:
        with folder:
            for name in names:
                _archive(folder, name)
    except Exception as exc:
        _logger.warning(
            "File channel %s: stored files left in the folder, archived at the next poll: %s",
            channel_name,
            exc,
        )


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
