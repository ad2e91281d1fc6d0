"""What every partner folder shares: the interface, file entries, keys and names."""

import fnmatch
import hashlib
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from ...errors import BusinessError

#: Seconds a file must have been left alone before it is taken.
DEFAULT_MIN_AGE = 60
#: Names ending so (any case) are uploads in progress; names starting with a dot are skipped too.
TEMPORARY_SUFFIXES = (".tmp", ".part", ".filepart")

_MAX_NAME_CLASHES = 1000


class FileVanishedError(BusinessError):
    """A file that was listed is no longer there (another poller took it): skip it."""


class UnreadableFileError(BusinessError):
    """A listed file cannot be read (its permissions refuse it): it cannot be taken as it is.

    The folder itself could be listed, so the failure is the file's own: move it to the error
    folder, where a person fixes it, rather than trying it again at every poll.
    """


@dataclass(frozen=True)
class FileEntry:
    """A file in a partner folder: its ``name``, ``size`` in bytes and ``mtime``.

    ``mtime`` is in POSIX seconds as the folder's own clock stamped it (the SFTP server's clock
    for an SFTP folder, whole seconds there).
    """

    name: str
    size: int
    mtime: float

    @property
    def modified_at(self):
        """``mtime`` as an aware UTC datetime."""
        return datetime.fromtimestamp(self.mtime, tz=timezone.utc)


def file_key(name, data):
    """Return the idempotency key of a received file: ``<name>:<sha256 hex of data>``.

    The same file polled twice (a crash between storing and archiving, two pollers) gives the
    same key, so the inbox stores it once; a new file under a reused name gives a new key.
    """
    return f"{name}:{hashlib.sha256(data).hexdigest()}"


def is_temporary_name(name):
    """Tell whether ``name`` looks like a file still being written (dot file, ``.part``...)."""
    return name.startswith(".") or name.lower().endswith(TEMPORARY_SUFFIXES)


def _timestamp(now):
    """Return ``now`` (None, POSIX seconds, or a datetime, naive meaning UTC) in POSIX seconds."""
    if now is None:
        return time.time()
    if isinstance(now, datetime):
        if now.tzinfo is None:
            now = now.replace(tzinfo=timezone.utc)
        return now.timestamp()
    return float(now)


def _stamped_name(name, now, attempt):
    """Return ``name`` with a UTC timestamp before its extension (and a counter if needed)."""
    stamp = datetime.fromtimestamp(_timestamp(now), tz=timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    if attempt:
        stamp = f"{stamp}-{attempt}"
    stem, dot, ext = name.rpartition(".")
    if not dot or not stem:
        return f"{name}.{stamp}"
    return f"{stem}.{stamp}.{ext}"


class PartnerFolder:
    """One partner folder: list the files that are ready, read them, move them aside, write.

    ``archive`` and ``error`` are the subfolders that :meth:`archive` and :meth:`reject` move
    files to, relative to the folder (or absolute); they are created when needed. ``pattern``
    is a shell pattern (or a list of them) on file names, case-sensitive. ``last_seen`` is the
    :attr:`last_seen` of a previous look, for a caller that keeps it between runs.

    A folder is a context manager: ``with folder:`` opens it (connects, checks the folder) and
    closes it. Methods called outside ``with`` open it on first use.
    """

    def __init__(self, path, *, archive="archive", error="error", pattern="*", last_seen=None):
        self.path = path
        self.archive_folder = archive
        self.error_folder = error
        self.patterns = (pattern,) if isinstance(pattern, str) else tuple(pattern)
        #: ``{name: [size, mtime]}`` of the candidates seen by the last :meth:`list_ready`;
        #: plain JSON, so a cron may store it and give it back as ``last_seen=``.
        self.last_seen = {name: list(value) for name, value in (last_seen or {}).items()}

    def __enter__(self):
        self.open()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.close()

    def open(self):
        """Check that the folder is there (and connect, for a remote folder)."""

    def close(self):
        """Release the connection, if any. Safe to call twice."""

    def list_ready(self, min_age=DEFAULT_MIN_AGE, now=None):
        """Return the files ready to be taken, oldest first, as :class:`FileEntry` objects.

        A file is ready when its name matches the pattern and is not a temporary name
        (:func:`is_temporary_name`), it was last modified ``min_age`` seconds or more before
        ``now`` (POSIX seconds or a datetime; default: the current time), and, if the previous
        call saw it, its size and mtime have not changed since. The first look at a file rests
        on ``min_age`` alone: a new folder object has no previous look unless it was given
        ``last_seen``. Folders and other non-regular files are ignored.
        """
        now_ts = _timestamp(now)
        ready = []
        seen = {}
        for entry in self._scan():
            if not self._is_candidate(entry.name):
                continue
            current = [entry.size, entry.mtime]
            previous = self.last_seen.get(entry.name)
            seen[entry.name] = current
            if previous is not None and list(previous) != current:
                continue  # still growing, or rewritten since the previous look
            if now_ts - entry.mtime >= min_age:
                ready.append(entry)
        self.last_seen = seen
        return sorted(ready, key=lambda entry: (entry.mtime, entry.name))

    def read(self, name):
        """Return the content of file ``name`` as bytes."""
        raise NotImplementedError

    def archive(self, name, now=None):
        """Move ``name`` to the archive subfolder and return its new path.

        If the archive already holds a file of that name, a UTC timestamp is added before the
        extension (``ORDERS.20250102T030405Z.edi``); an existing file is never overwritten.
        """
        return self._move_aside(name, self.archive_folder, now)

    def reject(self, name, now=None):
        """Move ``name`` to the error subfolder, as :meth:`archive` does, and return its path."""
        return self._move_aside(name, self.error_folder, now)

    def write_atomic(self, name, data):
        """Write ``data`` as file ``name`` so that nobody can see it half-written; return its path.

        The bytes go to a temporary dot name ending in ``.tmp`` in the same folder, which is
        then renamed to ``name``. If anything fails, the temporary file is removed and ``name``
        is left as it was.
        """
        raise NotImplementedError

    file_key = staticmethod(file_key)

    # Implementation hooks -------------------------------------------------------------------

    def _scan(self):
        """Return a :class:`FileEntry` for every regular file in the folder."""
        raise NotImplementedError

    def _ensure_folder(self, folder):
        """Create subfolder ``folder`` if it is missing and return its path."""
        raise NotImplementedError

    def _move_no_replace(self, name, target_path):
        """Move ``name`` to ``target_path``; return False, moving nothing, if that exists."""
        raise NotImplementedError

    # Shared helpers -------------------------------------------------------------------------

    def _is_candidate(self, name):
        if is_temporary_name(name):
            return False
        return any(fnmatch.fnmatchcase(name, pattern) for pattern in self.patterns)

    def _check_name(self, name):
        if (
            not isinstance(name, str)
            or name in ("", ".", "..")
            or any(char in name for char in "/\\\0")
        ):
            raise BusinessError(
                f"{self}: {name!r} is not a plain file name; give a name without a folder"
            )

    def _move_aside(self, name, folder, now):
        self._check_name(name)
        folder_path = self._ensure_folder(folder)
        target = name
        for attempt in range(_MAX_NAME_CLASHES):
            target_path = self._join(folder_path, target)
            if self._move_no_replace(name, target_path):
                return target_path
            target = _stamped_name(name, now, attempt)
        raise BusinessError(f"{folder_path}: too many files named like {name!r}; clean it up")

    def _temporary_name(self, name):
        return f".{name}.{uuid.uuid4().hex[:12]}.tmp"
