"""One stored session as a JSON document or a Markdown page a trainee can keep or share.

Exports carry what the trainee and their coach need and nothing about the machine: no
owner host or process id, and never a key (none is ever stored).

A session file sits in the trainee's own folder, so given what the ledger says of it
(a ``Confirmation``), a certification's verdict is the ledger's, one that disagrees is
shown as a finding and not as passed, and a practice session says it is not signed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from trainer.content.library import Library
from trainer.engine.ports import ENDINGS
from trainer.engine.unearned import Unearned
from trainer.store.ledger import Ledger
from trainer.store.records import SessionHeader
from trainer.store.repository import Store, StoredSession
from trainer.store.signed import Confirmation, read_ledger
from trainer.text import criterion_average, json_text, markdown_escape, markdown_inline, printable

EXPORT_FORMAT = "trainer-session"
EXPORT_VERSION = 1
HEADER_FIELDS = (
    "trainee",
    "scenario",
    "title",
    "persona",
    "mode",
    "attempt",
    "started_at",
    "ended_at",
    "status",
    "ended_by",
    "backend",
    "content_hashes",
    "opening",
    "outcome",
    "certification",
)


PRACTICE_UNSIGNED = (
    "Practice session: this score is not signed; it comes from the trainee's own files "
    "and could have been edited."
)


def session_document(
    stored: StoredSession, status: str | None = None, confirmation: Confirmation | None = None
) -> dict[str, Any]:
    header = stored.header
    document: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "session": stored.id,
    }
    for key in HEADER_FIELDS:
        document[key] = header.get(key)
    if status is not None:
        document["status"] = status
    if confirmation is not None:
        _apply(document, confirmation)
    document["turns"] = stored.engine_records()
    document["branches"] = [
        {
            "branch": number,
            "from_turn": turns[0]["index"] - 1,
            "turns": stored.engine_records(turns),
        }
        for number, turns in sorted(stored.branches().items())
    ]
    return document


def _apply(document: dict[str, Any], confirmation: Confirmation) -> None:
    """The certification as the ledger has it; the standing and any finding beside it."""
    document["confirmed"] = confirmation.standing
    document["finding"] = confirmation.message
    if document.get("mode") != "certification":
        document["note"] = PRACTICE_UNSIGNED
    record = confirmation.record
    if confirmation.confirmed and record is not None:
        document["certification"] = {
            "passed": record.get("passed"),
            "record": record.get("id"),
            "score": record.get("score"),
            "attempt": record.get("attempt"),
        }
    elif confirmation.standing == "mismatch":
        document["certification"] = {
            "passed": None,
            "record": record.get("id") if record else None,
            "score": record.get("score") if record else None,
        }


def session_json(
    stored: StoredSession,
    status: str | None = None,
    confirmation: Confirmation | None = None,
    unearned: Unearned | None = None,
) -> str:
    document = session_document(stored, status, confirmation)
    if unearned is not None:
        document = withheld(document, unearned)
    return json_text(document)


def earned_ids(stored: StoredSession) -> set[str]:
    """Every fact the buyer said in the session, on its main line or a branch the
    trainee later abandoned (they heard it all the same)."""
    earned: set[str] = set()
    for turn in stored.engine_records(stored.turns):
        earned.update(str(fact) for fact in turn.get("disclosed_now") or ())
    return earned


def unearned_of(library: Library, stored: StoredSession) -> Unearned:
    """The facts of the session's persona the trainee did not earn, as far as the
    content still loads, and the words of every unmet fact objective the record holds
    (so a page about a persona since deleted still names none)."""
    loaded = library.personas.get(str(stored.header.get("persona")))
    earned = earned_ids(stored)
    outcome = stored.header.get("outcome")
    labels: list[str] = []
    objectives = outcome.get("objectives") if isinstance(outcome, Mapping) else None
    for objective in objectives if isinstance(objectives, list) else ():
        if (
            isinstance(objective, Mapping)
            and objective.get("kind") == "fact"
            and not objective.get("met")
            and isinstance(objective.get("label"), str)
        ):
            labels.append(str(objective["label"]))
    if loaded is None:
        return Unearned((), tuple(labels))
    found = Unearned.of(loaded.persona, earned)
    return Unearned(found.facts, tuple(labels))


def withheld(document: dict[str, Any], unearned: Unearned) -> dict[str, Any]:
    """The document with no unearned fact's words in any of its strings."""
    value = unearned.withhold_value(document)
    assert isinstance(value, dict)
    return value


def _quote(text: str) -> str:
    """Text as a Markdown blockquote, shown literally: markup characters are escaped and
    control characters gone (a model's reply is quoted here as it was streamed)."""
    escaped = markdown_escape(printable(text))
    return "\n".join("> " + line if line else ">" for line in escaped.splitlines() or [""])


def _md(value: object) -> str:
    """A stored value on a line of the page: the header and the records are data someone
    may have edited (or an older trainer wrote), so nothing in them is markup."""
    return markdown_inline(str(value))


def content_words(
    library: Library, header: SessionHeader | Mapping[str, object]
) -> tuple[str | None, dict[str, str], dict[str, str]]:
    """The persona's name, its hidden facts' words and the rubric's criterion names for a
    stored session, as far as the content still loads (the scenario's rubric, else the
    library's), so a page says "Customer focus", not ``customer_focus``."""
    try:
        rubric = library.resolve(str(header.get("scenario"))).rubric
    except KeyError:
        rubric = library.rubric
    criteria = {c.id: c.name for c in rubric.criteria}
    loaded = library.personas.get(str(header.get("persona")))
    if loaded is None:
        return None, {}, criteria
    facts = {f.id: f.fact for f in loaded.persona.hidden_facts}
    return loaded.persona.name, facts, criteria


def session_markdown(
    stored: StoredSession,
    facts: dict[str, str] | None = None,
    status: str | None = None,
    buyer_name: str | None = None,
    confirmation: Confirmation | None = None,
    criteria: dict[str, str] | None = None,
    unearned: Unearned | None = None,
) -> str:
    """``facts`` maps hidden-fact ids to their text, ``criteria`` the rubric's criterion
    ids to their names, and ``buyer_name`` names the persona, when the content still
    loads; ids stand in otherwise (a page about a deleted scenario still says something).
    ``unearned`` (hosted) names the facts the trainee did not earn: the page gives their
    hints, never their words."""
    doc = session_document(stored, status, confirmation)
    if unearned is not None:
        doc = withheld(doc, unearned)
        facts = {**(facts or {}), **unearned.words()}
    facts = {key: _md(text) for key, text in (facts or {}).items()}
    names = {key: _md(name) for key, name in (criteria or {}).items()}
    buyer = _md(buyer_name or doc.get("persona") or "buyer")
    lines = [
        f"# {_md(doc.get('title') or doc.get('scenario'))}",
        "",
        f"- Trainee: {_md(doc['trainee'])}",
        f"- Mode: {_md(doc['mode'])}"
        + (f" (attempt {_md(doc['attempt'])})" if doc.get("attempt") else ""),
        f"- Started: {_md(doc['started_at'])}"
        + (f", ended {_md(doc['ended_at'])}" if doc["ended_at"] else ""),
        f"- Status: {_md(doc['status'])}"
        + (f" ({ENDINGS[doc['ended_by']]})" if doc.get("ended_by") in ENDINGS else ""),
        f"- Session: `{_md(doc['session'])}`",
        *_standing(doc),
        "",
        "## Conversation",
        "",
        f"**{buyer}**",
        "",
        _quote(str(doc.get("opening") or "")),
        "",
    ]
    for turn in doc["turns"]:
        a = turn["assessment"]
        lines += [
            f"**Turn {_md(turn['index'])} · you**",
            "",
            _quote(turn["seller"]),
            "",
            f"*{_md(a['move'])}, good use {_md(a['good_use'])}/5 · "
            f"patience {_md(turn['state']['patience'])} · "
            f"openness {_md(turn['state']['openness'])}*",
            "",
        ]
        for change in turn["changes"]:
            lines.append(f"- {_md(change['field'])} {change['delta']:+d}: {_md(change['cause'])}")
        for fact_id in turn["disclosed_now"]:
            lines.append(f"- learned: {facts.get(fact_id, _md(fact_id))}")
        lines += [f"- tip: {_md(a['tip'])}", "", f"**{buyer}**", "", _quote(turn["buyer"]), ""]
    outcome = doc.get("outcome")
    if outcome:
        lines += ["## Outcome", "", f"Score: **{_md(outcome['score'])}/100**"]
        if outcome.get("adjustment"):
            lines.append(f"({outcome['adjustment']:+d}: {_md(outcome['adjustment_reason'])})")
        lines.append("")
        if outcome.get("criteria"):
            lines += ["| Criterion | Average |", "|---|---|"]
            applied = outcome.get("criteria_turns") or {}
            lines += [
                f"| {names.get(k, _md(k))} | {criterion_average(v, applied.get(k))} |"
                for k, v in outcome["criteria"].items()
            ]
            lines.append("")
        if outcome.get("missed"):
            # One fact a line: facts are sentences, and "site.; A yard" reads as neither
            lines += [f"- missed: {facts.get(f, _md(f))}" for f in outcome["missed"]]
            lines.append("")
    certification = doc.get("certification")
    if doc.get("confirmed") == "mismatch":
        lines += [f"Certification: **not confirmed**: this session {_md(doc['finding'])}", ""]
    elif certification:
        verdict = "passed" if certification.get("passed") else "not passed"
        signed = {"signed": "signed record", "chained": "ledger record, not signed"}
        what = signed.get(str(doc.get("confirmed")), "record")
        record = _md(certification.get("record"))
        lines += [f"Certification: **{verdict}** ({what} `{record}`)", ""]
    if doc["branches"]:
        lines += ["## Abandoned branches", ""]
        for branch in doc["branches"]:
            lines.append(f"Branch {_md(branch['branch'])}, after turn {_md(branch['from_turn'])}:")
            lines.append("")
            for turn in branch["turns"]:
                lines += [_quote(f"{turn['index']}. {turn['seller']}"), ""]
    return "\n".join(lines).rstrip() + "\n"


def _standing(doc: dict[str, Any]) -> list[str]:
    """A line saying what the result rests on, above the conversation."""
    if doc.get("mode") != "certification":
        return [f"- {PRACTICE_UNSIGNED}"]
    if doc.get("confirmed") == "mismatch":
        return [f"- Certification: not confirmed: this session {_md(doc['finding'])}"]
    return []


ExportFormat = Literal["markdown", "json"]


@dataclass(frozen=True)
class SessionExport:
    """An export ready to save or send: the file name a trainee would expect and the text,
    ending with a line break as a file should."""

    name: str
    body: str


def export_session(
    store: Store,
    ledger: Ledger,
    stored: StoredSession,
    fmt: ExportFormat,
    library: Callable[[], Library],
    hosted: bool = False,
) -> SessionExport:
    """The one way a session is exported, for ``trainer export``, the debrief and History
    alike: its live status, what the ledger says of a certification, and (for Markdown)
    the content's words. ``library`` is called only for Markdown (or ``hosted``), so a
    JSON export opens no content. ``hosted``: no fact the trainee did not earn is in it."""
    status = store.live_status(stored.header)
    folder = stored.path.parent.parent.name
    confirmation = read_ledger(store, ledger).confirm_header(folder, stored.header)
    unearned = unearned_of(library(), stored) if hosted else None
    if fmt == "json":
        body = session_json(stored, status, confirmation, unearned)
    else:
        buyer, facts, criteria = content_words(library(), stored.header)
        body = session_markdown(stored, facts, status, buyer, confirmation, criteria, unearned)
    scenario = printable(str(stored.header.get("scenario") or "session"))
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in scenario).strip(".")
    suffix = "json" if fmt == "json" else "md"
    text = body if body.endswith("\n") else body + "\n"
    return SessionExport(f"trainer-{safe or 'session'}-{stored.id[:8]}.{suffix}", text)
