"""A strict YAML reader that keeps where every value came from.

PyYAML's ``safe_load`` accepts alias bombs, silently keeps the last of two duplicate
keys, and turns ``no``/``yes``/``on``/``off`` into booleans (a persona whose answer is
"no" becomes ``False``). Authors need the opposite: refuse what is ambiguous, and
report it at the line where it happened. This module composes the node tree once and
constructs values from it, so the same nodes answer "which line was that?" when the
models reject a value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from trainer.content.problems import Problem

MAX_FILE_BYTES = 1_000_000


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


class StrictLoader(yaml.SafeLoader):
    """Rejects anchors, aliases and duplicate keys; reads only true/false as booleans."""

    yaml_implicit_resolvers = _core_schema_resolvers()

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
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
        return super().compose_node(parent, index)

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
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


@dataclass(frozen=True)
class YamlDocument:
    """A parsed file: its values, its node tree (for locations) and its bytes' identity."""

    path: Path
    data: Any
    root: Node | None
    raw: bytes


def read_yaml(path: Path) -> YamlDocument | Problem:
    """Read one file strictly. Returns the document, or the one problem that stopped it."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Problem(path, 1, 1, "", f"cannot read the file: {exc.strerror or exc}")
    if len(raw) > MAX_FILE_BYTES:
        return Problem(
            path, 1, 1, "", f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}"
        )
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


def parse_yaml(path: Path, text: str, raw: bytes | None = None) -> YamlDocument | Problem:
    loader = StrictLoader(text)
    try:
        root = loader.get_single_node()
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
    finally:
        loader.dispose()
    return YamlDocument(path, data, root, raw if raw is not None else text.encode())


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
