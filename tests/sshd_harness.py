"""A real OpenSSH server on 127.0.0.1, for the tests of the SSH recipe (``trainer/host/ssh.py``).

Debian's ``openssh-server`` provides ``/usr/sbin/sshd`` (``.ci/run`` installs it when it is
missing and CI runs as root); without it the tests that use ``running_sshd`` are skipped,
saying so. The server runs in the foreground (``sshd -D -e``) on a free loopback port with
everything of its own in one temporary folder: a fresh host key, a config that reads only
the given ``authorized_keys`` (``StrictModes no``, since a test's temporary folders are not
the 0700 ``~/.ssh`` sshd insists on; no PAM, no passwords) and leaves forwarding allowed,
so a forwarding refused in a test was refused by the key's own ``restrict``. The client is
``ssh`` with no system config, no agent and no known-hosts file, logging in as the current
user with exactly the key it is given.
"""

from __future__ import annotations

import os
import pwd
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser import free_port

SSHD = Path("/usr/sbin/sshd")
PRIVSEP_DIR = Path("/run/sshd")
START_TIMEOUT = 20.0
COMMAND_TIMEOUT = 30.0

needs_sshd = pytest.mark.skipif(
    not SSHD.exists(),
    reason=f"{SSHD} is missing: install Debian's openssh-server (.ci/run does, as root)",
)


def make_key(directory: Path, name: str) -> Path:
    """A new passphrase-less ed25519 key pair in ``directory``; the private key's path (the
    public key is beside it, with ``.pub``)."""
    path = directory / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)],
        check=True,
        capture_output=True,
        timeout=COMMAND_TIMEOUT,
    )
    return path


@dataclass
class SshServer:
    """A running sshd: where it listens, the ``authorized_keys`` file it reads on every
    login, and what it has logged so far."""

    port: int
    authorized_keys: Path
    folder: Path
    log: list[str] = field(default_factory=list)

    @property
    def user(self) -> str:
        return pwd.getpwuid(os.geteuid()).pw_name

    def client(self, key: Path, *args: str, log_level: str = "ERROR") -> list[str]:
        """The ``ssh`` command line that logs in with ``key``; ``args`` go before the
        destination (options) or after it: pass ``"--"`` to separate them. ``log_level``
        ``INFO`` lets the client say what the server refused."""
        options, remote = _split(args)
        return [
            "ssh",
            "-F",
            "/dev/null",
            "-i",
            str(key),
            "-p",
            str(self.port),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "IdentityAgent=none",
            "-o",
            "ConnectTimeout=10",
            "-o",
            f"LogLevel={log_level}",
            *options,
            f"{self.user}@127.0.0.1",
            *remote,
        ]

    def run(self, key: Path, *args: str, timeout: float = COMMAND_TIMEOUT) -> Completed:
        """Run ``ssh`` to the end; stdout and stderr as text, with a pty's ``\\r\\n`` read
        as ``\\n``."""
        done = subprocess.run(
            self.client(key, *args),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        return Completed(
            done.returncode,
            done.stdout.decode("utf-8", "replace").replace("\r\n", "\n"),
            done.stderr.decode("utf-8", "replace").replace("\r\n", "\n"),
        )


@dataclass(frozen=True)
class Completed:
    returncode: int
    stdout: str
    stderr: str


def _split(args: Sequence[str]) -> tuple[list[str], list[str]]:
    if "--" in args:
        at = list(args).index("--")
        return list(args[:at]), list(args[at + 1 :])
    return list(args), []


def _config(
    folder: Path, host_key: Path, authorized_keys: Path, environment: Mapping[str, str]
) -> str:
    return "\n".join(
        [
            # A service account's own settings (its store, its folders), as its login would
            # have them; a forced command's ``env`` adds the trainee on top.
            *(f'SetEnv "{name}={value}"' for name, value in environment.items()),
            "ListenAddress 127.0.0.1",
            f"HostKey {host_key}",
            f"PidFile {folder / 'sshd.pid'}",
            f"AuthorizedKeysFile {authorized_keys}",
            "AuthorizedKeysCommand none",
            "StrictModes no",
            "UsePAM no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PubkeyAuthentication yes",
            "PermitRootLogin prohibit-password",
            # Allowed here so that a refusal in a test is the key's `restrict`, not this file.
            "AllowTcpForwarding yes",
            "AllowAgentForwarding yes",
            "PermitTunnel no",
            "X11Forwarding no",
            "UseDNS no",
            "PrintMotd no",
            "PrintLastLog no",
            "Subsystem sftp internal-sftp",
            "LogLevel VERBOSE",
            "",
        ]
    )


@contextmanager
def running_sshd(folder: Path, environment: Mapping[str, str] | None = None) -> Iterator[SshServer]:
    """sshd on a free loopback port, configured in ``folder``; stopped on exit.
    ``environment``: variables every session gets (sshd's ``SetEnv``), so a test can give
    the real app a store and a HOME of its own instead of the account's."""
    if not PRIVSEP_DIR.exists() and os.geteuid() == 0:
        PRIVSEP_DIR.mkdir(mode=0o755, parents=True, exist_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    host_key = make_key(folder, "host_ed25519")
    authorized_keys = folder / "authorized_keys"
    authorized_keys.touch(mode=0o600)
    config = folder / "sshd_config"
    config.write_text(
        _config(folder, host_key, authorized_keys, environment or {}), encoding="utf-8"
    )
    for _ in range(3):  # a port taken between free_port() and sshd's bind: try another
        server = SshServer(free_port(), authorized_keys, folder)
        process = subprocess.Popen(
            [str(SSHD), "-D", "-e", "-f", str(config), "-p", str(server.port)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        listening = threading.Event()
        reader = threading.Thread(
            target=_read_log, args=(process, server.log, listening), daemon=True
        )
        reader.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not listening.is_set() and process.poll() is None:
            if time.monotonic() > deadline:
                break
            listening.wait(0.05)
        if listening.is_set():
            break
        _stop(process)
        reader.join(5)
        if not any("Address already in use" in line for line in server.log):
            raise RuntimeError("sshd did not start:\n" + "\n".join(server.log))
    else:
        raise RuntimeError("sshd found no free port:\n" + "\n".join(server.log))
    try:
        yield server
    finally:
        _stop(process)
        reader.join(5)


def _read_log(process: subprocess.Popen[bytes], log: list[str], listening: threading.Event) -> None:
    assert process.stderr is not None
    for raw in process.stderr:
        line = raw.decode("utf-8", "replace").rstrip()
        log.append(line)
        if line.startswith("Server listening on 127.0.0.1"):
            listening.set()


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
