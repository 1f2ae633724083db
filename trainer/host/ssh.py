"""The same host over SSH: one ``authorized_keys`` line per trainee, so that a trainee's key
opens the app as that trainee and nothing else.

A team runs the host under one service account. Each trainee's public key goes into that
account's ``authorized_keys`` with OpenSSH's own confinement:

``restrict,pty,command="exec env <TRAINEE>='<name>' <HOSTED>=1 <python> -m trainer.tui"
<type> <base64> trainer:<name>`` (the two variables named by ``trainer.config``'s table)

``restrict`` turns off every forwarding (ports, agent, X11), the user's ``~/.ssh/rc`` and
the terminal; ``pty`` gives the terminal back, since the app is a TUI. ``command=`` is
forced: sshd runs it whatever the client asks for (a command, ``scp``, an ``sftp``
subsystem) and only puts the request in ``SSH_ORIGINAL_COMMAND``, which the app never reads.
The name is the one identity: it is checked like every trainee name, shell-quoted for the
account's shell, then escaped for the double-quoted option (sshd's parser unescapes ``\\"``
and nothing else), so no name can end the quote or the command. The key's own comment is
replaced by ``trainer:<name>`` so a manager reading the file sees whose line it is.

The key file is checked before anything is written: one line, a key type OpenSSH accepts,
base64 that decodes to a key of that very type. A private key is refused without echoing a
byte of it. Writing appends under a lock and replaces the file atomically with mode 0600;
a key that is already in the file (for any trainee) is refused, since sshd would only ever
use the first line with that key.
"""

from __future__ import annotations

import base64
import binascii
import os
import shlex
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from trainer.config import HOSTED, TRAINEE
from trainer.errors import InputError
from trainer.store.atomic import replace_atomically
from trainer.text import name_problem

APP_MODULE = "trainer.tui"
"""What the forced command runs with ``python -m``: the TUI, reading who it is from the
environment the command sets."""

KEY_TYPES = (
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-rsa",
)
"""Public key types OpenSSH accepts in ``authorized_keys`` by default (DSA is off since
OpenSSH 7.0; certificates belong to ``cert-authority`` lines, not to one trainee)."""

_MAX_KEY_FILE = 64 * 1024
"""A 16384-bit RSA public key is under 3 KiB; anything far larger is not a public key."""

_LOCK_TIMEOUT = 10.0

_WHAT_TO_PASS = (
    "pass the trainee's public key: the one-line .pub file ssh-keygen wrote beside the "
    "private key (for example ~/.ssh/id_ed25519.pub), starting with "
    + ", ".join(KEY_TYPES[:2])
    + " or ssh-rsa"
)


class SshKeyError(InputError):
    """A public key file or an ``authorized_keys`` file that cannot be used; the message
    says what to pass instead, and never repeats the file's content."""


@dataclass(frozen=True)
class PublicKey:
    """One OpenSSH public key, checked: its type and its base64 blob (the comment dropped)."""

    type: str
    base64: str

    @property
    def blob(self) -> bytes:
        return base64.b64decode(self.base64)


# ------------------------------------------------------------------ reading a public key


def read_public_key(path: Path) -> PublicKey:
    """The public key in ``path``, or ``SshKeyError`` saying what is wrong and what to pass."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(_MAX_KEY_FILE + 1)
    except FileNotFoundError:
        raise SshKeyError(f"{path}: no such file; {_WHAT_TO_PASS}") from None
    except IsADirectoryError:
        raise SshKeyError(f"{path} is a folder; {_WHAT_TO_PASS}") from None
    except OSError as exc:
        raise SshKeyError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > _MAX_KEY_FILE:
        raise SshKeyError(f"{path} is too large to be a public key; {_WHAT_TO_PASS}")
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        raise SshKeyError(f"{path} is not a text key file; {_WHAT_TO_PASS}") from None
    return parse_public_key(text, str(path))


def parse_public_key(text: str, where: str = "the key") -> PublicKey:
    """The key in ``text`` (a public key file's content), checked as ``read_public_key``
    describes."""
    if "PRIVATE KEY" in text or text.startswith("PuTTY-User-Key-File"):
        raise SshKeyError(
            f"{where} is a private key, which must never leave the trainee's machine; "
            f"{_WHAT_TO_PASS} (ssh-keygen -y -f PRIVATE_KEY prints it)"
        )
    if "BEGIN SSH2 PUBLIC KEY" in text:
        raise SshKeyError(
            f"{where} is an RFC 4716 (SSH2) public key; convert it with "
            "ssh-keygen -i -f FILE > FILE.pub and pass that"
        )
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise SshKeyError(f"{where} is empty; {_WHAT_TO_PASS}")
    if len(lines) > 1:
        raise SshKeyError(f"{where} has {len(lines)} lines, a public key has one; {_WHAT_TO_PASS}")
    fields = lines[0].split()
    key_type = fields[0]
    if key_type == "ssh-dss":
        raise SshKeyError(
            f"{where} is a DSA key, which OpenSSH no longer accepts; make an ed25519 key "
            "(ssh-keygen -t ed25519) and pass its .pub file"
        )
    if key_type not in KEY_TYPES:
        raise SshKeyError(f"{where} does not start with a known key type; {_WHAT_TO_PASS}")
    if len(fields) < 2:
        raise SshKeyError(f"{where} has a key type but no key; {_WHAT_TO_PASS}")
    blob = _decoded(fields[1])
    if blob is None:
        raise SshKeyError(f"{where}: the key is not valid base64; {_WHAT_TO_PASS}")
    if _blob_type(blob) != key_type:
        raise SshKeyError(
            f"{where}: the key's data is not a {key_type} key (a damaged or edited file); "
            f"{_WHAT_TO_PASS}"
        )
    return PublicKey(key_type, fields[1])


def _decoded(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


def _blob_type(blob: bytes) -> str | None:
    """The key type an SSH key blob names, if the blob is whole: every public key blob is a
    run of strings (each a uint32 length and its bytes) filling it exactly, the type name
    first and the key's data after it (ed25519: the point; RSA: e and n; ECDSA: the curve
    and the point; security keys: their application too)."""
    parts: list[bytes] = []
    at = 0
    while at < len(blob):
        if len(blob) - at < 4:
            return None
        length = int.from_bytes(blob[at : at + 4], "big")
        part = blob[at + 4 : at + 4 + length]
        if len(part) != length:
            return None
        parts.append(part)
        at += 4 + length
    if len(parts) < 2 or len(parts[0]) > 64:
        return None
    try:
        return parts[0].decode("ascii")
    except UnicodeDecodeError:
        return None


# ------------------------------------------------------------------ the line


def app_program() -> tuple[str, ...]:
    """The program a trainee's key runs by default: this Python's TUI."""
    return (sys.executable, "-m", APP_MODULE)


def forced_command(trainee: str, program: Sequence[str] | None = None) -> str:
    """The shell command sshd runs for ``trainee``'s key: the app in hosted mode as that
    trainee. ``exec`` so no shell waits between sshd and the app; ``env`` so the assignments
    work in any login shell; every word shell-quoted."""
    problem = name_problem(trainee)
    if problem is not None:
        raise SshKeyError(problem)
    words = tuple(program) if program is not None else app_program()
    if not words:
        raise SshKeyError("the program the key runs is empty")
    for word in words:
        if any(c in word for c in "\n\r\0"):
            raise SshKeyError("the program the key runs has a line break in it")
    assignments = [f"{TRAINEE.name}={shlex.quote(trainee)}", f"{HOSTED.name}=1"]
    return " ".join(["exec", "env", *assignments, *(shlex.quote(w) for w in words)])


def _option_quoted(value: str) -> str:
    """``value`` as the inside of an ``authorized_keys`` option's double quotes: sshd's
    parser turns ``\\"`` into ``"`` and copies every other character, so escaping each
    quote is enough (a backslash before an escaped quote stays a backslash)."""
    return value.replace('"', '\\"')


def authorized_keys_line(trainee: str, key: PublicKey, program: Sequence[str] | None = None) -> str:
    """The ``authorized_keys`` line (without its newline) that gives ``key`` the app as
    ``trainee`` and nothing else."""
    command = forced_command(trainee, program)
    options = f'restrict,pty,command="{_option_quoted(command)}"'
    return f"{options} {key.type} {key.base64} trainer:{trainee}"


# ------------------------------------------------------------------ writing it


def keys_in(text: str) -> list[tuple[int, bytes]]:
    """The key blob of every key line in an ``authorized_keys`` text, with its line number
    (options skipped as sshd skips them; comments, blank and unreadable lines left out)."""
    found: list[tuple[int, bytes]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = stripped.split()
        if not _looks_like_key_type(fields[0]):
            fields = _past_options(stripped).split()
        if len(fields) >= 2 and _looks_like_key_type(fields[0]):
            blob = _decoded(fields[1])
            if blob is not None:
                found.append((number, blob))
    return found


def _looks_like_key_type(word: str) -> bool:
    return word in KEY_TYPES or word == "ssh-dss" or word.endswith("-cert-v01@openssh.com")


def _past_options(line: str) -> str:
    """The rest of a line after its options, as OpenSSH's ``sshkey_advance_past_options``
    reads them: up to the first space or tab outside double quotes, ``\\"`` not a quote."""
    quoted = False
    index = 0
    while index < len(line) and (quoted or line[index] not in " \t"):
        if line[index] == "\\" and line[index + 1 : index + 2] == '"':
            index += 1
        elif line[index] == '"':
            quoted = not quoted
        index += 1
    return line[index:].lstrip(" \t")


def default_authorized_keys() -> Path:
    """The file sshd reads for the account running this (``~/.ssh/authorized_keys``, sshd's
    default ``AuthorizedKeysFile``): run as the service account, that is the host's."""
    return Path.home() / ".ssh" / "authorized_keys"


def add_trainee_key(
    trainee: str,
    key_file: Path,
    authorized_keys: Path | None = None,
    program: Sequence[str] | None = None,
) -> str:
    """Append the line for ``trainee`` and the public key in ``key_file`` to
    ``authorized_keys`` (by default ``default_authorized_keys()``) and return it.

    Everything is checked before the file is touched. Under a lock beside the file, the
    current content plus the line is written to a temporary file in the same folder
    (mode 0600, the old file's owner kept when we may), fsynced and renamed over it, so sshd
    reads the old file or the new one, never half. A key already in the file is refused."""
    key = read_public_key(key_file)
    line = authorized_keys_line(trainee, key, program)
    target = (authorized_keys or default_authorized_keys()).resolve()
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with FileLock(f"{target}.lock", timeout=_LOCK_TIMEOUT):
            _append(target, line, key)
    except Timeout:
        raise SshKeyError(f"{target} is being changed by another command; try again") from None
    except OSError as exc:
        raise SshKeyError(f"cannot write {target}: {exc.strerror or exc}") from None
    return line


def _append(target: Path, line: str, key: PublicKey) -> None:
    try:
        old = target.read_bytes()
        owner: os.stat_result | None = target.stat()
    except FileNotFoundError:
        old, owner = b"", None
    try:
        text = old.decode("utf-8")
    except UnicodeDecodeError:
        raise SshKeyError(f"{target} is not a text file; fix or move it first") from None
    blob = key.blob
    for number, existing in keys_in(text):
        if existing == blob:
            raise SshKeyError(
                f"that key is already in {target} (line {number}); each trainee needs a key "
                "of their own, and a key is given one trainee once"
            )
    if text and not text.endswith("\n"):
        text += "\n"
    payload = (text + line + "\n").encode("utf-8")
    replace_atomically(target, payload, mode=0o600, owner=owner)
