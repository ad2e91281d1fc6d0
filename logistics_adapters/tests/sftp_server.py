"""A small SFTP server on 127.0.0.1 for tests, built on paramiko's server API.

It serves one local folder, like paramiko's own test stub, with password and public key
authentication. Knobs for failure tests: ``posix_rename=False`` answers "Operation unsupported"
to OpenSSH's posix-rename; ``deny`` lists paths (relative to the root) answered with
"permission denied"; ``fail_writes_after`` fails any write past that many bytes of a file.
The plain rename refuses an existing target, as OpenSSH's server does (link, then unlink).
"""

import logging
import os
import socket
import threading

import paramiko
from paramiko import (
    SFTP_FAILURE,
    SFTP_OK,
    SFTP_OP_UNSUPPORTED,
    SFTP_PERMISSION_DENIED,
    SFTPAttributes,
    SFTPHandle,
    SFTPServer,
    SFTPServerInterface,
)

#: Where the server's transports log; quiet below CRITICAL: a client closing its connection
#: is no error of the code under test.
SERVER_LOG_CHANNEL = "logistics_adapters.tests.sftp_server.transport"
logging.getLogger(SERVER_LOG_CHANNEL).setLevel(logging.CRITICAL)


class _Handle(SFTPHandle):
    def stat(self):
        try:
            return SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))
        except OSError as exc:
            return SFTPServer.convert_errno(exc.errno)

    def write(self, offset, data):
        limit = self.settings.fail_writes_after
        if limit is not None and offset + len(data) > limit:
            return SFTP_FAILURE
        return super().write(offset, data)


class _Folder(SFTPServerInterface):
    """Serves ``settings.root``; every path is taken inside it."""

    def __init__(self, server, *args, **kwargs):
        super().__init__(server, *args, **kwargs)
        self.settings = server.settings

    def _real(self, path):
        return os.path.join(self.settings.root, self.canonicalize(path).lstrip("/"))

    def _denied(self, *paths):
        root = self.settings.root
        return any(os.path.relpath(self._real(path), root) in self.settings.deny for path in paths)

    def list_folder(self, path):
        if self._denied(path):
            return SFTP_PERMISSION_DENIED
        real = self._real(path)
        try:
            out = []
            for name in os.listdir(real):
                attr = SFTPAttributes.from_stat(os.stat(os.path.join(real, name)))
                attr.filename = name
                out.append(attr)
        except OSError as exc:
            return SFTPServer.convert_errno(exc.errno)
        return out

    def stat(self, path):
        try:
            return SFTPAttributes.from_stat(os.stat(self._real(path)))
        except OSError as exc:
            return SFTPServer.convert_errno(exc.errno)

    lstat = stat

    def open(self, path, flags, attr):
        if self._denied(path, os.path.dirname(path) or "."):
            return SFTP_PERMISSION_DENIED
        try:
            descriptor = os.open(self._real(path), flags | getattr(os, "O_BINARY", 0), 0o644)
        except OSError as exc:
            return SFTPServer.convert_errno(exc.errno)
        if flags & os.O_WRONLY:
            mode = "ab" if flags & os.O_APPEND else "wb"
        elif flags & os.O_RDWR:
            mode = "a+b" if flags & os.O_APPEND else "r+b"
        else:
            mode = "rb"
        handle = _Handle(flags)
        handle.settings = self.settings
        handle.filename = self._real(path)
        handle.readfile = handle.writefile = os.fdopen(descriptor, mode)
        return handle

    def remove(self, path):
        try:
            os.remove(self._real(path))
        except OSError as exc:
            return SFTPServer.convert_errno(exc.errno)
        return SFTP_OK

    def rename(self, oldpath, newpath):
        if self._denied(oldpath, newpath):
            return SFTP_PERMISSION_DENIED
        try:
            os.link(self._real(oldpath), self._real(newpath))
            os.remove(self._real(oldpath))
        except FileExistsError:
            return SFTP_FAILURE
        except OSError as exc:
            return SFTPServer.convert_errno(exc.errno)
        return SFTP_OK

    def posix_rename(self, oldpath, newpath):
        if not self.settings.posix_rename:
            return SFTP_OP_UNSUPPORTED
        try:
            os.replace(self._real(oldpath), self._real(newpath))
        except OSError as exc:
            return SFTPServer.convert_errno(exc.errno)
        return SFTP_OK

    def mkdir(self, path, attr):
        if self._denied(path):
            return SFTP_PERMISSION_DENIED
        try:
            os.mkdir(self._real(path))
        except OSError as exc:
            return SFTPServer.convert_errno(exc.errno)
        return SFTP_OK


class _Settings:
    def __init__(self, root, posix_rename, deny, fail_writes_after):
        self.root = os.fspath(root)
        self.posix_rename = posix_rename
        self.deny = set(deny)
        self.fail_writes_after = fail_writes_after


class _Server(paramiko.ServerInterface):
    def __init__(self, settings, users, authorized_keys):
        self.settings = settings
        self.users = users
        self.authorized = {key.asbytes() for key in authorized_keys}

    def get_allowed_auths(self, username):
        return "password,publickey"

    def check_auth_password(self, username, password):
        if self.users.get(username) == password:
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_auth_publickey(self, username, key):
        if username in self.users and key.asbytes() in self.authorized:
            return paramiko.AUTH_SUCCESSFUL
        return paramiko.AUTH_FAILED

    def check_channel_request(self, kind, chanid):
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


class SftpTestServer:
    """An SFTP server in threads of this process; use it as a context manager.

    ``users`` maps user names to passwords; ``authorized_keys`` are public keys any of those
    users may log in with.
    """

    def __init__(
        self,
        root,
        host_key,
        users,
        *,
        authorized_keys=(),
        posix_rename=True,
        deny=(),
        fail_writes_after=None,
    ):
        self.settings = _Settings(root, posix_rename, deny, fail_writes_after)
        self.host_key = host_key
        self._interface = _Server(self.settings, dict(users), authorized_keys)
        self._listener = None
        self._thread = None
        self._transports = []
        self._stopping = threading.Event()

    @property
    def port(self):
        return self._listener.getsockname()[1]

    def __enter__(self):
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(8)
        self._listener.settimeout(0.1)
        self._thread = threading.Thread(target=self._serve, name="sftp-test-server", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, exc_type, exc, tb):
        self._stopping.set()
        self._thread.join(timeout=5)
        self._listener.close()
        for transport in self._transports:
            transport.close()

    def _serve(self):
        while not self._stopping.is_set():
            try:
                connection, _address = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            transport = paramiko.Transport(connection)
            # The server's side of a client that hangs up reads as a reset: its own channel,
            # so that the clients under test keep theirs (paramiko.transport) to themselves.
            transport.set_log_channel(SERVER_LOG_CHANNEL)
            transport.add_server_key(self.host_key)
            transport.set_subsystem_handler("sftp", SFTPServer, _Folder)
            self._transports.append(transport)
            try:
                transport.start_server(event=threading.Event(), server=self._interface)
            except (paramiko.SSHException, EOFError, OSError):
                transport.close()
