"""A partner folder on an SFTP server (paramiko, imported only when used)."""

import contextlib
import errno
import io
import posixpath
import socket
import stat

from ...errors import BusinessError, SecurityError, TransientError
from ..secrets import mask_in_text
from .base import FileEntry, FileVanishedError, PartnerFolder, UnreadableFileError
from .hostkeys import HostKeyCheck, sha256_fingerprint


def _paramiko():
    try:
        import paramiko  # only SFTP folders need it
    except ImportError as exc:
        raise BusinessError(
            "SFTP folders need the Python package paramiko; install it (pip install paramiko)"
        ) from exc
    return paramiko


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
        self._host_key = HostKeyCheck(host_key) if host_key else None
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
        offered = f"{key.get_name()} {sha256_fingerprint(blob)}"
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
            if is_file and action == "read":
                return UnreadableFileError(
                    f"{where}: permission denied (read): user {self.username!r} may not read "
                    "this file; ask the partner to make it readable or to send it again"
                )
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
