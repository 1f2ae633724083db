"""The real app over SSH (issue 15, part 7, "Done when"): a trainee's key, written into
``authorized_keys`` by ``trainer host invite NAME --ssh-key FILE --authorized-keys FILE``,
logs in to a real OpenSSH server on a loopback port (``tests/sshd_harness.py``) and gets
``python -m trainer.tui`` itself, on a terminal, under that trainee's name: the library is
drawn, and the Settings screen names the trainee. Asking for another command (``id``)
still gets the app and nothing else.

``tests/test_host_ssh.py`` checks the line itself with a stand-in program; this file is
the same line with the real app behind it, read from the pty the way a trainee's terminal
would show it."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import HARNESS_VARIABLES, PRODUCT_PREFIXES
from tests.sshd_harness import SshServer, make_key, needs_sshd, running_sshd
from trainer.config import STORE

NAME = "Dana O'Brien"
TITLE = "Cold call to a cold-chain operations director"
CONTROL_SEQUENCE = re.compile(
    r"\x1b(?:\[[0-9;?<>=$]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])"
)
SCREEN_TIMEOUT = 30.0
COLUMNS, ROWS = 120, 36

pytestmark = [pytest.mark.slow, needs_sshd]


@pytest.fixture(scope="module")
def account(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The service account's own folders: a store and a HOME no test shares."""
    return tmp_path_factory.mktemp("account")


@pytest.fixture(scope="module")
def sshd(account: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    if os.geteuid() != 0 and not Path("/run/sshd").exists():
        pytest.skip("sshd needs /run/sshd, which only root can create")  # pragma: no cover
    home = account / "home"
    environment = {STORE.name: str(account / "store"), "HOME": str(home)}
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        environment[name] = str(home / name.lower())
    with running_sshd(tmp_path_factory.mktemp("sshd"), environment) as server:
        yield server


@pytest.fixture(scope="module")
def trainee_key(sshd: SshServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``NAME``'s key, put in the server's file by the manager's command."""
    private = make_key(tmp_path_factory.mktemp("keys"), "dana")
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(PRODUCT_PREFIXES) or name in HARNESS_VARIABLES
    }
    invite = ["host", "invite", NAME, "--ssh-key", str(private.with_suffix(".pub"))]
    done = subprocess.run(
        [sys.executable, "-m", "trainer", *invite, "--authorized-keys", str(sshd.authorized_keys)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == sshd.authorized_keys.read_text(encoding="utf-8").strip()
    assert " -m trainer.tui" in done.stdout  # the real app, not a stand-in
    return private


class Terminal:
    """``ssh`` on a pty of its own (as a trainee's terminal runs it): what the app draws
    is read from the pty, keys are written to it."""

    def __init__(self, argv: list[str]) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        env = dict(os.environ, TERM="xterm-256color")
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.received = b""

    def text(self) -> str:
        """Everything drawn so far, control sequences removed."""
        return CONTROL_SEQUENCE.sub("", self.received.decode("utf-8", "replace"))

    def read(self, wait: float) -> None:
        ready, _, _ = select.select([self.master], [], [], wait)
        if ready:
            try:
                self.received += os.read(self.master, 65536)
            except OSError:  # the other side closed
                time.sleep(wait)

    def wait_for(self, text: str, timeout: float = SCREEN_TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.text():
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} was not drawn in {timeout} s:\n{self.text()}")
            if self.process.poll() is not None:
                self.read(0.1)
                if text in self.text():
                    break
                raise AssertionError(f"ssh ended ({self.process.returncode}):\n{self.text()}")
            self.read(0.1)
        return self.text()

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def settle(self, quiet: float = 0.5, timeout: float = SCREEN_TIMEOUT) -> None:
        """Until nothing new is drawn for ``quiet`` seconds: a key sent while the app is
        still starting (its first frame is drawn before it reads keys) may be lost."""
        deadline = time.monotonic() + timeout
        size, since = len(self.received), time.monotonic()
        while time.monotonic() - since < quiet and time.monotonic() < deadline:
            if self.process.poll() is not None:
                return
            self.read(0.05)
            if len(self.received) != size:
                size, since = len(self.received), time.monotonic()

    def close(self) -> None:
        if self.process.poll() is None:
            self.settle()
            self.send("\x11")  # Ctrl+Q: the app's own quit
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.terminate()
                self.process.wait(10)
        os.close(self.master)


def logged_in(sshd: SshServer, key: Path, *remote: str) -> Terminal:
    args = ["-tt", "--", *remote] if remote else ["-tt"]
    return Terminal(sshd.client(key, *args))


def test_a_trainees_key_gets_the_real_app_under_that_trainees_name(
    sshd: SshServer, trainee_key: Path, account: Path
) -> None:
    terminal = logged_in(sshd, trainee_key)
    try:
        terminal.wait_for(TITLE)
        terminal.send("s")
        settings = terminal.wait_for("cannot be changed")
        assert NAME in settings, settings
    finally:
        terminal.close()
    assert terminal.process.returncode == 0, terminal.text()
    assert (account / "store").is_dir()  # the account's store, not the login's own


def test_asking_for_another_command_still_gets_only_the_app(
    sshd: SshServer, trainee_key: Path
) -> None:
    terminal = logged_in(sshd, trainee_key, "id")
    try:
        drawn = terminal.wait_for(TITLE)
    finally:
        terminal.close()
    assert terminal.process.returncode == 0, terminal.text()
    assert "uid=" not in drawn and "uid=" not in terminal.text()
