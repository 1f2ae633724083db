"""The same host over SSH: the ``authorized_keys`` line that gives a trainee's key the app
under their name and nothing else, checked first on its own and then against a real
OpenSSH server on a loopback port (``tests/sshd_harness.py``).

The app itself (``python -m trainer.tui``) is another part's; here the forced command runs a
stand-in that prints who it was started as, what the client asked for and whether it has a
terminal, so these tests hold whatever the app does."""

from __future__ import annotations

import base64
import json
import os
import shlex
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.sshd_harness import SshServer, make_key, needs_sshd, running_sshd
from trainer.config import HOSTED, TRAINEE
from trainer.errors import InputError
from trainer.host.ssh import (
    KEY_TYPES,
    PublicKey,
    SshKeyError,
    add_trainee_key,
    app_program,
    authorized_keys_line,
    default_authorized_keys,
    forced_command,
    keys_in,
    parse_public_key,
    read_public_key,
)

STAND_IN = f"""\
import json, os, sys
print("STAND-IN " + json.dumps({{
    "trainee": os.environ.get({TRAINEE.name!r}),
    "hosted": os.environ.get({HOSTED.name!r}),
    "original": os.environ.get("SSH_ORIGINAL_COMMAND"),
    "tty": sys.stdin.isatty(),
}}), flush=True)
"""

HOSTILE_NAMES = [
    "Dana Reyes",
    "O'Brien",
    'Dana "the closer" Reyes',
    "back\\slash",
    "ends in a backslash\\",
    'quote at the end"',
    '\\" restrict',
    "'; echo pwned; '",
    '"; echo pwned; "',
    "$(echo pwned)",
    "`echo pwned`",
    "a & b | c > /tmp/x",
    "José Müller-Øre 山田",
]


def fake_key(key_type: str = "ssh-ed25519", body: bytes = b"k" * 32) -> str:
    """A public key line whose blob is shaped like OpenSSH's (type name, then data)."""
    name = key_type.encode()
    blob = len(name).to_bytes(4, "big") + name + len(body).to_bytes(4, "big") + body
    return f"{key_type} {base64.b64encode(blob).decode()} someone@laptop"


def stand_in_program(tmp_path: Path) -> tuple[str, str]:
    script = tmp_path / "stand_in.py"
    script.write_text(STAND_IN, encoding="utf-8")
    return (sys.executable, str(script))


def stand_in_report(output: str) -> dict[str, Any]:
    """What the stand-in printed; it must have printed it exactly once."""
    lines = [line for line in output.splitlines() if line.startswith("STAND-IN ")]
    assert len(lines) == 1, output
    report: dict[str, Any] = json.loads(lines[0].removeprefix("STAND-IN "))
    return report


def sshd_dequote(line: str) -> str:
    """The ``command="..."`` option of a line as OpenSSH's ``opt_dequote`` reads it: from the
    quote after ``command=`` to the next quote not escaped, ``\\"`` read as ``"``, every other
    character (a backslash too) copied."""
    start = line.index('command="') + len('command="')
    out: list[str] = []
    index = start
    while line[index] != '"':
        if line[index] == "\\" and line[index + 1] == '"':
            index += 1
        out.append(line[index])
        index += 1
    rest = line[index + 1 :]
    assert rest.startswith(" "), "the option must end where sshd ends it"
    return "".join(out)


# ------------------------------------------------------------------ the line


def test_the_line_confines_the_key_to_the_app_as_the_trainee() -> None:
    key = parse_public_key(fake_key())
    line = authorized_keys_line("Dana Reyes", key)
    python = shlex.quote(sys.executable)
    assert line == (
        f"restrict,pty,command=\"exec env {TRAINEE.name}='Dana Reyes' {HOSTED.name}=1 "
        f'{python} -m trainer.tui" ssh-ed25519 {key.base64} trainer:Dana Reyes'
    )
    assert app_program() == (sys.executable, "-m", "trainer.tui")


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_no_name_breaks_out_of_the_option_or_the_command(tmp_path: Path, name: str) -> None:
    key = parse_public_key(fake_key())
    program = stand_in_program(tmp_path)
    line = authorized_keys_line(name, key, program)
    command = sshd_dequote(line)
    assert command == forced_command(name, program)
    # The rest of the line after the option is the key and its comment, untouched.
    assert line.endswith(f'" ssh-ed25519 {key.base64} trainer:{name}')
    assert keys_in(line) == [(1, key.blob)]
    # What the account's shell makes of it: exactly the stand-in, as exactly this trainee.
    words = shlex.split(command)
    assert words == ["exec", "env", f"{TRAINEE.name}={name}", f"{HOSTED.name}=1", *program]
    done = subprocess.run(
        ["/bin/sh", "-c", command],
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": os.environ["PATH"], "SSH_ORIGINAL_COMMAND": "echo pwned"},
        check=True,
    )
    report = stand_in_report(done.stdout)
    assert report["trainee"] == name
    assert report["hosted"] == "1"
    assert len(done.stdout.splitlines()) == 1  # the stand-in's one line, and nothing ran else
    assert done.stderr == ""


@pytest.mark.parametrize("name", ["", "   ", "two\nlines", "tab\there", "esc\x1b[31m", "cr\rhere"])
def test_a_name_that_cannot_be_a_trainee_is_refused(name: str) -> None:
    with pytest.raises(InputError, match="trainee name"):
        authorized_keys_line(name, parse_public_key(fake_key()))


def test_a_program_with_a_line_break_is_refused() -> None:
    with pytest.raises(SshKeyError, match="line break"):
        forced_command("Dana", ("/usr/bin/python3\n", "-m", "trainer.tui"))


# ------------------------------------------------------------------ the key file


@pytest.mark.parametrize("key_type", KEY_TYPES)
def test_every_known_key_type_is_read_and_its_comment_dropped(key_type: str) -> None:
    key = parse_public_key(fake_key(key_type) + "\n")
    assert key.type == key_type
    assert "someone" not in authorized_keys_line("Dana", key)


PRIVATE = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "-----END OPENSSH PRIVATE KEY-----\n"
)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (PRIVATE, "private key"),
        (PRIVATE.replace("OPENSSH", "RSA"), "private key"),
        ("PuTTY-User-Key-File-3: ssh-ed25519\n", "private key"),
        ("---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----\n", "ssh-keygen -i"),
        ("", "empty"),
        ("\n  \n", "empty"),
        (fake_key() + "\n" + fake_key() + "\n", "2 lines"),
        (fake_key("ssh-dss"), "DSA"),
        ("ssh-ed25519", "no key"),
        ('command="sh" ' + fake_key(), "known key type"),
        ("ssh-ed25519 not*base64 x", "base64"),
        ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5 x", "not a ssh-ed25519 key"),  # the type, no key
        (fake_key().replace("ssh-ed25519 ", "ssh-ed25519 AAAA", 1), "not a ssh-ed25519 key"),
        (fake_key("ssh-rsa").replace("ssh-rsa ", "ssh-ed25519 ", 1), "not a ssh-ed25519 key"),
        ("hello world", "known key type"),
    ],
)
def test_anything_but_one_public_key_is_refused_saying_what_to_pass(
    tmp_path: Path, content: str, says: str
) -> None:
    path = tmp_path / "key"
    path.write_text(content, encoding="ascii")
    with pytest.raises(SshKeyError) as refused:
        read_public_key(path)
    message = refused.value.for_user()
    assert says in message
    assert ".pub" in message or "ssh-keygen" in message
    # Never a byte of what was passed: it may be a private key.
    assert "b3BlbnNzaC1rZXkt" not in message
    assert "AAAAC3NzaC1lZDI1NTE5" not in message


def test_a_missing_folder_binary_or_huge_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SshKeyError, match="no such file"):
        read_public_key(tmp_path / "absent.pub")
    with pytest.raises(SshKeyError, match="folder"):
        read_public_key(tmp_path)
    binary = tmp_path / "binary"
    binary.write_bytes(b"ssh-ed25519 \xff\xfe")
    with pytest.raises(SshKeyError, match="not a text key file"):
        read_public_key(binary)
    huge = tmp_path / "huge"
    huge.write_text("ssh-rsa " + "A" * 100_000, encoding="ascii")
    with pytest.raises(SshKeyError, match="too large"):
        read_public_key(huge)


def test_a_key_ssh_keygen_made_is_read(tmp_path: Path) -> None:
    private = make_key(tmp_path, "trainee")
    key = read_public_key(private.with_suffix(".pub"))
    assert key.type == "ssh-ed25519"
    with pytest.raises(SshKeyError, match="private key"):
        read_public_key(private)


# ------------------------------------------------------------------ writing the line


def test_the_line_is_appended_to_a_new_file_with_mode_0600(tmp_path: Path) -> None:
    pub = tmp_path / "dana.pub"
    pub.write_text(fake_key() + "\n", encoding="ascii")
    target = tmp_path / "home" / ".ssh" / "authorized_keys"
    line = add_trainee_key("Dana", pub, target)
    assert target.read_text(encoding="utf-8") == line + "\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert not [p for p in target.parent.iterdir() if p.name.endswith(".tmp")]


def test_the_default_file_is_the_accounts_own(tmp_path: Path) -> None:
    pub = tmp_path / "dana.pub"
    pub.write_text(fake_key(), encoding="ascii")
    line = add_trainee_key("Dana", pub)  # HOME is a temporary folder in every test
    assert default_authorized_keys() == Path.home() / ".ssh" / "authorized_keys"
    assert default_authorized_keys().read_text(encoding="utf-8") == line + "\n"


def test_existing_lines_are_kept_and_a_missing_last_newline_added(tmp_path: Path) -> None:
    target = tmp_path / "authorized_keys"
    own = fake_key(body=b"o" * 32)
    target.write_text("# the service account's own key\n" + own, encoding="utf-8")
    target.chmod(0o644)
    pub = tmp_path / "dana.pub"
    pub.write_text(fake_key(), encoding="ascii")
    line = add_trainee_key("Dana", pub, target)
    assert target.read_text(encoding="utf-8") == (
        f"# the service account's own key\n{own}\n{line}\n"
    )
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_key_already_in_the_file_is_refused_for_any_trainee(tmp_path: Path) -> None:
    target = tmp_path / "authorized_keys"
    pub = tmp_path / "dana.pub"
    pub.write_text(fake_key(), encoding="ascii")
    add_trainee_key('Dana "x" Reyes', pub, target)
    before = target.read_bytes()
    for name in ('Dana "x" Reyes', "Sam"):
        with pytest.raises(SshKeyError, match=r"already in .*line 1"):
            add_trainee_key(name, pub, target)
    assert target.read_bytes() == before
    # Another trainee's own key goes in.
    other = tmp_path / "sam.pub"
    other.write_text(fake_key(body=b"s" * 32), encoding="ascii")
    add_trainee_key("Sam", other, target)
    assert len(keys_in(target.read_text(encoding="utf-8"))) == 2


def test_a_key_behind_options_with_quoted_spaces_counts_as_in_the_file(tmp_path: Path) -> None:
    key = parse_public_key(fake_key())
    target = tmp_path / "authorized_keys"
    target.write_text(
        f'from="10.0.0.1",command="echo \\"a b\\" c" {key.type} {key.base64} old\n'
        "not a key line at all\n",
        encoding="utf-8",
    )
    pub = tmp_path / "dana.pub"
    pub.write_text(fake_key(), encoding="ascii")
    with pytest.raises(SshKeyError, match="line 1"):
        add_trainee_key("Dana", pub, target)


def test_nothing_is_written_when_the_name_or_the_key_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "authorized_keys"
    pub = tmp_path / "dana.pub"
    pub.write_text(PRIVATE, encoding="ascii")
    with pytest.raises(SshKeyError):
        add_trainee_key("Dana", pub, target)
    pub.write_text(fake_key(), encoding="ascii")
    with pytest.raises(InputError):
        add_trainee_key("two\nlines", pub, target)
    assert not target.exists()


def test_concurrent_invites_lose_no_line(tmp_path: Path) -> None:
    target = tmp_path / "authorized_keys"
    keys = []
    for number in range(8):
        pub = tmp_path / f"t{number}.pub"
        pub.write_text(fake_key(body=bytes([number]) * 32), encoding="ascii")
        keys.append(pub)
    threads = [
        threading.Thread(target=add_trainee_key, args=(f"t{n}", pub, target))
        for n, pub in enumerate(keys)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys_in(target.read_text(encoding="utf-8"))) == 8


def test_a_public_key_blob_round_trips() -> None:
    key = parse_public_key(fake_key())
    assert isinstance(key, PublicKey)
    assert key.blob.startswith(b"\x00\x00\x00\x0bssh-ed25519")


# ------------------------------------------------------------------ a real OpenSSH server


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    if os.geteuid() != 0 and not Path("/run/sshd").exists():
        pytest.skip("sshd needs /run/sshd, which only root can create")  # pragma: no cover
    with running_sshd(tmp_path_factory.mktemp("sshd")) as server:
        yield server


NAME = 'Dana "the closer" O\'Brien \\ $(echo pwned)'


@pytest.fixture(scope="module")
def stand_in(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return stand_in_program(tmp_path_factory.mktemp("stand_in"))


@pytest.fixture
def trainee_key(sshd: SshServer, stand_in: tuple[str, str], tmp_path: Path) -> Path:
    """A fresh key for the trainee ``NAME``, the only line in the server's file."""
    sshd.authorized_keys.write_text("", encoding="utf-8")
    private = make_key(tmp_path, "trainee")
    add_trainee_key(NAME, private.with_suffix(".pub"), sshd.authorized_keys, stand_in)
    return private


@needs_sshd
def test_a_trainees_key_opens_the_app_as_that_trainee_on_a_terminal(
    sshd: SshServer, trainee_key: Path
) -> None:
    done = sshd.run(trainee_key, "-tt")
    assert done.returncode == 0, (done, sshd.log[-20:])
    assert stand_in_report(done.stdout) == {
        "trainee": NAME,
        "hosted": "1",
        "original": None,
        "tty": True,
    }


@needs_sshd
@pytest.mark.parametrize(
    "asked",
    [
        ["id"],
        ["sh", "-c", "'echo pwned'"],
        ["echo pwned; id"],
        ["-tt", "--", "id"],
        ["-s", "--", "sftp"],
    ],
    ids=["id", "sh -c", "two commands", "id on a terminal", "sftp subsystem"],
)
def test_asking_for_another_command_still_runs_only_the_app(
    sshd: SshServer, trainee_key: Path, tmp_path: Path, asked: list[str]
) -> None:
    marker = tmp_path / "touched"
    args = asked if "--" in asked else ["--", *asked]
    done = sshd.run(trainee_key, *args)
    output = done.stdout + done.stderr
    report = stand_in_report(done.stdout)
    assert report["trainee"] == NAME
    assert report["original"]  # what was asked reached sshd, and was only reported
    # Nothing but the stand-in's one line: no command's output, no pwned, no uid=.
    others = [line for line in output.splitlines() if line and not line.startswith("STAND-IN ")]
    assert others == []
    assert "uid=" not in output
    done = sshd.run(trainee_key, "--", f"touch {marker}")
    assert stand_in_report(done.stdout)["original"] == f"touch {marker}"
    assert not marker.exists()


@needs_sshd
def test_local_port_forwarding_is_refused(sshd: SshServer, trainee_key: Path) -> None:
    secret = socket.socket()
    secret.bind(("127.0.0.1", 0))
    secret.listen()
    secret.settimeout(0.5)
    target = secret.getsockname()[1]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        local = probe.getsockname()[1]
    forwarding = subprocess.Popen(
        sshd.client(
            trainee_key,
            "-N",
            "-o",
            "ExitOnForwardFailure=yes",
            "-L",
            f"{local}:127.0.0.1:{target}",
            log_level="INFO",
        ),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        received = _through_forwarding(local)
        with pytest.raises(TimeoutError):
            secret.accept()  # nothing reached the service behind the forwarding
    finally:
        forwarding.terminate()
        _, err = forwarding.communicate(timeout=10)
        secret.close()
    assert received == b""
    assert b"administratively prohibited" in err, err
    assert any("refused local port forward" in line for line in sshd.log), sshd.log[-10:]


def _through_forwarding(port: int) -> bytes:
    """What a connection to the client's forwarded port reads (once ssh listens there)."""
    deadline = time.monotonic() + 20
    while True:
        try:
            connection = socket.create_connection(("127.0.0.1", port), timeout=10)
            break
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    with connection:
        connection.sendall(b"hello\n")
        try:
            return connection.recv(100)
        except ConnectionResetError:
            return b""


@needs_sshd
def test_remote_port_forwarding_is_refused(sshd: SshServer, trainee_key: Path) -> None:
    done = sshd.run(
        trainee_key, "-N", "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:9", timeout=30
    )
    assert done.returncode != 0
    assert "remote port forwarding failed" in done.stderr, done


@needs_sshd
def test_a_key_not_in_the_file_is_refused(
    sshd: SshServer, trainee_key: Path, tmp_path: Path
) -> None:
    stranger = make_key(tmp_path, "stranger")
    done = sshd.run(stranger, "-tt")
    assert done.returncode == 255
    assert "Permission denied (publickey)" in done.stderr
    assert "STAND-IN" not in done.stdout


def test_trainer_host_invite_with_an_ssh_key_writes_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`trainer host invite NAME --ssh-key FILE` is the manager's way in: one line for NAME
    in the given authorized_keys, printed; a private key is refused with exit 1; and
    --authorized-keys alone is a wrong command line."""
    from tests.cli_helpers import run

    private = make_key(tmp_path, "ana")
    public = private.with_name("ana.pub")
    keys = tmp_path / "authorized_keys"
    code, out, err = run(
        capsys, "host", "invite", "Ana", "--ssh-key", str(public), "--authorized-keys", str(keys)
    )
    assert code == 0, err
    assert out.strip() == keys.read_text().strip()
    assert out.startswith("restrict,pty,command=") and out.strip().endswith("trainer:Ana")
    code, _, err = run(
        capsys, "host", "invite", "Bo", "--ssh-key", str(private), "--authorized-keys", str(keys)
    )
    assert code == 1 and "private key" in err
    assert keys.read_text().count("\n") == 1
    code, _, err = run(capsys, "host", "invite", "Bo", "--authorized-keys", str(keys))
    assert code == 2 and "--ssh-key" in err
