"""Partner folders: local folders on tmp_path, SFTP against an in-process server on 127.0.0.1."""

import errno
import hashlib
import io
import json
import os
import re
import socket
import time
from datetime import datetime, timezone

import pytest

from logistics_adapters.errors import (
    BusinessError,
    SecurityError,
    TransientError,
    error_kind,
)
from logistics_adapters.transport.files import (
    FileEntry,
    FileVanishedError,
    LocalFolder,
    SftpFolder,
    UnreadableFileError,
    file_key,
    hostkeys,
    is_temporary_name,
    local,
)

T0 = 1_700_000_000  # 2023-11-14T22:13:20Z, whole seconds as SFTP carries them


def _put(folder, name, data=b"ISA*00~", mtime=T0):
    path = os.path.join(folder, name)
    with open(path, "wb") as handle:
        handle.write(data)
    os.utime(path, (mtime, mtime))
    return path


def _read(path):
    with open(path, "rb") as handle:
        return handle.read()


# Names and keys -------------------------------------------------------------------------------


def test_file_key_is_name_and_sha256():
    data = b"ISA*00*...~"
    assert file_key("ORDERS.edi", data) == f"ORDERS.edi:{hashlib.sha256(data).hexdigest()}"
    assert LocalFolder(".").file_key("a", b"") == file_key("a", b"")


@pytest.mark.parametrize(
    ("name", "temporary"),
    [
        (".ORDERS.edi", True),
        ("ORDERS.edi.tmp", True),
        ("ORDERS.edi.PART", True),
        ("ORDERS.edi.filepart", True),
        ("ORDERS.edi", False),
        ("tmp.edi", False),
    ],
)
def test_temporary_names(name, temporary):
    assert is_temporary_name(name) is temporary


# LocalFolder: what is ready -------------------------------------------------------------------


def test_ready_only_after_min_age(tmp_path):
    _put(tmp_path, "ORDERS.edi", b"0123456789")
    folder = LocalFolder(tmp_path)
    assert folder.list_ready(min_age=60, now=T0 + 59) == []
    assert folder.list_ready(min_age=60, now=T0 + 60) == [FileEntry("ORDERS.edi", 10, T0)]


def test_now_may_be_a_datetime_naive_meaning_utc(tmp_path):
    _put(tmp_path, "ORDERS.edi")
    folder = LocalFolder(tmp_path)
    naive = datetime.fromtimestamp(T0 + 60, tz=timezone.utc).replace(tzinfo=None)
    [entry] = folder.list_ready(min_age=60, now=naive)
    assert entry.modified_at == datetime.fromtimestamp(T0, tz=timezone.utc)


def test_temporary_names_pattern_and_folders_skipped(tmp_path):
    for name in (".hidden.edi", "a.edi.tmp", "b.edi.part", "c.edi.filepart", "x.edi", "y.txt"):
        _put(tmp_path, name)
    (tmp_path / "archive").mkdir()
    (tmp_path / "folder.edi").mkdir()
    names = [e.name for e in LocalFolder(tmp_path, pattern="*.edi").list_ready(now=T0 + 3600)]
    assert names == ["x.edi"]
    names = [e.name for e in LocalFolder(tmp_path).list_ready(now=T0 + 3600)]
    assert names == ["x.edi", "y.txt"]


def test_ready_files_come_oldest_first(tmp_path):
    _put(tmp_path, "b.edi", mtime=T0)
    _put(tmp_path, "a.edi", mtime=T0 + 1)
    _put(tmp_path, "c.edi", mtime=T0)
    names = [e.name for e in LocalFolder(tmp_path).list_ready(now=T0 + 3600)]
    assert names == ["b.edi", "c.edi", "a.edi"]


def test_growing_file_is_skipped_until_its_size_is_stable(tmp_path):
    # The partner's client keeps the original mtime, so only the size shows the upload.
    path = _put(tmp_path, "ORDERS.edi", b"ISA*00*")
    folder = LocalFolder(tmp_path)
    assert folder.list_ready(min_age=60, now=T0 + 30) == []  # too young, stat remembered
    with open(path, "ab") as handle:
        handle.write(b"GS*OW~")
    os.utime(path, (T0, T0))
    assert folder.list_ready(min_age=60, now=T0 + 90) == []  # old enough, but it grew
    assert [e.size for e in folder.list_ready(min_age=60, now=T0 + 120)] == [13]


def test_last_seen_carries_the_previous_look_to_a_new_folder_object(tmp_path):
    path = _put(tmp_path, "ORDERS.edi", b"ISA*00*")
    first = LocalFolder(tmp_path)
    assert len(first.list_ready(now=T0 + 3600)) == 1
    stored = json.loads(json.dumps(first.last_seen))  # what a cron would keep
    _put(tmp_path, "ORDERS.edi", b"ISA*00*GS*", mtime=T0)
    assert LocalFolder(tmp_path, last_seen=stored).list_ready(now=T0 + 3600) == []
    assert len(LocalFolder(tmp_path).list_ready(now=T0 + 3600)) == 1
    os.remove(path)
    assert LocalFolder(tmp_path, last_seen=stored).list_ready(now=T0 + 3600) == []


# LocalFolder: moving and reading --------------------------------------------------------------


def test_read_archive_and_reject_create_their_folders(tmp_path):
    _put(tmp_path, "a.edi", b"A")
    _put(tmp_path, "b.edi", b"B")
    with LocalFolder(tmp_path, error="failed") as folder:
        assert folder.read("a.edi") == b"A"
        archived = folder.archive("a.edi")
        rejected = folder.reject("b.edi")
    assert archived == str(tmp_path / "archive" / "a.edi")
    assert rejected == str(tmp_path / "failed" / "b.edi")
    assert _read(archived) == b"A"
    assert _read(rejected) == b"B"
    assert sorted(os.listdir(tmp_path)) == ["archive", "failed"]


def test_archive_name_clash_adds_a_timestamp_and_never_overwrites(tmp_path):
    (tmp_path / "archive").mkdir()
    _put(tmp_path / "archive", "ORDERS.edi", b"first")
    _put(tmp_path / "archive", "NOEXT", b"first")
    now = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    folder = LocalFolder(tmp_path)
    _put(tmp_path, "ORDERS.edi", b"second")
    second = folder.archive("ORDERS.edi", now=now)
    _put(tmp_path, "ORDERS.edi", b"third")
    third = folder.archive("ORDERS.edi", now=now)
    _put(tmp_path, "NOEXT", b"second")
    noext = folder.archive("NOEXT", now=now)
    assert os.path.basename(second) == "ORDERS.20250102T030405Z.edi"
    assert os.path.basename(third) == "ORDERS.20250102T030405Z-1.edi"
    assert os.path.basename(noext) == "NOEXT.20250102T030405Z"
    assert _read(tmp_path / "archive" / "ORDERS.edi") == b"first"
    assert (_read(second), _read(third), _read(noext)) == (b"second", b"third", b"second")


def test_moves_without_hard_links_still_never_overwrite(tmp_path, monkeypatch):
    def no_links(source, target):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(local.os, "link", no_links)
    (tmp_path / "error").mkdir()
    _put(tmp_path / "error", "x.edi", b"old")
    _put(tmp_path, "x.edi", b"new")
    moved = LocalFolder(tmp_path).reject("x.edi", now=T0)
    assert _read(tmp_path / "error" / "x.edi") == b"old"
    assert _read(moved) == b"new"
    assert not (tmp_path / "x.edi").exists()


def test_a_file_gone_meanwhile_is_reported_as_vanished(tmp_path):
    folder = LocalFolder(tmp_path)
    with pytest.raises(FileVanishedError, match="no such file"):
        folder.read("gone.edi")
    with pytest.raises(FileVanishedError):
        folder.archive("gone.edi")
    assert isinstance(FileVanishedError("x"), BusinessError)


@pytest.mark.parametrize("name", ["", ".", "..", "../x.edi", "sub/x.edi", "a\\b", "a\0b"])
def test_names_with_a_path_are_refused(tmp_path, name):
    with pytest.raises(BusinessError, match="not a plain file name"):
        LocalFolder(tmp_path).read(name)


def test_missing_folder_is_a_business_error_naming_it(tmp_path):
    missing = tmp_path / "nowhere"
    folder = LocalFolder(missing)
    with pytest.raises(BusinessError, match="no such folder; create it") as caught:
        folder.open()
    assert str(missing) in str(caught.value)
    with pytest.raises(BusinessError, match=re.escape(str(missing))):
        folder.list_ready()
    with pytest.raises(BusinessError, match="not a folder"):
        LocalFolder(_put(tmp_path, "file.edi")).open()


def test_permission_denied_is_a_business_error_saying_what_to_do(tmp_path, monkeypatch):
    def denied(path):
        raise PermissionError(errno.EACCES, "Permission denied", path)

    monkeypatch.setattr(local.os, "scandir", denied)
    what_to_do = r"permission denied .*give the Odoo server's user"
    with pytest.raises(BusinessError, match=what_to_do) as e:
        LocalFolder(tmp_path).list_ready()
    assert not isinstance(e.value, UnreadableFileError), "the folder's fault, not one file's"


def test_a_file_that_refuses_to_be_read_is_unreadable_and_can_be_moved_aside(tmp_path, monkeypatch):
    _put(tmp_path, "locked.edi", b"L")

    def denied(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", path)

    monkeypatch.setattr(local, "open", denied, raising=False)  # tests run as root: chmod is moot
    folder = LocalFolder(tmp_path)
    with pytest.raises(UnreadableFileError, match=r"locked.edi: permission denied \(read\)") as e:
        folder.read("locked.edi")
    assert "send the file again" in str(e.value)
    assert error_kind(e.value) == "business"
    monkeypatch.undo()
    assert _read(folder.reject("locked.edi")) == b"L"


def test_other_io_errors_are_transient(tmp_path, monkeypatch):
    def failing(path):
        raise OSError(errno.EIO, "Input/output error", path)

    monkeypatch.setattr(local.os, "scandir", failing)
    with pytest.raises(TransientError, match="Input/output error; will retry"):
        LocalFolder(tmp_path).list_ready()


# LocalFolder: writing -------------------------------------------------------------------------


def test_write_atomic_writes_and_replaces(tmp_path):
    folder = LocalFolder(tmp_path)
    path = folder.write_atomic("940.edi", b"first")
    assert path == str(tmp_path / "940.edi")
    folder.write_atomic("940.edi", b"second" * 50_000)
    assert _read(path) == b"second" * 50_000
    assert os.listdir(tmp_path) == ["940.edi"]


def test_write_failing_midway_leaves_no_partial_file(tmp_path, monkeypatch):
    _put(tmp_path, "940.edi", b"previous")
    seen = {}

    def half_then_disk_full(handle, data):
        handle.write(data[: len(data) // 2])
        handle.flush()
        seen["partial"] = [(n, os.path.getsize(tmp_path / n)) for n in os.listdir(tmp_path)]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(local, "_write_chunks", half_then_disk_full)
    with pytest.raises(TransientError, match="No space left on device"):
        LocalFolder(tmp_path).write_atomic("940.edi", b"x" * 1000)
    partial = [name for name, size in seen["partial"] if size == 500]
    assert len(partial) == 1 and is_temporary_name(partial[0])  # it was really half-written
    assert os.listdir(tmp_path) == ["940.edi"]
    assert _read(tmp_path / "940.edi") == b"previous"


def test_write_interrupted_leaves_no_partial_file(tmp_path, monkeypatch):
    def interrupted(handle, data):
        handle.write(data[:10])
        raise KeyboardInterrupt

    monkeypatch.setattr(local, "_write_chunks", interrupted)
    with pytest.raises(KeyboardInterrupt):
        LocalFolder(tmp_path).write_atomic("940.edi", b"x" * 100)
    assert os.listdir(tmp_path) == []


# SFTP ------------------------------------------------------------------------------------------

USER = "edi"
PASSWORD = "s3cret-Pa55word"


@pytest.fixture(scope="module")
def paramiko():
    return pytest.importorskip("paramiko")


@pytest.fixture(scope="module")
def host_key(paramiko):
    return paramiko.ECDSAKey.generate()


def _public_line(key):
    return f"{key.get_name()} {key.get_base64()}"


def _ed25519_line():
    """A public key line of a type the test server does not have."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    public = Ed25519PrivateKey.generate().public_key()
    return public.public_bytes(Encoding.OpenSSH, PublicFormat.OpenSSH).decode("ascii")


@pytest.fixture
def sftp(tmp_path, host_key, paramiko):
    """Start a server on 127.0.0.1 serving tmp_path/root; yield a factory of servers."""
    from .sftp_server import SftpTestServer

    root = tmp_path / "root"
    (root / "in").mkdir(parents=True)
    servers = []

    def start(**options):
        options.setdefault("users", {USER: PASSWORD})
        server = SftpTestServer(root, host_key, **options).__enter__()
        servers.append(server)
        return server

    start.root = root
    yield start
    for server in servers:
        server.__exit__(None, None, None)


def _folder(server, server_key, **options):
    options.setdefault("password", PASSWORD)
    options.setdefault("host_key", _public_line(server_key))
    options.setdefault("path", "/in")
    options.setdefault("timeout", 5)
    return SftpFolder("127.0.0.1", server.port, USER, **options)


def test_sftp_list_read_archive_reject(sftp, host_key):
    server = sftp()
    inbox = sftp.root / "in"
    for name in ("a.edi", "b.edi", "c.edi.filepart", ".d.edi"):
        _put(inbox, name, name.encode())
    _put(inbox, "young.edi", mtime=T0 + 100)
    (inbox / "archive").mkdir()
    _put(inbox / "archive", "a.edi", b"older a")
    with _folder(server, host_key, pattern="*.edi") as folder:
        ready = folder.list_ready(min_age=60, now=T0 + 120)
        assert ready == [FileEntry("a.edi", 5, T0), FileEntry("b.edi", 5, T0)]
        data = folder.read("a.edi")
        assert data == b"a.edi"
        assert folder.file_key("a.edi", data).startswith("a.edi:")
        archived = folder.archive("a.edi", now=datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
        rejected = folder.reject("b.edi")
    assert archived == "/in/archive/a.20250102T030405Z.edi"
    assert rejected == "/in/error/b.edi"
    assert _read(inbox / "archive" / "a.edi") == b"older a"
    assert _read(inbox / "archive" / "a.20250102T030405Z.edi") == b"a.edi"
    assert _read(inbox / "error" / "b.edi") == b"b.edi"
    assert not (inbox / "a.edi").exists() and not (inbox / "b.edi").exists()


def test_sftp_growing_file_is_skipped_until_stable(sftp, host_key):
    server = sftp()
    path = _put(sftp.root / "in", "ORDERS.edi", b"ISA")
    folder = _folder(server, host_key)
    try:
        assert len(folder.list_ready(now=T0 + 3600)) == 1
        _put(sftp.root / "in", "ORDERS.edi", b"ISA*00", mtime=T0)
        assert folder.list_ready(now=T0 + 3600) == []
        assert [e.size for e in folder.list_ready(now=T0 + 3600)] == [6]
        os.remove(path)
        with pytest.raises(FileVanishedError):
            folder.read("ORDERS.edi")
        with pytest.raises(FileVanishedError):
            folder.archive("ORDERS.edi")
    finally:
        folder.close()


def test_sftp_write_atomic_replaces_with_posix_rename(sftp, host_key):
    server = sftp()
    inbox = sftp.root / "in"
    with _folder(server, host_key) as folder:
        assert folder.write_atomic("940.edi", b"first") == "/in/940.edi"
        folder.write_atomic("940.edi", b"second" * 40_000)
    assert _read(inbox / "940.edi") == b"second" * 40_000
    assert os.listdir(inbox) == ["940.edi"]


def test_sftp_write_atomic_without_posix_rename_never_removes_the_target(sftp, host_key):
    server = sftp(posix_rename=False)
    inbox = sftp.root / "in"
    with _folder(server, host_key) as folder:
        folder.write_atomic("940.edi", b"first")
        with pytest.raises(BusinessError, match=r"already exists .*\(no posix-rename\)"):
            folder.write_atomic("940.edi", b"second")
        folder.write_atomic("945.edi", b"other")
    assert _read(inbox / "940.edi") == b"first"
    assert sorted(os.listdir(inbox)) == ["940.edi", "945.edi"]


def test_sftp_write_failing_midway_leaves_no_partial_file(sftp, host_key):
    server = sftp(fail_writes_after=40_000)
    inbox = sftp.root / "in"
    _put(inbox, "940.edi", b"previous")
    with (
        _folder(server, host_key) as folder,
        pytest.raises(TransientError, match=r"/in/940\.edi: cannot write"),
    ):
        folder.write_atomic("940.edi", b"x" * 100_000)
    assert os.listdir(inbox) == ["940.edi"]
    assert _read(inbox / "940.edi") == b"previous"


def test_sftp_private_key_authentication(sftp, host_key, paramiko):
    client_key = paramiko.ECDSAKey.generate()
    pem = io.StringIO()
    client_key.write_private_key(pem, password="passphrase")
    server = sftp(authorized_keys=[client_key])
    options = {"private_key": pem.getvalue(), "password": None}
    with _folder(server, host_key, private_key_password="passphrase", **options) as folder:
        assert folder.list_ready() == []
    with pytest.raises(BusinessError, match="encrypted; give its passphrase"):
        _folder(server, host_key, **options)
    with pytest.raises(BusinessError, match="cannot be read") as caught:
        _folder(server, host_key, private_key_password="Tr0ub4dor&3", **options)
    assert "Tr0ub4dor&3" not in str(caught.value) and "PRIVATE" not in str(caught.value)


def test_sftp_wrong_password_is_a_business_error_without_the_password(sftp, host_key):
    server = sftp()
    folder = _folder(server, host_key, password="not-" + PASSWORD)
    with pytest.raises(BusinessError, match="authentication refused for user 'edi'") as caught:
        folder.open()
    assert PASSWORD not in str(caught.value)
    assert error_kind(caught.value) == "business"
    assert folder._transport is None


def test_sftp_unknown_host_key_is_refused(sftp, host_key):
    server = sftp()
    fingerprint = hostkeys.sha256_fingerprint(host_key.asbytes())
    with pytest.raises(SecurityError, match="unknown host key") as caught:
        _folder(server, host_key, host_key=None).open()
    assert f"ecdsa-sha2-nistp256 {fingerprint} refused" in str(caught.value)
    assert error_kind(caught.value) == "security"


def test_sftp_other_host_key_is_refused(sftp, host_key, paramiko):
    server = sftp()
    other = paramiko.ECDSAKey.generate()
    with pytest.raises(SecurityError, match="host key mismatch"):
        _folder(server, host_key, host_key=_public_line(other)).open()
    with pytest.raises(SecurityError, match="no host key of the expected type"):
        _folder(server, host_key, host_key=_ed25519_line()).open()


@pytest.mark.parametrize("form", ["known_hosts", "sha256", "md5", "several", "insecure"])
def test_sftp_host_key_forms(sftp, host_key, form):
    server = sftp()
    blob = host_key.asbytes()
    expected = {
        "known_hosts": f"[127.0.0.1]:{server.port} {_public_line(host_key)}",
        "sha256": hostkeys.sha256_fingerprint(blob),
        "md5": "MD5:" + hostkeys.md5_fingerprint(blob),
        "several": f"# ssh-keyscan\n{_ed25519_line()}\n{_public_line(host_key)}\n",
        "insecure": None,
    }[form]
    folder = _folder(server, host_key, host_key=expected, insecure_accept_any_host_key=not expected)
    with folder:
        assert folder.list_ready() == []


def test_sftp_bad_settings_are_business_errors():
    with pytest.raises(BusinessError, match="neither a public key"):
        SftpFolder("127.0.0.1", 22, USER, password=PASSWORD, host_key="not a key")
    with pytest.raises(BusinessError, match="markers such as @revoked are not supported"):
        SftpFolder("127.0.0.1", 22, USER, password=PASSWORD, host_key="@revoked * ssh-rsa AAAA")
    with pytest.raises(BusinessError, match="give a password or a private key"):
        SftpFolder("127.0.0.1", 22, USER, host_key="SHA256:abc")
    pytest.importorskip("paramiko")
    with pytest.raises(BusinessError, match="private key cannot be read"):
        SftpFolder("127.0.0.1", 22, USER, private_key="-----BEGIN nonsense", host_key="SHA256:x")


def test_sftp_missing_folder_and_permission_denied(sftp, host_key):
    server = sftp(deny={"in/locked"})
    (sftp.root / "in" / "locked").mkdir()
    with pytest.raises(BusinessError, match="/nowhere: no such folder; create it"):
        _folder(server, host_key, path="/nowhere").open()
    folder = _folder(server, host_key, path="/in/locked")
    with pytest.raises(BusinessError, match=r"/in/locked: permission denied .*'edi'"):
        folder.list_ready()
    folder.close()


def test_sftp_a_file_that_refuses_to_be_read_is_unreadable(sftp, host_key):
    server = sftp(deny={"in/locked.edi"})
    _put(sftp.root / "in", "locked.edi")
    _put(sftp.root / "in", "open.edi", b"O")
    with _folder(server, host_key) as folder:
        assert [e.name for e in folder.list_ready(now=T0 + 3600)] == ["locked.edi", "open.edi"]
        with pytest.raises(UnreadableFileError, match=r"/in/locked.edi: permission denied"):
            folder.read("locked.edi")
        assert folder.read("open.edi") == b"O", "the session goes on"


def test_sftp_connection_refused_is_transient(host_key):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    folder = SftpFolder("127.0.0.1", port, USER, password=PASSWORD, host_key="SHA256:x")
    with pytest.raises(TransientError, match="cannot connect") as caught:
        folder.open()
    assert PASSWORD not in str(caught.value)


def test_sftp_silent_server_times_out_as_transient(host_key):
    with socket.socket() as silent:  # accepts connections, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        port = silent.getsockname()[1]
        folder = SftpFolder(
            "127.0.0.1", port, USER, password=PASSWORD, host_key="SHA256:x", timeout=0.5
        )
        started = time.monotonic()
        with pytest.raises(TransientError):
            folder.open()
    assert time.monotonic() - started < 5


def test_sftp_reconnects_after_the_connection_dropped(sftp, host_key, monkeypatch):
    server = sftp()
    _put(sftp.root / "in", "a.edi")
    folder = _folder(server, host_key)
    try:
        folder.open()
        folder._transport.close()  # the link drops between two polls
        assert [e.name for e in folder.list_ready(now=T0 + 3600)] == ["a.edi"]

        def dropped(path):
            folder._transport.close()
            raise EOFError

        monkeypatch.setattr(folder._sftp, "listdir_attr", dropped)  # drops during a call
        with pytest.raises(TransientError, match="cannot list the folder: EOFError; will retry"):
            folder.list_ready()
        assert folder._sftp is None
        assert [e.name for e in folder.list_ready(now=T0 + 3600)] == ["a.edi"]
    finally:
        folder.close()
