"""A strict YAML reader that keeps where every value came from.

PyYAML's ``safe_load`` accepts alias bombs, silently keeps the last of two duplicate
keys, and turns ``no``/``yes``/``on``/``off`` into booleans (a persona whose answer is
"no" becomes ``False``). Authors need the opposite: refuse what is ambiguous, and
report it at the line where it happened. This module composes the node tree once and
constructs values from it, so the same nodes answer "which line was that?" when the
models reject a value.

It also reads bytes nobody meant to write, and must answer each with one located problem,
never an exception, and quickly: a file is read at most ``MAX_FILE_BYTES`` (never from a
FIFO, which would block), control characters are refused before PyYAML sees them (it
raises on some and counts others as line breaks, so its lines would not be the editor's),
and the limits on nesting, items and text are checked as the node tree is composed, so a
330,000-item list stops at its first item too many instead of being built.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # libyaml's parser, when PyYAML was built with it (its wheels on PyPI are)
    from yaml._yaml import CParser

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    HAVE_LIBYAML = False

from trainer.content.paths import kind_of
from trainer.content.problems import Problem
from trainer.text import CONTROL_IN_TEXT, control_name

MAX_FILE_BYTES = 1_000_000
"""The largest content file read. The largest shipped one, a labelled-turn file, is 241 KB."""
MAX_DEPTH = 32
"""How deeply values may nest. The shipped content nests 7 deep."""
MAX_ITEMS = 2_000
"""Items in one list, or fields in one mapping. The shipped content's longest list has 562."""
MAX_NODES = 40_000
"""Values (keys included) in one file: what parsing costs. The shipped maximum is 8,561."""
MAX_STRING_CHARS = 10_000
"""Characters in one value or key; the models' own limits (4,000 for text) are tighter."""

_RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]|\r(?!\n)")
"""Refused anywhere in a file's text: ``CONTROL_IN_TEXT`` but a CR ending a Windows line."""
_SURROGATE = re.compile(r"[\ud800-\udfff]")
"""Half of a UTF-16 pair, from an escape such as ``"\\ud83d"``: no text can hold one."""


class _YamlProblem(Exception):
    def __init__(self, message: str, mark: Any, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.hint = hint


def _core_schema_resolvers() -> dict[Any, list[tuple[str, re.Pattern[str]]]]:
    """SafeLoader's resolvers with booleans limited to true/false (YAML 1.2 core)."""
    resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, rx) for tag, rx in entries if tag != "tag:yaml.org,2002:bool"]
        if kept:
            resolvers[first] = kept
    boolean = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
    for first in "tTfF":
        resolvers.setdefault(first, []).append(("tag:yaml.org,2002:bool", boolean))
    return resolvers


def _refuse_alias_or_anchor(event: Any) -> None:
    if isinstance(event, yaml.AliasEvent):
        raise _YamlProblem(
            f"aliases (*{event.anchor}) are not allowed",
            event.start_mark,
            "write the value out in full where it is needed",
        )
    anchor = getattr(event, "anchor", None)
    if anchor is not None:
        raise _YamlProblem(
            f"anchors (&{anchor}) are not allowed",
            event.start_mark,
            "remove the '&' name and write values out in full",
        )
    tag = getattr(event, "tag", None)
    if tag is not None and tag != "!":
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        raise _YamlProblem(
            f"tags ({shown}) are not allowed",
            event.start_mark,
            "remove the tag; put text in quotes to keep it text",
        )


class StrictLoader(yaml.SafeLoader):
    """Rejects anchors, aliases and duplicate keys; reads only true/false as booleans."""

    yaml_implicit_resolvers = _core_schema_resolvers()

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        _refuse_alias_or_anchor(event)
        self._check_limits(parent, event)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _check_limits(self, parent: Node | None, event: Any) -> None:
        """Refuse a value before it is built: too deep, one item too many, too long."""
        self._nodes += 1
        mark = event.start_mark
        if self._depth >= MAX_DEPTH:
            raise _YamlProblem(
                f"values are nested more than {MAX_DEPTH} levels deep",
                mark,
                "content needs only a few levels; check the brackets and indentation",
            )
        if parent is not None and len(parent.value) >= MAX_ITEMS:
            what = "items" if isinstance(parent, SequenceNode) else "fields"
            raise _YamlProblem(
                f"more than {MAX_ITEMS:,} {what} in one list or set of fields",
                mark,
                "a scenario or persona needs far fewer; split a labelled-turn file in two",
            )
        if self._nodes > MAX_NODES:
            raise _YamlProblem(
                f"more than {MAX_NODES:,} values in one file",
                mark,
                "split the file in two",
            )
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_STRING_CHARS:
            raise _YamlProblem(
                f"a value of {len(event.value):,} characters; the limit is {MAX_STRING_CHARS:,}",
                mark,
                "shorten it",
            )

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            return super().construct_mapping(node, deep=deep)  # PyYAML's located error
        seen: dict[Any, Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                raise _YamlProblem(
                    "a key must be a plain word or number", key_node.start_mark
                ) from None
            if first is not None:
                raise _YamlProblem(
                    f"duplicate key '{key}' (first at line {first.start_mark.line + 1})",
                    key_node.start_mark,
                    "keep one of the two; YAML would silently use the last",
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        """A value Python cannot build (``2020-13-45``, a 5,000-digit number) is a
        problem at its node, not a ``ValueError`` from deep inside PyYAML."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError) as exc:
            raise _YamlProblem(
                f"'{_short(node.value)}' cannot be read: {exc}",
                node.start_mark,
                "put the value in quotes if it is text",
            ) from None


class FastStrictLoader(StrictLoader):
    """``StrictLoader`` with libyaml's parser as its source of events.

    PyYAML's own scanner is pure Python and was most of the start-up: reading the starter
    library took about 0.5 s, nearly all of it scanning. libyaml produces the same events
    in C; composing, every strict check and constructing stay the ones above. Only a
    file that reads cleanly is taken from this path: on any problem ``parse_yaml`` reads
    the file again with ``StrictLoader``, so every message and location an author sees is
    the one the pure-Python reader gives. The two were found to differ on one thing a clean
    read could hide, a tab inside plain text (libyaml keeps it, PyYAML refuses it), so a
    file with a tab is read by PyYAML alone (``tests/test_yaml_fast_path.py`` compares
    the two on every file in the repository and on generated hostile ones)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._events = CParser(stream)

    def check_event(self, *choices: Any) -> bool:
        return bool(self._events.check_event(*choices))

    def peek_event(self) -> Any:
        return self._events.peek_event()

    def get_event(self) -> Any:
        return self._events.get_event()

    def dispose(self) -> None:
        super().dispose()
        self._events.dispose()


@dataclass(frozen=True)
class YamlDocument:
    """A parsed file: its values, its node tree (for locations) and its bytes' identity."""

    path: Path
    data: Any
    root: Node | None
    raw: bytes


def read_yaml(path: Path) -> YamlDocument | Problem:
    """Read one file strictly. Returns the document, or the one problem that stopped it."""
    raw = _read_bounded(path)
    if isinstance(raw, Problem):
        return raw
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return Problem(
            path,
            line,
            column,
            "",
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x})",
            "save the file as UTF-8 in your editor",
        )
    return parse_yaml(path, text, raw)


def _read_bounded(path: Path) -> bytes | Problem:
    """The file's bytes, read only if it is a regular file and only up to the limit.

    Opened non-blocking and checked with ``fstat`` on the open file, so a FIFO (even one
    swapped in after a check) is named, not waited on, and a 200 MB file costs one read.
    """
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return Problem(path, 1, 1, "", f"cannot read the file: {exc.strerror or exc}")
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            return Problem(
                path,
                1,
                1,
                "",
                f"this is {kind_of(mode)}, not a YAML file",
                "content files are plain files ending in .yaml or .yml",
            )
        with os.fdopen(handle, "rb", closefd=False) as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return Problem(path, 1, 1, "", f"cannot read the file: {exc.strerror or exc}")
    finally:
        os.close(handle)
    if len(raw) > MAX_FILE_BYTES:
        size = max(len(raw), _size(path))
        return Problem(
            path,
            1,
            1,
            "",
            f"the file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}",
            "split it in two",
        )
    return raw


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def parse_yaml(path: Path, text: str, raw: bytes | None = None) -> YamlDocument | Problem:
    """Parse text strictly; every way it can fail is one problem at a line and column.
    libyaml reads it when it can (fast); what it cannot read cleanly is read again by the
    pure-Python reader, whose problem is the one reported."""
    control = _RAW_CONTROL.search(text)
    if control is not None:
        return _character_problem(path, text, control.start())
    if libyaml_may_read(text):
        fast = _parse_with(FastStrictLoader, path, text, raw)
        if isinstance(fast, YamlDocument):
            return fast
    return _parse_with(StrictLoader, path, text, raw)


def libyaml_may_read(text: str) -> bool:
    """Whether libyaml's clean read of ``text`` can be trusted to be PyYAML's: not for a
    file with a tab, since libyaml keeps a tab inside plain text that PyYAML refuses (so
    such a file is refused as before; content is written with spaces)."""
    return HAVE_LIBYAML and "\t" not in text


def _parse_with(
    loader_class: type[StrictLoader], path: Path, text: str, raw: bytes | None
) -> YamlDocument | Problem:
    try:
        loader = loader_class(text)
    except yaml.reader.ReaderError as exc:  # a character YAML refuses, such as U+FFFF
        return _character_problem(path, text, exc.position)
    try:
        root = loader.get_single_node()
        # without a backslash there is no escape, and the raw check has seen every character
        found = _control_in_values(path, root, ()) if "\\" in text else None
        if found is not None:
            return found
        data = loader.construct_document(root) if root is not None else None
    except _YamlProblem as exc:
        return _at_mark(path, exc.mark, exc.message, exc.hint)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "not valid YAML"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        if "'\\t'" in message:
            message = "a tab character; YAML indentation must be spaces"
        return _at_mark(path, mark, message, _syntax_hint(message))
    except yaml.YAMLError as exc:
        return Problem(path, 1, 1, "", f"not valid YAML: {exc}")
    except (ValueError, TypeError, OverflowError) as exc:  # a last guard
        return Problem(path, 1, 1, "", f"not valid YAML: {exc}")
    except RecursionError:  # a last guard: MAX_DEPTH stops nesting long before this
        return Problem(path, 1, 1, "", f"values are nested more than {MAX_DEPTH} levels deep")
    finally:
        loader.dispose()
    return YamlDocument(path, data, root, raw if raw is not None else text.encode())


def _character_problem(path: Path, text: str, position: int) -> Problem:
    """A character no content may hold, at the line and column an editor shows (lines
    counted on newlines only, columns in characters)."""
    line = text.count("\n", 0, position) + 1
    column = position - text.rfind("\n", 0, position)
    char = text[position] if position < len(text) else ""
    if CONTROL_IN_TEXT.match(char) or char == "\r":
        message = f"the file contains a control character, {control_name(char)}"
    else:
        message = f"the file contains a character YAML does not allow, U+{ord(char or ' '):04X}"
    return Problem(
        path,
        line,
        column,
        "",
        message,
        "delete it (text pasted from a word processor often carries one) and retype it",
    )


def _control_in_values(path: Path, root: Node | None, loc: tuple[int | str, ...]) -> Problem | None:
    """The first key or value, in file order, whose text holds a control character once
    its escapes are read (``"\\e]0;TITLE\\a"`` passes the raw check and is refused here)."""
    for scalar, where in _scalars(root, loc):
        wrong = _wrong_text(scalar.value)
        if wrong is not None:
            mark = scalar.start_mark
            field = ".".join(str(p) for p in where)
            return Problem(path, mark.line + 1, mark.column + 1, field, *wrong)
    return None


def _wrong_text(text: str) -> tuple[str, str] | None:
    """What is wrong with a key's or value's text once its escapes are read, and a hint."""
    found = CONTROL_IN_TEXT.search(text)
    if found is not None:
        return (
            f"the text contains a control character, {control_name(found.group())}",
            "remove the escape (such as \\e, \\x1b or \\u009b) and write plain text",
        )
    half = _SURROGATE.search(text)
    if half is not None:
        return (
            f"the text holds half a character (U+{ord(half.group()):04X})",
            "write the character itself, or one \\U escape such as \\U0001F69A",
        )
    return None


def _scalars(
    node: Node | None, loc: tuple[int | str, ...]
) -> Iterator[tuple[ScalarNode, tuple[int | str, ...]]]:
    if isinstance(node, ScalarNode):
        yield node, loc
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            yield from _scalars(item, (*loc, index))
    elif isinstance(node, MappingNode):
        for key, value in node.value:
            yield from _scalars(key, loc)
            name = key.value if isinstance(key, ScalarNode) else "?"
            yield from _scalars(value, (*loc, name))


def _short(text: object, limit: int = 40) -> str:
    value = str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _at_mark(path: Path, mark: Any, message: str, hint: str = "") -> Problem:
    line = mark.line + 1 if mark else 1
    column = mark.column + 1 if mark else 1
    return Problem(path, line, column, "", message, hint)


def _syntax_hint(message: str) -> str:
    if "tab" in message:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in message:
        return "put text that contains ': ' in quotes"
    if "could not find expected ':'" in message or "expected <block end>" in message:
        return "check the indentation of this line against the one above"
    if "found character '@'" in message or "found character '`'" in message:
        return "put text that starts with this character in quotes"
    return "check the line for unbalanced quotes or indentation"


def node_at(root: Node | None, loc: tuple[int | str, ...]) -> tuple[Node | None, int]:
    """The deepest node along a validation error's location, and how many parts matched.

    For an unknown field the key node is returned (that is where the typo is); for a
    missing field, the mapping that should have held it.
    """
    node = root
    matched = 0
    for part in loc:
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                    node = value_node
                    break
            else:
                return node, matched
        elif isinstance(node, SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                node = node.value[part]
            else:
                return node, matched
        else:
            return node, matched
        matched += 1
    return node, matched


def key_node_at(root: Node | None, loc: tuple[int | str, ...]) -> Node | None:
    """The key node of the last part of ``loc`` (used for unknown fields)."""
    parent, matched = node_at(root, loc[:-1])
    if matched != len(loc) - 1 or not isinstance(parent, MappingNode):
        return None
    for key_node, _ in parent.value:
        if isinstance(key_node, ScalarNode) and key_node.value == str(loc[-1]):
            return key_node
    return None
