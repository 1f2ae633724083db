"""``trainer new scenario NAME --from SENTENCE``: a model drafts the persona and the scenario.

The model answers in JSON against the project's own schemas (in the strict form of
``draft_schema``), in the best structured-output mode the server has (the judge's
machinery, ``trainer.llm.structured``). The drafts are written as YAML files laid out like
the hand-made ones into a fresh ``drafts/NAME/`` folder inside the content folder (outside
``personas/`` and ``scenarios/``, so the library never loads them) and checked there with
the real loader: each file on its own, then the scenario's references to the persona.
If the loader finds problems, the model is shown them once and asked for a corrected
draft. Only drafts that validate are copied into ``personas/`` and ``scenarios/`` (and
the draft folder removed); otherwise nothing is written into the library, the drafts stay
where the problems point, and ``DraftRejected`` lists them.

``new persona NAME --from SENTENCE`` drafts the persona alone, the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from trainer.authoring.draft_prompt import draft_messages, repair_message
from trainer.authoring.draft_schema import draft_schema, drop_nulls
from trainer.authoring.draft_yaml import draft_yaml
from trainer.authoring.scaffold import (
    FOLDERS,
    Kind,
    ScaffoldError,
    display_name,
    make_id,
    refuse_clashes,
    write_file,
)
from trainer.content.library import (
    Library,
    LoadedPersona,
    check_references,
    load_persona_file,
    load_scenario_file,
)
from trainer.content.problems import Problem
from trainer.engine.assessment import Usage
from trainer.errors import InputError, TrainerError
from trainer.llm.endpoint import Endpoint
from trainer.llm.settings import LlmSettings
from trainer.llm.structured import Mode, ask_json, json_answer, wrote_prose
from trainer.text import CONTROL_IN_TEXT, one_line
from trainer.words import plural

DRAFTED: dict[Kind, tuple[str, ...]] = {
    "persona": ("persona",),
    "scenario": ("persona", "scenario"),
}
MAX_TOKENS = 12_000
"""A persona and a scenario are about 6,000 tokens of JSON; room to spare."""
MIN_TIMEOUT = 300.0
"""Seconds a draft may take, at least: writing 6,000 tokens takes minutes on a local
server, and the usual timeout (60 s) is set for one short buyer reply."""
ATTEMPTS = 2
"""An answer that is not a JSON draft at all is asked for once more."""
REPAIRS = 1
"""Rounds in which the model is shown the loader's problems and asked to fix them."""
MAX_SENTENCE = 2000
DRAFTS = "drafts"


class DraftError(TrainerError):
    """No draft could be made; the message says why (exit 1)."""


class DraftRejected(InputError):
    """The drafts do not validate: nothing was written into the library."""

    def __init__(self, problems: list[Problem], folder: Path) -> None:
        self.problems = problems
        self.folder = folder
        super().__init__(f"{plural(len(problems), 'problem')} in the drafts in {folder}")


class InvalidDraft(ValueError):
    """The answer is not a JSON object with the drafts in it."""


@dataclass(frozen=True)
class Drafted:
    """What ``draft`` wrote."""

    persona_id: str
    persona_name: str
    persona_path: Path
    persona_replaced: bool
    scenario_id: str | None = None
    scenario_title: str | None = None
    scenario_path: Path | None = None
    scenario_replaced: bool = False
    usage: Usage = dataclasses.field(default_factory=Usage)


def check_sentence(sentence: str) -> str:
    """The author's description, or ``ScaffoldError`` saying what is wrong with it."""
    text = " ".join(sentence.split())
    if not text:
        raise ScaffoldError(
            '--from needs a sentence describing the buyer, such as --from "a CFO at a '
            'regional hospital chain who was burned by an analytics vendor"'
        )
    if CONTROL_IN_TEXT.search(text):
        raise ScaffoldError("the --from sentence contains a control character; type plain text")
    if len(text) > MAX_SENTENCE:
        raise ScaffoldError(
            f"the --from sentence is {len(text):,} characters; at most {MAX_SENTENCE:,}"
        )
    return text


def parse_draft(content: str, kinds: tuple[str, ...]) -> dict[str, Any]:
    """The drafts in a model's answer (code fences allowed), or ``InvalidDraft``."""
    try:
        data = json_answer(content)
    except ValueError as exc:
        raise InvalidDraft(str(exc)) from None
    if not isinstance(data, dict):
        raise InvalidDraft("not a JSON object")
    for kind in kinds:
        if not isinstance(data.get(kind), dict):
            raise InvalidDraft(f'no "{kind}" object in it')
    return data


def draft_folder(folder: Path, item_id: str) -> Path:
    """A new folder under ``folder/drafts`` for this draft: ``ID``, else ``ID-2``..."""
    base = folder / DRAFTS
    candidate = base / item_id
    number = 2
    while candidate.exists():
        candidate = base / f"{item_id}-{number}"
        number += 1
    return candidate


class _Drafter:
    """One drafting conversation: the request, then (maybe) a repair round."""

    def __init__(
        self, endpoint: Endpoint, kinds: tuple[str, ...], sentence: str, given: str
    ) -> None:
        self.endpoint = endpoint
        self.kinds = kinds
        self.sentence = sentence
        self.given = given
        self.schema = draft_schema(kinds)
        self.mode: Mode | None = None
        self.usage = Usage()
        self.follow_up: list[dict[str, str]] = []
        self.last = ""

    def _messages(self, hint: str | None) -> list[dict[str, str]]:
        return draft_messages(self.kinds, self.sentence, self.given, hint) + self.follow_up

    async def ask(self) -> dict[str, Any]:
        settings = self.endpoint.settings
        problem = "no answer"
        for _ in range(ATTEMPTS):
            answer = await ask_json(
                self.endpoint,
                model=settings.buyer_model,
                messages_for=self._messages,
                name="draft",
                schema=self.schema,
                mode=self.mode,
                temperature=settings.temperature,
                max_tokens=MAX_TOKENS,
            )
            self.mode = answer.mode
            self.usage += answer.usage
            self.last = answer.content
            try:
                return parse_draft(answer.content, self.kinds)
            except InvalidDraft as exc:
                problem = str(exc)
                if answer.finish_reason == "length":
                    problem += f"; the answer was cut off at {MAX_TOKENS:,} tokens"
                if wrote_prose(answer):
                    self.mode = "prompt"  # the server ignored the schema: put it in the prompt
        raise DraftError(f"the model's answer was not a usable draft, twice: {problem}")

    def repair(self, problems: list[Problem]) -> None:
        said = [
            one_line(f"{p.path.parent.name.removesuffix('s')}.{p.field}: {p.message}")
            + (f" ({p.hint})" if p.hint else "")
            for p in problems
        ]
        self.follow_up = [
            {"role": "assistant", "content": self.last},
            {"role": "user", "content": repair_message(said)},
        ]


@dataclass(frozen=True)
class _Plan:
    """Ids and names fixed before the model is asked."""

    kind: Kind
    name: str
    item_id: str
    shown: str


def _plan(kind: Kind, name: str) -> _Plan:
    item_id = make_id(name)
    return _Plan(kind, name, item_id, display_name(name, kind))


def _given(plan: _Plan) -> str:
    if plan.kind == "persona":
        return f"The persona's id is {plan.item_id} and their name is {plan.shown}."
    return f"The scenario's id is {plan.item_id}; choose the persona's name and id yourself."


def _persona_id(persona: dict[str, Any], plan: _Plan) -> str:
    """The drafted persona's id: made from its name, so it matches ``new persona``; it is
    also the file name, so it is always a safe id."""
    if plan.kind == "persona":
        return plan.item_id
    for candidate in (persona.get("name"), persona.get("id")):
        if isinstance(candidate, str):
            try:
                return make_id(candidate)
            except ScaffoldError:
                continue
    return f"{plan.item_id}-buyer"


def _texts(data: dict[str, Any], plan: _Plan, note: str) -> dict[str, tuple[str, str]]:
    """Kind to (id, file text), with the ids (and a persona's name) set as planned."""
    schema = draft_schema(DRAFTED[plan.kind])["properties"]
    persona = drop_nulls(data["persona"])
    persona_id = _persona_id(persona, plan)
    persona["id"] = persona_id
    if plan.kind == "persona":
        persona["name"] = plan.shown
    texts = {"persona": (persona_id, draft_yaml("persona", persona, schema["persona"], note))}
    if plan.kind == "scenario":
        scenario = drop_nulls(data["scenario"])
        scenario["id"] = plan.item_id
        scenario["persona"] = persona_id
        texts["scenario"] = (
            plan.item_id,
            draft_yaml("scenario", scenario, schema["scenario"], note),
        )
    return texts


def _write_drafts(where: Path, texts: dict[str, tuple[str, str]]) -> dict[str, Path]:
    paths: dict[str, Path] = {}
    for kind, (item_id, text) in texts.items():
        path = where / FOLDERS[kind] / f"{item_id}.yaml"  # type: ignore[index]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        paths[kind] = path
    return paths


def check_drafts(where: Path, paths: dict[str, Path]) -> list[Problem]:
    """Every problem the real loader finds in the draft files, references included."""
    loaded = load_persona_file(paths["persona"])
    problems: list[Problem] = loaded if isinstance(loaded, list) else []
    if "scenario" in paths:
        scenario = load_scenario_file(paths["scenario"])
        if isinstance(scenario, list):
            problems += scenario
        elif isinstance(loaded, LoadedPersona):
            probe = Library(roots=[where], personas={loaded.persona.id: loaded})
            problems += check_references(probe, scenario)
    return problems


def _publish(
    folder: Path, where: Path, texts: dict[str, tuple[str, str]], force: bool
) -> dict[str, tuple[Path, bool]]:
    """Copy valid drafts into the library; both or neither."""
    targets: dict[str, tuple[Path, bool]] = {}
    try:
        for kind, (item_id, _) in texts.items():
            target = folder / FOLDERS[kind] / f"{item_id}.yaml"  # type: ignore[index]
            targets[kind] = (target, refuse_clashes(kind, target, item_id, force))  # type: ignore[arg-type]
    except ScaffoldError as exc:
        raise ScaffoldError(f"{exc}. The drafts, which validate, are kept in {where}") from None
    written: list[Path] = []
    try:
        for kind, (target, replaced) in targets.items():
            write_file(target, texts[kind][1], replaced)
            if not replaced:
                written.append(target)
    except ScaffoldError:
        for path in written:  # both or neither: take back a new file already written
            path.unlink(missing_ok=True)
        raise
    shutil.rmtree(where, ignore_errors=True)
    with contextlib.suppress(OSError):
        where.parent.rmdir()  # drafts/, if this was all it held
    return targets


def draft(
    kind: Kind,
    name: str,
    sentence: str,
    folder: Path,
    settings: LlmSettings,
    *,
    force: bool = False,
    announce: Callable[[], None] | None = None,
) -> Drafted:
    """Draft ``kind`` (a scenario comes with its persona) from ``sentence`` and write it
    into ``folder`` if it validates. Raises ``ScaffoldError`` (a name, a clash),
    ``DraftError`` (no usable answer), ``DraftRejected`` (drafts with problems) and the
    endpoint's ``EndpointError``. ``announce`` is called just before the model is asked."""
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{folder} is a file; --dir needs a folder")
    text = check_sentence(sentence)
    plan = _plan(kind, name)
    # The named file is checked before the model is paid to write it.
    named = folder / FOLDERS[kind] / f"{plan.item_id}.yaml"
    refuse_clashes(kind, named, plan.item_id, force)
    timeout = max(settings.timeout, MIN_TIMEOUT)
    endpoint = Endpoint(dataclasses.replace(settings, timeout=timeout))
    note = (
        f'Drafted by the model {settings.buyer_model} from: "{text[:200]}"\n'
        "A model wrote every line: read them all before trainees do."
    )
    if announce is not None:
        announce()  # once the name and the sentence are known to be usable
    return asyncio.run(_draft(endpoint, plan, text, folder, note, force))


async def _draft(
    endpoint: Endpoint, plan: _Plan, sentence: str, folder: Path, note: str, force: bool
) -> Drafted:
    drafter = _Drafter(endpoint, DRAFTED[plan.kind], sentence, _given(plan))
    where = draft_folder(folder, plan.item_id)
    try:
        try:
            data = await drafter.ask()
        except DraftError as exc:
            where.mkdir(parents=True, exist_ok=True)
            (where / "answer.txt").write_text(drafter.last, encoding="utf-8")
            raise DraftError(f"{exc} (the answer is kept in {where / 'answer.txt'})") from None
        for round_number in range(REPAIRS + 1):
            texts = _texts(data, plan, note)
            paths = _write_drafts(where, texts)
            problems = check_drafts(where, paths)
            if not problems:
                break
            if round_number == REPAIRS:
                raise DraftRejected(sorted(problems), where)
            drafter.repair(problems)
            data = await drafter.ask()
            shutil.rmtree(where, ignore_errors=True)  # the first drafts, once there are new
    finally:
        await endpoint.close()
    targets = _publish(folder, where, texts, force)
    persona_path, persona_replaced = targets["persona"]
    persona = data["persona"]
    scenario_path, scenario_replaced = targets.get("scenario", (None, False))
    title = data.get("scenario", {}).get("title") if plan.kind == "scenario" else None
    return Drafted(
        persona_id=texts["persona"][0],
        persona_name=str(persona.get("name", "")) if plan.kind == "scenario" else plan.shown,
        persona_path=persona_path,
        persona_replaced=persona_replaced,
        scenario_id=plan.item_id if plan.kind == "scenario" else None,
        scenario_title=str(title) if title is not None else None,
        scenario_path=scenario_path,
        scenario_replaced=scenario_replaced,
        usage=drafter.usage,
    )
