"""Generated hostile content for the loader and ``trainer play --script``, from a fixed seed.

The same generator feeds ``tests/test_fuzz_loader.py`` (in CI) and
``benchmarks/fuzz_loader.py`` (which prints how long it takes), so the figure quoted is the
figure of what CI runs. Each YAML document is one of: random bytes, a starter file with
control characters dropped in, deep nesting, a huge list, a starter file with values of the
wrong type, a starter file mutated byte by byte, or one with escapes in a quoted value.
Each script line is ordinary sales talk, sometimes with a character that must be refused
(and where), too long, or blank.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from trainer.text import MAX_TURN_CHARS

REPO = Path(__file__).resolve().parents[1]
SEED = 20261127
STARTERS = {
    "persona": REPO / "personas" / "dana-okafor.yaml",
    "scenario": REPO / "scenarios" / "cold-call-cold-chain.yaml",
}

REFUSED = [
    *(chr(c) for c in range(0x00, 0x09)),
    "\x0b",
    "\x0c",
    *(chr(c) for c in range(0x0E, 0x20)),
    "\x7f",
    "\x85",
    "\x9b",
    "\u2028",
    "\u2029",
]
"""Characters no content or script line may hold (a bare CR is added where it is bare)."""

ESCAPES = [r"\e", r"\a", r"\0", r"\x1b[2J", r"\u009b", r"\N", r"\L", r"\P", r"\v", r"\f", r"\r"]
SYNTAX = [*":-[]{}'\"&*!%@`|>#,? \t\n", "!!binary ", "!!float ", "!!set ", "<<: ", "!x "]
WORDS = [
    "dock",
    "schedule",
    "carriers",
    "detention",
    "fees",
    "trailers",
    "yard",
    "Monday",
    "peak",
    "season",
    "budget",
    "pilot",
    "warehouse",
    "inbound",
    "appointments",
    "late",
    "trucks",
    "disputes",
    "timestamps",
    "team",
    "shift",
    "cost",
    "café",
    "naïve",
    "résumé",
    "—",
    "“quoted”",
    "‘single’",
    "🚚",
    "温度",
    "données",
]
QUESTIONS = [
    "What happens on your docks when three trucks arrive in the same hour?",
    "How do you handle detention disputes with carriers today?",
    "Who else would care if the yard stopped backing up on Mondays?",
    "Can I ask what made this quarter different from the last one?",
    "We help warehouses cut detention fees; is that a problem for you?",
]


@dataclass(frozen=True)
class Document:
    """One generated file: what made it, which model it is read as, and its bytes."""

    kind: str
    model: str
    data: bytes


@dataclass(frozen=True)
class ScriptLine:
    """One generated script line, and where it must be refused (1-based), if anywhere."""

    text: str
    bad_column: int | None
    too_long: bool = False

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def playable(self) -> bool:
        return not self.blank and self.bad_column is None and not self.too_long


@cache
def starter_text(model: str) -> str:
    return STARTERS[model].read_text(encoding="utf-8")


@cache
def _starter_data(model: str) -> str:
    """The starter file as JSON text: a cheap deep copy for each wrong-types document."""
    return json.dumps(yaml.load(starter_text(model), Loader=yaml.CSafeLoader))


def _excerpt(rng: random.Random, model: str) -> str:
    """A run of 10 to 60 lines of a starter file from a top-level field: the real thing's
    syntax, at a fraction of the cost of reading the whole file."""
    lines = starter_text(model).split("\n")
    tops = [i for i, line in enumerate(lines) if line[:1].isalpha()]
    start = rng.choice(tops)
    return "\n".join(lines[start : start + rng.randint(10, 60)])


# ----------------------------------------------------------------------- YAML documents


def _random_bytes(rng: random.Random, model: str) -> bytes:
    return rng.randbytes(rng.randint(0, 400))


def _control_characters(rng: random.Random, model: str) -> bytes:
    text = starter_text(model)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(text))
        text = text[:at] + rng.choice([*REFUSED, "\r"]) + text[at:]
    return text.encode("utf-8")


def _deep(rng: random.Random, model: str) -> bytes:
    depth = rng.choice([20, 31, 32, 33, 50, 100, 500, 600])
    shape = rng.choice(["flow-list", "flow-map", "block", "mixed"])
    if shape == "flow-list":
        return ("[" * depth + "]" * depth).encode()
    if shape == "flow-map":
        return ("{a: " * depth + "1" + "}" * depth).encode()
    if shape == "block":
        return "".join(" " * i + f"k{i}:\n" for i in range(depth)).encode() + b" " * depth + b"v\n"
    return ("id: x\nlines:\n  other: " + "[{a: " * depth + "1" + "}]" * depth + "\n").encode()


def _huge_list(rng: random.Random, model: str) -> bytes:
    items = rng.choice([2_001, 2_500, 10_000, 60_000])
    style = rng.choice(["flow", "block", "mapping"])
    if style == "flow":
        return ("vocabulary: [" + ", ".join(["w"] * items) + "]\n").encode()
    if style == "block":
        return ("vocabulary:\n" + "- w\n" * items).encode()
    return "".join(f"k{i}: v\n" for i in range(items)).encode()


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index))


def _set(data: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    parent[path[-1]] = new
    return data


WRONG_VALUES: list[Any] = [
    None,
    True,
    0,
    -101,
    10**30,
    1.5,
    float("nan"),
    "",
    "no",
    "x" * 5_000,
    [],
    [1, [2, [3]]],
    {},
    {"unknown": 1},
    "2020-01-01",
    {1: 2},
]


def _wrong_types(rng: random.Random, model: str) -> bytes:
    data = json.loads(_starter_data(model))
    paths = list(_leaves(data))
    for _ in range(rng.randint(1, 4)):
        path = rng.choice(paths[1:])
        try:
            data = _set(data, path, rng.choice(WRONG_VALUES))
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change removed the path
    dumped = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    return dumped.encode("utf-8")


def _mutated(rng: random.Random, model: str) -> bytes:
    whole = rng.random() < 0.3
    data = bytearray((starter_text(model) if whole else _excerpt(rng, model)).encode("utf-8"))
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(data))
        action = rng.randrange(6)
        if action == 0:
            del data[at : at + rng.randint(1, 40)]
        elif action == 1:
            data[at:at] = rng.choice(SYNTAX).encode()
        elif action == 2:
            data[at] = rng.randrange(256)
        elif action == 3:
            data = data[:at]
        elif action == 4:
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at) + 1 or len(data)
            data[end:end] = data[start:end]
        else:
            data[at:at] = b"  "
        if not data:
            break
    return bytes(data)


def _escaped(rng: random.Random, model: str) -> bytes:
    lines = _excerpt(rng, model).split("\n")
    candidates = [i for i, line in enumerate(lines) if line.startswith("  - ") or ": " in line]
    number = rng.choice(candidates or [0])
    if not candidates:
        lines[0] = "text: x"
    line = lines[number]
    head = "  - " if line.startswith("  - ") else line[: line.index(": ") + 2]
    lines[number] = f'{head}"word {rng.choice(ESCAPES)} word"'
    return "\n".join(lines).encode("utf-8")


GENERATORS: dict[str, Callable[[random.Random, str], bytes]] = {
    "random-bytes": _random_bytes,
    "control-characters": _control_characters,
    "deep-nesting": _deep,
    "huge-list": _huge_list,
    "wrong-types": _wrong_types,
    "mutated": _mutated,
    "escapes": _escaped,
}
WEIGHTS = {
    "random-bytes": 6,
    "control-characters": 6,
    "mutated": 9,
    "escapes": 4,
    "wrong-types": 4,
    "deep-nesting": 2,
    "huge-list": 1,
}
"""How often each kind comes, per 32 documents: a huge list costs its 2,000 items before it
is refused, and a whole starter file is read in full, so the cheap kinds come more often."""


def documents(count: int, seed: int = SEED) -> list[Document]:
    """``count`` documents, the kinds taken in a fixed rotation, the same for the same seed."""
    rng = random.Random(seed)
    kinds = [kind for kind in sorted(GENERATORS) for _ in range(WEIGHTS[kind])]
    made: list[Document] = []
    for number in range(count):
        kind = kinds[number % len(kinds)]
        model = rng.choice(sorted(STARTERS))
        made.append(Document(kind, model, GENERATORS[kind](rng, model)))
    return made


# ---------------------------------------------------------------------------- scripts


def _sentence(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return rng.choice(QUESTIONS)
    words = [rng.choice(WORDS) for _ in range(rng.randint(3, 25))]
    return " ".join(words).capitalize() + rng.choice(["?", ".", "!", ""])


def script_line(rng: random.Random) -> ScriptLine:
    """A seller turn as an author or a paste might write it."""
    roll = rng.random()
    text = _sentence(rng)
    if rng.random() < 0.1:
        text = text.replace(" ", "\t", 1)
    if roll < 0.06:
        return ScriptLine(rng.choice(["", "   ", "\t"]), None)
    if roll < 0.1:
        long_text = (text + " ") * (MAX_TURN_CHARS // max(1, len(text)) + 2)
        return ScriptLine(long_text, None, too_long=True)
    if roll < 0.35:
        at = rng.randint(0, len(text))
        char = rng.choice([*REFUSED, "\r"])
        if char == "\r" and at == len(text):
            at = max(0, at - 1)  # a CR at the end of a line is a Windows line ending
        return ScriptLine(text[:at] + char + text[at:], at + 1)
    return ScriptLine(text, None)


def scripts(lines: int, per_script: int, seed: int = SEED) -> list[list[ScriptLine]]:
    """``lines`` generated lines in scripts of ``per_script``; every other script clean,
    so both the refusal and the playing are exercised."""
    rng = random.Random(seed + 1)
    made: list[list[ScriptLine]] = []
    while sum(len(s) for s in made) < lines:
        clean = len(made) % 2 == 0
        script: list[ScriptLine] = []
        while len(script) < per_script:
            line = script_line(rng)
            if clean and not (line.playable or line.blank):
                continue
            script.append(line)
        made.append(script)
    return made


def script_bytes(script: list[ScriptLine], windows: bool) -> bytes:
    ending = "\r\n" if windows else "\n"
    return "".join(line.text + ending for line in script).encode("utf-8")
