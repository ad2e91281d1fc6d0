"""Partner folders: the file transport of file-based partners (EDI over SFTP or a folder).

The Odoo polling cron opens one folder per backend, takes the files that are ready, stores each
one in the inbox under :func:`file_key`, then moves it aside::

    with SftpFolder(host, port, user, password=..., host_key=..., path="/out") as folder:
        for entry in folder.list_ready(min_age=60):
            data = folder.read(entry.name)
            store(folder.file_key(entry.name, data), data)  # commit before moving the file
            folder.archive(entry.name)  # or folder.reject(entry.name)

Two implementations share one interface, :class:`PartnerFolder`: :class:`LocalFolder` (a
watched folder on the Odoo server, or a mount) and :class:`SftpFolder` (paramiko, imported only
when an SFTP folder is used).

Failures are raised as the package's error classes, so ``errors.error_kind`` files them:

* :class:`~logistics_adapters.errors.TransientError`: the server cannot be reached, a timeout,
  the connection dropped, an I/O error that may pass (disk full, a network mount going away).
* :class:`~logistics_adapters.errors.BusinessError`: a missing folder, permission denied, a
  password or key the server refuses, a bad setting; the message names the path or the setting
  and says what to fix. :class:`FileVanishedError` (a ``BusinessError``) means a file listed a
  moment ago is gone, usually taken by another poller: skip it. :class:`UnreadableFileError`
  (a ``BusinessError``) means that one listed file refuses to be read (its permissions): it
  cannot be taken as it is, so move it to the error folder.
* :class:`~logistics_adapters.errors.SecurityError`: the SFTP server's host key is unknown or
  is not the one configured.

No message ever contains a password, a passphrase or a key.
"""

from .base import (
    DEFAULT_MIN_AGE,
    TEMPORARY_SUFFIXES,
    FileEntry,
    FileVanishedError,
    PartnerFolder,
    UnreadableFileError,
    file_key,
    is_temporary_name,
)
from .local import LocalFolder
from .sftp import SftpFolder

__all__ = [
    "DEFAULT_MIN_AGE",
    "TEMPORARY_SUFFIXES",
    "FileEntry",
    "FileVanishedError",
    "LocalFolder",
    "PartnerFolder",
    "SftpFolder",
    "UnreadableFileError",
    "file_key",
    "is_temporary_name",
]
