"""SFTP host keys: the keys or fingerprints a server must show, and how they are compared."""

import base64
import hashlib
import itertools

from ...errors import BusinessError

SSH_KEY_TYPES = (
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-dss",
)
RSA_SIGNATURE_TYPES = ("rsa-sha2-512", "rsa-sha2-256", "ssh-rsa")


def sha256_fingerprint(blob):
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")
    return f"SHA256:{digest}"


def md5_fingerprint(blob):
    return ":".join(f"{byte:02x}" for byte in hashlib.md5(blob).digest())


def blob_type(blob):
    """Return the key type written at the start of an SSH public key blob, or None."""
    if len(blob) < 4:
        return None
    length = int.from_bytes(blob[:4], "big")
    if length > 64 or len(blob) < 4 + length:
        return None
    return blob[4 : 4 + length].decode("ascii", "replace")


class HostKeyCheck:
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
            if kind not in SSH_KEY_TYPES:
                continue
            try:
                blob = base64.b64decode(encoded, validate=True)
            except ValueError:
                continue
            if blob_type(blob) == kind:
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
            kind = blob_type(blob)
            types.extend(RSA_SIGNATURE_TYPES if kind == "ssh-rsa" else (kind,))
        return types

    def matches(self, key):
        blob = key.asbytes()
        return (
            blob in self.blobs
            or sha256_fingerprint(blob) in self.sha256
            or md5_fingerprint(blob) in self.md5
        )
