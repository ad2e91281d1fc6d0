"""Partner folders: the file transport of file-based partners (EDI over SFTP or a watched folder).

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
  moment ago is gone, usually taken by another poller: skip it.
* :class:`~logistics_adapters.errors.SecurityError`: the SFTP server's host key is unknown or
  is not the one configured.

No message ever contains a password, a passphrase or a key.
"""

import base64
import contextlib
import errno
import fnmatch
import hashlib
import io
import itertools
import os
import posixpath
import socket
import stat
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from .errors import BusinessError, SecurityError, TransientError
from .secrets import mask_in_text

__all__ = [
    "DEFAULT_MIN_AGE",
    "TEMPORARY_SUFFIXES",
    "FileEntry",
    "FileVanishedError",
    "LocalFolder",
    "PartnerFolder",
    "SftpFolder",
    "file_key",
    "is_temporary_name",
]

#: Seconds a file must have been left alone before it is taken.
DEFAULT_MIN_AGE = 60
#: Names ending so (any case) are uploads in progress; names starting with a dot are skipped too.
TEMPORARY_SUFFIXES = (".tmp", ".part", ".filepart")

_COPY_CHUNK = 64 * 1024
_MAX_NAME_CLASHES = 1000


class FileVanishedError(BusinessError):
    """A file that was listed is no longer there (another poller took it): skip it."""


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


# SFTP -----------------------------------------------------------------------------------------

_SSH_KEY_TYPES = (
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-dss",
)
_RSA_SIGNATURE_TYPES = ("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa")


def _paramiko():
    try:
        import paramiko  # only SFTP folders need it
    except ImportError as exc:
        raise BusinessError(
            "SFTP folders need the Python package paramiko; install it (pip install paramiko)"
        ) from exc
    return paramiko


def _sha256_fingerprint(blob):
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")
    return f"SHA256:{digest}"


def _md5_fingerprint(blob):
    return ":".join(f"{byte:02x}" for byte in hashlib.md5(blob).digest())


def _blob_type(blob):
    """Return the key type written at the start of an SSH public key blob, or None."""
    if len(blob) < 4:
        return None
    length = int.from_bytes(blob[:4], "big")
    if length > 64 or len(blob) < 4 + length:
        return None
    return blob[4 : 4 + length].decode("ascii", "replace")


class _HostKeyCheck:
    """The host key(s) an SFTP server must show: public keys, known_hosts lines, fingerprints.

    Several lines may be given (as ``ssh-keyscan`` prints them); any of them matches. The host
    names of a known_hosts line are not compared, only the key.
    """

    def __init__(self, text):
        self.blobs = set()
        self.sha256 = set()
        self.md5 = set()
        for raw_line in str(text).splitlines():
            line = raw_line.strip()
            if line and not line.startswith("#"):
                self._add(line)
        if not (self.blobs or self.sha256 or self.md5):
            raise BusinessError(
                "SFTP host key: give the server's public key ('ssh-ed25519 AAAA...'), a "
                "known_hosts line or a fingerprint ('SHA256:...')"
            )

    def _add(self, line):
        tokens = line.split()
        first = tokens[0]
        if first.startswith("@"):
            raise BusinessError(
                f"SFTP host key: known_hosts markers such as {first} are not supported; "
                "give the plain host key line"
            )
        if first.startswith("SHA256:"):
            self.sha256.add(first.rstrip("="))
            return
        candidate = first.lower()
        candidate = candidate[4:] if candidate.startswith("md5:") else candidate
        if len(candidate) == 47 and all(
            part and len(part) == 2 and all(c in "0123456789abcdef" for c in part)
            for part in candidate.split(":")
        ):
            self.md5.add(candidate)
            return
        for kind, encoded in itertools.pairwise(tokens):
            if kind not in _SSH_KEY_TYPES:
                continue
            try:
                blob = base64.b64decode(encoded, validate=True)
            except ValueError:
                continue
            if _blob_type(blob) == kind:
                self.blobs.add(blob)
                return
        raise BusinessError(
            "SFTP host key: a line is neither a public key, a known_hosts line nor a "
            "SHA256:/MD5 fingerprint"
        )

    def key_types(self):
        """Host key algorithms to ask for, or None to let the server choose (fingerprints)."""
        if self.sha256 or self.md5:
            return None
        types = []
        for blob in self.blobs:
            kind = _blob_type(blob)
            types.extend(_RSA_SIGNATURE_TYPES if kind == "ssh-rsa" else (kind,))
        return types

    def matches(self, key):
        blob = key.asbytes()
        return (
            blob in self.blobs
            or _sha256_fingerprint(blob) in self.sha256
            or _md5_fingerprint(blob) in self.md5
        )


class SftpFolder(PartnerFolder):
    """A folder on a partner's SFTP server (paramiko).

    Authentication uses ``private_key`` (PEM or OpenSSH text; RSA, ECDSA or Ed25519;
    ``private_key_password`` if it is encrypted) and/or ``password``. The server must show
    ``host_key``: its public key (``ssh-ed25519 AAAA...``), a ``known_hosts`` line, or a
    fingerprint (``SHA256:...`` as ``ssh-keygen -lf`` prints it, or MD5 hex). With no
    ``host_key``, the connection is refused with a :class:`SecurityError` that shows the key
    the server offered, to check with the partner; only ``insecure_accept_any_host_key=True``
    accepts any key (tests, never production). ``timeout`` (seconds) bounds the connection,
    the SSH handshake, the authentication and every SFTP request.

    A password or key the server refuses raises :class:`BusinessError`, not
    :class:`TransientError`: the same credentials will be refused again, and retrying them at
    every poll can get the account locked by the partner's server. An authentication that
    times out or is cut raises :class:`TransientError`.
    """

    def __init__(
        self,
        host,
        port,
        username,
        *,
        password=None,
        private_key=None,
        private_key_password=None,
        host_key=None,
        insecure_accept_any_host_key=False,
        path=".",
        archive="archive",
        error="error",
        pattern="*",
        timeout=30,
        last_seen=None,
    ):
        super().__init__(path, archive=archive, error=error, pattern=pattern, last_seen=last_seen)
        self.host = host
        self.port = int(port)
        self.username = username
        self.timeout = timeout
        self.insecure_accept_any_host_key = insecure_accept_any_host_key
        self._password = password or None
        self._secrets = [s for s in (password, private_key_password) if s]
        self._host_key = _HostKeyCheck(host_key) if host_key else None
        self._pkey = self._load_private_key(private_key, private_key_password)
        if self._pkey is None and self._password is None:
            raise BusinessError(f"{self}: give a password or a private key")
        self._transport = None
        self._sftp = None
        self._posix_rename = None  # unknown until tried

    def __str__(self):
        return f"sftp://{self.username}@{self.host}:{self.port}/{self.path.lstrip('/')}"

    def __repr__(self):
        return f"SftpFolder({self!s})"

    # Connection -----------------------------------------------------------------------------

    def open(self):
        """Connect, check the host key, authenticate, and check that the folder exists."""
        if self._sftp is not None:
            return
        paramiko = _paramiko()
        try:
            sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
        except OSError as exc:
            raise self._connection_error(exc, "connect") from exc
        transport = paramiko.Transport(sock)
        try:
            self._start(paramiko, transport)
        except BaseException:
            transport.close()
            raise
        self._transport = transport
        try:
            self._check_folder()
        except BaseException:
            self.close()
            raise

    def close(self):
        """Close the SFTP session and the connection."""
        sftp, transport = self._sftp, self._transport
        self._sftp = self._transport = None
        if sftp is not None:
            with contextlib.suppress(Exception):
                sftp.close()
        if transport is not None:
            with contextlib.suppress(Exception):
                transport.close()

    def _start(self, paramiko, transport):
        transport.banner_timeout = transport.auth_timeout = self.timeout
        transport.handshake_timeout = self.timeout
        key_types = self._host_key.key_types() if self._host_key else None
        if key_types:
            options = transport.get_security_options()
            wanted = [kind for kind in options.key_types if kind in key_types]
            if wanted:
                options.key_types = wanted
        try:
            transport.start_client(timeout=self.timeout)
            self._verify_host_key(transport.get_remote_server_key())
            self._authenticate(paramiko, transport)
            sftp = paramiko.SFTPClient.from_transport(transport)
            sftp.get_channel().settimeout(self.timeout)
        except (BusinessError, SecurityError, TransientError):
            raise
        except paramiko.ssh_exception.IncompatiblePeer as exc:
            if key_types:
                raise SecurityError(
                    f"{self}: the server offers no host key of the expected type "
                    f"({', '.join(sorted(set(key_types)))}); if the partner changed its key, "
                    "check the new one with them and update the backend's host key"
                ) from exc
            raise BusinessError(
                f"{self}: no SSH algorithm in common with the server: {self._mask(exc)}"
            ) from exc
        except (paramiko.SSHException, EOFError, OSError) as exc:
            raise self._connection_error(exc, "open an SSH session") from exc
        self._sftp = sftp

    def _verify_host_key(self, key):
        blob = key.asbytes()
        offered = f"{key.get_name()} {_sha256_fingerprint(blob)}"
        if self._host_key is not None:
            if self._host_key.matches(key):
                return
            raise SecurityError(
                f"{self}: host key mismatch: the server offered {offered}, which is not the "
                "configured host key; someone may be in the middle. If the partner changed its "
                "key, check the new one with them and update the backend's host key"
            )
        if not self.insecure_accept_any_host_key:
            raise SecurityError(
                f"{self}: unknown host key {offered} refused; check this fingerprint with the "
                "partner and set it (or the server's public key) as the backend's host key"
            )

    def _authenticate(self, paramiko, transport):
        refused = None
        if self._pkey is not None:
            try:
                transport.auth_publickey(self.username, self._pkey)
            except paramiko.AuthenticationException as exc:
                refused = self._auth_failure(exc)
        if not transport.is_authenticated() and self._password is not None:
            try:
                transport.auth_password(self.username, self._password)
            except paramiko.AuthenticationException as exc:
                refused = self._auth_failure(exc)
        if not transport.is_authenticated():
            raise refused or BusinessError(
                f"{self}: the server asks for more authentication than a password and a key"
            )

    def _auth_failure(self, exc):
        """Return the error for an authentication failure: timeouts are transient."""
        text = str(exc)
        if "timeout" in text.lower():
            return TransientError(f"{self}: authentication timed out; will retry")
        allowed = getattr(exc, "allowed_types", None)
        if allowed:
            return BusinessError(
                f"{self}: authentication refused for user {self.username!r}; the server "
                f"accepts {', '.join(allowed)}: check the backend's password or private key"
            )
        return BusinessError(
            f"{self}: authentication refused for user {self.username!r}; check the backend's "
            "user name, password or private key"
        )

    def _load_private_key(self, text, passphrase):
        if not text:
            return None
        paramiko = _paramiko()
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        for class_name in ("Ed25519Key", "ECDSAKey", "RSAKey", "DSSKey"):
            key_class = getattr(paramiko, class_name, None)
            if key_class is None:
                continue
            try:
                return key_class.from_private_key(io.StringIO(text), password=passphrase)
            except paramiko.PasswordRequiredException as exc:
                raise BusinessError(
                    f"{self}: the private key is encrypted; give its passphrase"
                ) from exc
            except (paramiko.SSHException, ValueError, TypeError, IndexError):
                continue
        raise BusinessError(
            f"{self}: the private key cannot be read (PEM or OpenSSH, RSA, ECDSA or Ed25519 "
            "expected; or a wrong passphrase)"
        )

    def _client(self):
        if self._sftp is not None and not self._session_alive():
            self.close()  # the link dropped since the last call: connect again
        if self._sftp is None:
            self.open()
        return self._sftp

    def _session_alive(self):
        transport = self._transport
        channel = self._sftp.get_channel() if self._sftp is not None else None
        return bool(
            transport is not None
            and transport.is_active()
            and channel is not None
            and not channel.closed
        )

    def _check_folder(self):
        try:
            mode = self._sftp.stat(self.path).st_mode
        except (OSError, EOFError, _paramiko().SSHException) as exc:
            raise self._error(exc, self.path, "open the folder") from exc
        if mode is not None and not stat.S_ISDIR(mode):
            raise BusinessError(f"{self}: not a folder; set the backend's path to a folder")

    # Operations -----------------------------------------------------------------------------

    def read(self, name):
        """Return the content of file ``name`` as bytes."""
        self._check_name(name)
        path = self._join(self.path, name)
        buffer = io.BytesIO()
        with self._errors(path, "read", is_file=True):
            self._client().getfo(path, buffer)
        return buffer.getvalue()

    def write_atomic(self, name, data):
        """Upload ``data`` as ``name`` through a temporary name and a rename.

        The rename is OpenSSH's ``posix-rename`` when the server supports it: it replaces a file
        of the same name atomically. Otherwise it is the plain SFTP rename, which refuses an
        existing target: then an existing ``name`` makes this fail with :class:`BusinessError`
        and is left untouched. We do not remove it first, because between the removal and the
        rename a partner would find no file, and a failure there would lose both. Use unique
        names for outbound files. paramiko has no fsync over SFTP: the data is on the server
        when the file is closed, and the rename is what makes it visible whole.
        """
        self._check_name(name)
        sftp = self._client()
        final = self._join(self.path, name)
        temporary = self._join(self.path, self._temporary_name(name))
        try:
            with self._errors(final, "write"):
                # Not pipelined: paramiko drops the status of pipelined writes, so a failed
                # write would pass unnoticed. Each 32 KiB request waits for its answer.
                with sftp.open(temporary, "wbx") as handle:
                    handle.write(bytes(data))
                    handle.flush()
                written = sftp.stat(temporary).st_size
                if written != len(data):
                    raise TransientError(
                        f"{self}: {posixpath.basename(final)!r}: the server stored {written} "
                        f"bytes of {len(data)}; will retry"
                    )
                self._rename_into_place(sftp, temporary, final)
        except BaseException:
            if self._sftp is not None:
                with contextlib.suppress(Exception):
                    sftp.remove(temporary)
            raise
        return final

    def _rename_into_place(self, sftp, temporary, final):
        if self._posix_rename is not False:
            try:
                sftp.posix_rename(temporary, final)
            except OSError as exc:
                if exc.errno is not None:
                    raise
                # "Operation unsupported" (or a server answering a bare failure): plain rename
                if "unsupported" in str(exc).lower():
                    self._posix_rename = False
            else:
                self._posix_rename = True
                return
        try:
            sftp.rename(temporary, final)
        except OSError as exc:
            if exc.errno is None and self._exists(sftp, final):
                raise BusinessError(
                    f"{self}: {posixpath.basename(final)!r} already exists and this server "
                    "cannot replace it atomically (no posix-rename); it was left as it was: "
                    "use a unique name"
                ) from exc
            raise

    def _scan(self):
        with self._errors(self.path, "list the folder"):
            attributes = self._client().listdir_attr(self.path)
        entries = []
        for attr in attributes:
            if attr.st_mode is not None and not stat.S_ISREG(attr.st_mode):
                continue
            entries.append(FileEntry(attr.filename, attr.st_size or 0, float(attr.st_mtime or 0)))
        return entries

    def _join(self, folder, name):
        return posixpath.join(folder, name)

    def _ensure_folder(self, folder):
        sftp = self._client()
        path = self._join(self.path, folder)
        if self._exists(sftp, path):
            return path
        try:
            with self._errors(path, "create the folder"):
                sftp.mkdir(path)
        except BusinessError:
            if not self._exists(sftp, path):  # created by another poller meanwhile is fine
                raise
        return path

    def _move_no_replace(self, name, target_path):
        # The plain SFTP rename never overwrites (the protocol says so; OpenSSH links then
        # unlinks); the check first also protects from servers that do not follow it.
        sftp = self._client()
        source = self._join(self.path, name)
        if self._exists(sftp, target_path):
            return False
        try:
            with self._errors(source, "move", is_file=True):
                sftp.rename(source, target_path)
        except TransientError:
            if self._sftp is not None and self._exists(sftp, target_path):
                return False
            raise
        return True

    def _exists(self, sftp, path):
        try:
            sftp.stat(path)
        except FileNotFoundError:
            return False
        except OSError as exc:
            if exc.errno == errno.ENOENT:
                return False
            raise self._error(exc, path, "look at") from exc
        return True

    # Errors ---------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _errors(self, path, action, is_file=False):
        paramiko = _paramiko()
        try:
            yield
        except (BusinessError, SecurityError, TransientError):
            raise
        except (OSError, EOFError, paramiko.SSHException) as exc:
            raise self._error(exc, path, action, is_file) from exc

    def _error(self, exc, path, action, is_file=False):
        """Return the package error for a failure met while doing ``action`` on ``path``."""
        code = getattr(exc, "errno", None) if isinstance(exc, OSError) else None
        where = f"sftp://{self.username}@{self.host}:{self.port}{_absolute(path)}"
        if (
            isinstance(exc, TimeoutError)
            or not isinstance(exc, OSError)
            or code not in (None, errno.ENOENT, errno.EACCES)
            or not self._session_alive()
        ):
            self.close()  # the session is gone or in doubt: reconnect next time
            return TransientError(f"{where}: cannot {action}: {self._mask(exc)}; will retry")
        if code == errno.ENOENT:
            if is_file and self._sftp is not None and self._folder_exists():
                return FileVanishedError(f"{where}: no such file any more (taken by another run?)")
            return BusinessError(
                f"{where}: no such folder; create it on the server or fix the backend's path"
            )
        if code == errno.EACCES:
            return BusinessError(
                f"{where}: permission denied ({action}); ask the partner to give user "
                f"{self.username!r} read and write access to the folder and its archive and "
                "error subfolders"
            )
        return TransientError(f"{where}: cannot {action}: {self._mask(exc)}; will retry")

    def _folder_exists(self):
        try:
            self._sftp.stat(self.path)
        except Exception:
            return False
        return True

    def _connection_error(self, exc, action):
        if isinstance(exc, TimeoutError):
            return TransientError(
                f"{self}: no answer within {self.timeout} s ({action}); will retry"
            )
        if isinstance(exc, socket.gaierror):
            return TransientError(f"{self}: unknown host name; check the backend's host")
        return TransientError(f"{self}: cannot {action}: {self._mask(exc)}; will retry")

    def _mask(self, exc):
        text = str(exc) or type(exc).__name__
        return mask_in_text(text, self._secrets) if self._secrets else text


def _absolute(path):
    return path if path.startswith("/") else f"/{path}"
