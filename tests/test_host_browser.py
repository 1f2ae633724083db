"""``trainer host`` end to end in a real headless Chromium (issue 15, "Done when").

One host per module: ``trainer host serve`` as a real subprocess on 127.0.0.1 (a free port,
``--max-sessions 1``), with its own HOME, config and data folders and an organisation key in
its environment, as a team would run it. Trainees are invited with ``trainer host invite``
and revoked with ``trainer host revoke``, both run as commands on the host; managers read
results with ``trainer report``, ``verify`` and ``export``, run the same way on the same
store.

- A trainee's link shows the library; the trainee plays a practice call to the debrief,
  downloads its Markdown export (the transcript, and no fact the trainee did not earn),
  then takes a certification attempt (confirm, play, end, verdict); ``trainer report`` on
  the host shows both results, the certification confirmed by the signed ledger.
- A wrong token, a revoked token and a full host each show their page and start no app.
- The library, as the trainee sees it, is saved as ``docs/images/browser.png`` (the
  README's "Run it for your team" shows it).
- The tokens and the organisation key are in no file under the host's folders, no line
  the host logged, no page it served and no export (bytes grepped).

The browser, the host and the trainee's journey are made once for the module (about 15 s
together on a 2-core machine); each test reads what it needs from them. With ``-n 2`` a
second worker that gets one of these tests builds its own, which is slower but not wrong.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from tests.browser import Download, Served, TerminalPage, free_port, launched, serving
from tests.conftest import HARNESS_VARIABLES, PRODUCT_PREFIXES
from tests.test_tui import TURNS
from trainer.config import ORG_KEY, STORE
from trainer.content.finder import open_library
from trainer.content.models import HiddenFact
from trainer.engine.scoring import fact_label
from trainer.host.invites import host_folder
from trainer.reports.report import NOTE_SIGNED

REPO = Path(__file__).resolve().parents[1]
SCREENSHOT = REPO / "docs" / "images" / "browser.png"
SCENARIO = "cold-call-cold-chain"
TITLE = "Cold call to a cold-chain operations director"
TRAINEE = "Ana Silva"
REVOKED = "Ben Ode"
OTHER = "Cy Park"
"""Ana plays; Ben's link is revoked; Cy finds the host full while Ana's app runs."""

COMMAND_TIMEOUT = 60.0

pytestmark = pytest.mark.slow


# ---------------------------------------------------------------------- the host


@dataclass
class Host:
    """The running host: its folders, its environment, its trainees' links."""

    root: Path
    env: dict[str, str]
    served: Served
    links: dict[str, str]
    org_key: str
    pages: dict[str, bytes] = field(default_factory=dict)
    """Raw HTML the host served (by a label), for the secrets test."""

    @property
    def store(self) -> Path:
        return Path(self.env[STORE.name])

    @property
    def base(self) -> str:
        return self.served.url

    def tokens(self) -> dict[str, str]:
        return {name: link.rsplit("/", 1)[1] for name, link in self.links.items()}

    def trainer(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """A ``trainer`` command run on the host, as its manager would (same store, key)."""
        return trainer_command(self.env, *args, check=check)

    def get(self, path: str) -> tuple[int, bytes]:
        """A plain HTTP GET (no browser, no websocket: a page alone starts no app)."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return int(response.status), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def apps(self) -> list[int]:
        """The app processes the host runs now (its children)."""
        found: list[int] = []
        for task in Path(f"/proc/{self.served.process.pid}/task").iterdir():
            found.extend(int(pid) for pid in (task / "children").read_text().split())
        return found

    def sessions_started(self) -> int:
        return self.served.output.count("session started:")

    def wait_for_room(self, timeout: float = 30.0) -> None:
        """Until the host has a free place: the last browser's app has ended and been
        waited for (the host frees a place only then), so the next link is not "full"."""
        deadline = time.monotonic() + timeout
        path = "/t/" + self.tokens()[TRAINEE]
        while True:
            status, _ = self.get(path)
            if status == 200 and not self.apps():
                return
            if time.monotonic() > deadline:
                pytest.fail(f"the host stayed full for {timeout} s:\n{self.served.output}")
            time.sleep(0.1)


def trainer_command(
    env: dict[str, str], *args: str, check: bool = True
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "trainer", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
        cwd=REPO,
    )
    if check and done.returncode != 0:
        pytest.fail(f"trainer {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return done


def host_environment(root: Path, org_key: str) -> dict[str, str]:
    """This interpreter's environment with none of the developer's product settings, a
    HOME and XDG folders of the host's own, its store, and the organisation key."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(PRODUCT_PREFIXES) or name in HARNESS_VARIABLES
    }
    home = root / "home"
    env["HOME"] = str(home)
    for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env[name] = str(home / name.lower())
    env[STORE.name] = str(root / "data" / "store")
    env[ORG_KEY.name] = org_key
    return env


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with launched() as browser:
        yield browser


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> Iterator[Host]:
    """``trainer host serve`` on a free port of 127.0.0.1, one place, three invited
    trainees. (It asks for the browser first, so a machine without Chromium skips before
    a host is started.)"""
    root = tmp_path_factory.mktemp("host")
    org_key = "org-" + secrets.token_urlsafe(24)
    env = host_environment(root, org_key)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    links = {}
    for name in (TRAINEE, REVOKED, OTHER):
        done = trainer_command(env, "host", "invite", name, "--public-url", base)
        links[name] = done.stdout.strip()
        assert links[name].startswith(f"{base}/t/"), done
    argv = [sys.executable, "-m", "trainer", "host", "serve", "--port", str(port)]
    argv += ["--max-sessions", "1"]
    with serving(argv, port, env, root / "host.log", cwd=REPO) as served:
        yield Host(root, env, served, links, org_key)


# ---------------------------------------------------------------------- the trainee's journey


@dataclass
class Journey:
    """What one trainee's practice call and certification attempt left behind."""

    library: str
    screens: list[str]
    markdown: Download
    practice_id: str
    certification_verdict: str
    page_html: str
    shot: Path


def play(terminal: TerminalPage, line: str) -> str:
    """Say ``line`` and wait until the buyer has answered it (the screen has settled
    with the line on it and the input empty again)."""
    terminal.type(line)
    terminal.press("enter")
    terminal.wait_for(line[:60])
    return terminal.settle(quiet=0.5)


@pytest.fixture(scope="module")
def journey(host: Host, browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Journey:
    """Ana opens her link, practises to the debrief, downloads the Markdown export, then
    takes a certification attempt to its verdict: all in the browser, over the host."""
    host.wait_for_room()
    screens: list[str] = []
    with TerminalPage.opened(browser, host.links[TRAINEE]) as terminal:
        library = terminal.wait_for(TITLE)
        shot = terminal.screenshot(tmp_path_factory.mktemp("shots") / "library.png")
        library = terminal.screen()
        page_html = terminal.page.content()

        terminal.press("enter")
        screens.append(terminal.wait_for("Start the call"))
        terminal.press("enter")
        terminal.wait_for("Say something to the buyer")
        for line in (TURNS[0], TURNS[2]):
            screens.append(play(terminal, line))
        terminal.press("ctrl+e")
        screens.append(terminal.wait_for("Session score"))
        screens.append(terminal.settle())
        markdown = terminal.download(lambda: terminal.press("m"))

        terminal.press("escape")
        terminal.wait_until_gone("Session score")
        terminal.press("c")
        screens.append(terminal.wait_for("Certification · Attempt 1 of 3"))
        terminal.press("enter")
        screens.append(terminal.wait_for("Start certification attempt 1 of 3?"))
        terminal.press("y")
        terminal.wait_for("Certification attempt: no verdicts")
        screens.append(play(terminal, TURNS[1]))
        terminal.press("ctrl+e")
        screens.append(terminal.wait_for("Press Ctrl+E again to end the attempt"))
        terminal.press("ctrl+e")
        verdict = terminal.wait_for("Certification: ")
        screens.append(terminal.settle())
    found = re.search(r"^- Session: `([0-9a-f]{32})`$", markdown.text, re.MULTILINE)
    assert found is not None, markdown.text
    return Journey(
        library=library,
        screens=screens,
        markdown=markdown,
        practice_id=found.group(1),
        certification_verdict=verdict,
        page_html=page_html,
        shot=shot,
    )


def hidden_facts() -> list[HiddenFact]:
    return open_library(None).resolve(SCENARIO).persona.hidden_facts


def earned_in(document: dict[str, object]) -> set[str]:
    """The facts the buyer disclosed in a session, from the manager's JSON export."""
    turns = document.get("turns")
    assert isinstance(turns, list) and turns, document
    return {str(fact) for turn in turns for fact in (turn.get("disclosed_now") or ())}


def test_a_trainees_link_shows_the_library_as_that_trainee(host: Host, journey: Journey) -> None:
    assert TITLE in journey.library
    assert "Dana Okafor" in journey.library and "Practise" in journey.library
    assert journey.shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    SCREENSHOT.write_bytes(journey.shot.read_bytes())
    assert f"session started: {TRAINEE}" in host.served.output


def test_the_practice_call_reaches_the_debrief_and_downloads_its_markdown(
    host: Host, journey: Journey
) -> None:
    debrief = "\n".join(journey.screens)
    assert "Session score" in debrief and "Facts you learned:" in debrief
    markdown = journey.markdown
    assert markdown.filename.startswith("trainer-cold-call-cold-chain-")
    assert markdown.filename.endswith(".md")
    assert f"{host.base}/download/" in markdown.url
    text = markdown.text
    assert f"- Trainee: {TRAINEE}" in text and "- Mode: practice" in text
    assert "## Conversation" in text and TURNS[0] in text and TURNS[2] in text
    assert "- missed: a fact you did not find out (hint: " in text
    # The manager's own export (on the host) says which facts the buyer disclosed.
    done = host.trainer("export", journey.practice_id, "--format", "json", "--trainee", TRAINEE)
    earned = earned_in(json.loads(done.stdout))
    facts = hidden_facts()
    assert earned and len(earned) < len(facts)
    for fact in facts:
        if fact.id in earned:
            assert fact.fact in text
        else:
            for words in (fact.fact, fact_label(fact), fact.reveal.strip()):
                assert words not in text, (fact.id, words)
    # Delivered to the browser, never written on the host.
    for folder in (host.root / "data", host.root / "home"):
        assert not list(folder.rglob("*.md")), folder


def test_the_certification_attempt_ends_in_a_verdict(journey: Journey) -> None:
    assert "Certification: NOT PASSED" in journey.certification_verdict
    assert "too short to judge" in journey.certification_verdict


def test_trainer_report_on_the_host_shows_the_trainees_results_confirmed_by_the_ledger(
    host: Host, journey: Journey
) -> None:
    report = json.loads(host.trainer("report", "--json").stdout)
    (row,) = [r for r in report["trainees"] if r["trainee"] == TRAINEE]
    assert row["attempts"] == 2 and row["finished"] == 2
    assert row["certification_attempts"] == 1 and row["passed"] == 0
    # the certification matches the ledger the organisation key signed; the practice
    # call is the one unsigned result, as on any machine
    assert row["unconfirmed"] == 0 and row["unsigned"] == 1
    assert report["findings"] == [] and report["note"].startswith(NOTE_SIGNED)
    by_mode = {}
    for mode in ("practice", "certification"):
        done = host.trainer("report", "--json", "--mode", mode)
        (by_mode[mode],) = json.loads(done.stdout)["trainees"]
    assert by_mode["practice"]["attempts"] == 1 and by_mode["practice"]["best"] is not None
    assert by_mode["certification"]["certification_attempts"] == 1
    table = host.trainer("report").stdout
    assert TRAINEE in table
    verified = host.trainer("verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "1 certification record checked: all check out" in verified.stdout
    # the ledger is signed with the host's key: a wrong key does not check out
    wrong = dict(host.env, **{ORG_KEY.name: "not-the-organisation-key"})
    refused = trainer_command(wrong, "verify", check=False)
    assert refused.returncode != 0, refused.stdout


# ---------------------------------------------------------------------- pages that start nothing


def refused_in_the_browser(host: Host, browser: Browser, url: str, says: str) -> str:
    """Open ``url``; it must show ``says`` on a page with no terminal and start no app."""
    host.wait_for_room()
    started = host.sessions_started()
    with TerminalPage.opened(browser, url, terminal=False) as page:
        text = page.text()
        assert says in text, text
        page.page.wait_for_timeout(300)  # a websocket would have been opened by now
        assert not page.has_terminal()
        html = page.page.content()
    assert host.sessions_started() == started
    assert not host.apps()
    return html


def test_a_wrong_token_gets_the_refusal_page_and_starts_no_app(
    host: Host, browser: Browser
) -> None:
    wrong = secrets.token_urlsafe(32)
    html = refused_in_the_browser(
        host, browser, f"{host.base}/t/{wrong}", "This link does not open a session"
    )
    status, raw = host.get(f"/t/{wrong}")
    assert status == 403 and b"does not open a session" in raw
    host.pages["wrong token"] = raw + html.encode()


def test_a_revoked_token_gets_the_refusal_page_and_starts_no_app(
    host: Host, browser: Browser
) -> None:
    link = host.links[REVOKED]
    path = link.removeprefix(host.base)
    assert host.get(path)[0] == 200  # the link worked until now
    done = host.trainer("host", "revoke", REVOKED)
    assert "no longer opens a session" in done.stdout
    html = refused_in_the_browser(host, browser, link, "This link does not open a session")
    status, raw = host.get(path)
    assert status == 403
    host.pages["revoked"] = raw + html.encode()
    listed = host.trainer("host", "list", "--json").stdout
    assert REVOKED not in [entry["name"] for entry in json.loads(listed)]


def test_a_full_host_says_so_and_starts_no_app(host: Host, browser: Browser) -> None:
    host.wait_for_room()
    with TerminalPage.opened(browser, host.links[TRAINEE]) as terminal:
        terminal.wait_for(TITLE)
        (running,) = host.apps()
        started = host.sessions_started()
        with TerminalPage.opened(browser, host.links[OTHER], terminal=False) as page:
            text = page.text()
            assert "The host is full, try again in a minute" in text, text
            page.page.wait_for_timeout(300)
            assert not page.has_terminal()
            html = page.page.content()
        assert host.apps() == [running]
        assert host.sessions_started() == started
        status, raw = host.get(host.links[OTHER].removeprefix(host.base))
        assert status == 503
        host.pages["full"] = raw + html.encode()
        terminal.wait_for(TITLE)  # Ana's app is untouched
    host.wait_for_room()  # and Cy's link works once Ana's place is free
    assert host.get(host.links[OTHER].removeprefix(host.base))[0] == 200


# ---------------------------------------------------------------------- secrets


def test_no_token_and_no_organisation_key_in_any_file_log_page_or_export(
    host: Host, journey: Journey
) -> None:
    tokens = host.tokens()
    secrets_ = [*tokens.values(), host.org_key]
    # Manager-side exports on the host, to files, beside the trainee's download.
    exports = host.root / "exports"
    exports.mkdir(exist_ok=True)
    host.trainer("export", journey.practice_id, "--trainee", TRAINEE, "-o", str(exports / "p.md"))
    host.trainer(
        "export",
        journey.practice_id,
        "--trainee",
        TRAINEE,
        "--format",
        "json",
        "-o",
        str(exports / "p.json"),
    )
    host.trainer("export", "--xapi", "-o", str(exports / "xapi.json"))
    downloads = host.root / "downloads"
    downloads.mkdir(exist_ok=True)
    (downloads / journey.markdown.filename).write_bytes(journey.markdown.content)
    # The pages the tests above collected (refusals, the full page) and, fetched here
    # whichever ran, the root page and a refusal.
    for label, address in (("root", "/"), ("wrong", "/t/" + "x" * 43)):
        host.pages[label] = host.get(address)[1]

    files = [p for p in host.root.rglob("*") if p.is_file()]
    assert any(p.name == "invites.json" for p in files)
    assert any(host.store in p.parents for p in files)
    assert host_folder(host.store).exists()
    for file in files:  # data (store, host/), HOME and config, exports, the host's log
        content = file.read_bytes()
        for secret in secrets_:
            assert secret.encode() not in content, (file, "holds a secret")
    logged = host.served.output
    assert "session started" in logged
    for secret in secrets_:
        assert secret not in logged
        assert secret.encode() not in journey.markdown.content
        for label, raw in host.pages.items():
            assert secret.encode() not in raw, label
        for screen in [journey.library, *journey.screens]:
            assert secret not in screen
    # The link's own page names its own websocket, which holds its token (the address
    # bar does too); nothing else on it does, and no other trainee's token or the key.
    own = tokens[TRAINEE]
    page = journey.page_html.replace(f"/t/{own}/ws", "/t/TOKEN/ws")
    for secret in secrets_:
        assert secret not in page
