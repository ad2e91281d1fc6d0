"""A partner folder on the Odoo server's own file system (or a mount)."""

import contextlib
import errno
import os
import stat

from ...errors import BusinessError, TransientError
from .base import FileEntry, FileVanishedError, PartnerFolder, UnreadableFileError

_COPY_CHUNK = 64 * 1024


class LocalFolder(PartnerFolder):
    """A folder on the Odoo server's file system (a local disk or a mount).

    Moves use a hard link then an unlink, so they never overwrite; where the file system has
    no hard links they check then rename. The archive and error folders must be on the same
    file system as the folder.
    """

    def __init__(self, path, *, archive="archive", error="error", pattern="*", last_seen=None):
        super().__init__(
            os.fspath(path), archive=archive, error=error, pattern=pattern, last_seen=last_seen
        )

    def __str__(self):
        return self.path

    def __repr__(self):
        return f"LocalFolder({self.path!r})"

    def open(self):
        """Check that the folder exists and is a folder."""
        try:
            is_dir = stat.S_ISDIR(os.stat(self.path).st_mode)
        except OSError as exc:
            raise self._error(exc, self.path, "open the folder") from exc
        if not is_dir:
            raise BusinessError(f"{self.path}: not a folder; set the backend's path to a folder")

    def read(self, name):
        """Return the content of file ``name`` as bytes."""
        self._check_name(name)
        path = self._join(self.path, name)
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as exc:
            raise self._error(exc, path, "read", is_file=True) from exc

    def write_atomic(self, name, data):
        """Write ``data`` as ``name``: temporary file, flush, fsync, rename, fsync the folder.

        The rename replaces a file of the same name atomically (``os.replace``): a reader sees
        the old content or the new one, never a mix.
        """
        self._check_name(name)
        final = self._join(self.path, name)
        temporary = self._join(self.path, self._temporary_name(name))
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        try:
            descriptor = os.open(temporary, flags, 0o666)
        except OSError as exc:
            raise self._error(exc, self.path, "write") from exc
        try:
            with os.fdopen(descriptor, "wb") as handle:
                _write_chunks(handle, data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, final)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            if isinstance(exc, OSError):
                raise self._error(exc, final, "write") from exc
            raise
        _fsync_folder(self.path)
        return final

    def _scan(self):
        entries = []
        try:
            with os.scandir(self.path) as iterator:
                for item in iterator:
                    with contextlib.suppress(FileNotFoundError):  # gone while listing
                        if item.is_file():
                            info = item.stat()
                            entries.append(FileEntry(item.name, info.st_size, info.st_mtime))
        except OSError as exc:
            raise self._error(exc, self.path, "list the folder") from exc
        return entries

    def _join(self, folder, name):
        return os.path.join(folder, name)

    def _ensure_folder(self, folder):
        path = self._join(self.path, folder)
        try:
            os.makedirs(path, exist_ok=True)
        except OSError as exc:
            raise self._error(exc, path, "create the folder") from exc
        return path

    def _move_no_replace(self, name, target_path):
        source = self._join(self.path, name)
        try:
            os.link(source, target_path)
        except FileExistsError:
            return False
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINK_ERRNOS:
                raise self._error(exc, source, "move", is_file=True) from exc
            return self._check_then_rename(source, target_path)
        try:
            os.unlink(source)
        except FileNotFoundError:
            pass  # another poller moved it at the same moment; our copy is in place
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.unlink(target_path)
            raise self._error(exc, source, "move", is_file=True) from exc
        return True

    def _check_then_rename(self, source, target_path):
        if os.path.lexists(target_path):
            return False
        try:
            os.rename(source, target_path)
        except OSError as exc:
            raise self._error(exc, source, "move", is_file=True) from exc
        return True

    def _error(self, exc, path, action, is_file=False):
        """Return the package error for an ``OSError`` met while doing ``action`` on ``path``."""
        code = exc.errno
        if code in (errno.ENOENT, errno.ENOTDIR):
            if is_file and os.path.isdir(self.path):
                return FileVanishedError(f"{path}: no such file any more (taken by another run?)")
            return BusinessError(
                f"{self.path}: no such folder; create it or fix the backend's folder path"
            )
        if code in (errno.EACCES, errno.EPERM):
            if is_file and action == "read":
                return UnreadableFileError(
                    f"{path}: permission denied (read): the Odoo server's user may not read "
                    "this file; give it read access, or ask the partner to send the file again"
                )
            return BusinessError(
                f"{path}: permission denied ({action}); give the Odoo server's user read and "
                "write access to the folder and its archive and error subfolders"
            )
        if code == errno.EROFS:
            return BusinessError(f"{path}: read-only file system ({action}); mount it writable")
        if code == errno.EXDEV:
            return BusinessError(
                f"{path}: the archive or error folder is on another file system; "
                "keep it on the same one as the folder"
            )
        reason = exc.strerror or type(exc).__name__
        return TransientError(f"{path}: cannot {action}: {reason}; will retry")


_NO_HARD_LINK_ERRNOS = {
    code
    for code in (
        getattr(errno, name, None) for name in ("EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS")
    )
    if code is not None
}


def _write_chunks(handle, data):
    """Write ``data`` to ``handle`` in chunks (a failure may leave part of it written)."""
    view = memoryview(data)
    for start in range(0, len(view), _COPY_CHUNK):
        handle.write(view[start : start + _COPY_CHUNK])


def _fsync_folder(path):
    """Make a rename in ``path`` durable where the platform allows it (POSIX)."""
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
