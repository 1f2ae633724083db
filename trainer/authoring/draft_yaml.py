"""A drafted persona or scenario as a YAML file that reads like the hand-made ones.

Keys come in the order the models declare them (id, name, role... as in the starter
files), unknown keys last so the loader can point at them; long prose (``background``,
``situation``, a product ``summary``) is a folded ``>`` block; short lists of words
(``words``, a fact's ``topics``) and small maps of numbers (``reactions``, ``when``) are
written inline, as authors write them; a blank line separates the top-level sections;
the first line is the ``yaml-language-server`` comment that gives editors the schema.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from trainer.text import one_line

FOLDED_KEYS = frozenset({"background", "situation", "product.summary"})
FOLDED_FROM = 90
"""Characters from which one of ``FOLDED_KEYS`` is written as a ``>`` block."""
INLINE_LIST_KEYS = frozenset({"words", "topics", "facts", "required_facts"})
INLINE_LIST_CHARS = 100
FOLD_WIDTH = 88
"""Where a ``>`` block wraps; other text stays on one line however long, as authors
write it (and so a problem's line number points at one whole line)."""


class _Folded(str):
    pass


class _InlineList(list[Any]):
    pass


class _InlineMap(dict[str, Any]):
    pass


class _Dumper(yaml.SafeDumper):
    """Block style, with the inline and folded exceptions marked by the wrapper types."""

    def ignore_aliases(self, data: Any) -> bool:
        return True  # the trainer's reader refuses anchors and aliases

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Lists under a key are indented like the starter files ("  - item").
        super().increase_indent(flow, False)

    def write_folded(self, text: str) -> None:
        width = self.best_width
        self.best_width = FOLD_WIDTH
        try:
            super().write_folded(text)
        finally:
            self.best_width = width


def _folded(dumper: yaml.SafeDumper, text: _Folded) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(text), style=">")


def _inline_list(dumper: yaml.SafeDumper, items: _InlineList) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", list(items), flow_style=True)


def _inline_map(dumper: yaml.SafeDumper, items: _InlineMap) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", dict(items), flow_style=True)


_Dumper.add_representer(_Folded, _folded)
_Dumper.add_representer(_InlineList, _inline_list)
_Dumper.add_representer(_InlineMap, _inline_map)


def _object_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The object (or array) branch of a nullable ``anyOf``."""
    for option in schema.get("anyOf", []):
        if option.get("type") != "null":
            return _object_schema(option)
    return schema


def arrange(value: Any, schema: dict[str, Any], key: str = "", parent: str = "") -> Any:
    """``value`` with its keys in schema order and the layout marks applied."""
    schema = _object_schema(schema)
    if isinstance(value, dict):
        properties: dict[str, Any] = schema.get("properties", {})
        known = [k for k in properties if k in value]
        rest = [k for k in value if k not in properties]
        arranged = {k: arrange(value[k], properties.get(k, {}), str(k), key) for k in known + rest}
        small = len(arranged) <= 3 and all(
            isinstance(v, bool | int | float) or (isinstance(v, str) and len(v) <= 24)
            for v in arranged.values()
        )
        return _InlineMap(arranged) if small and arranged else arranged
    if isinstance(value, list):
        items = [arrange(v, schema.get("items", {}), key, parent) for v in value]
        short = all(isinstance(v, str) for v in items) and len(", ".join(items)) <= (
            INLINE_LIST_CHARS
        )
        return _InlineList(items) if key in INLINE_LIST_KEYS and short else items
    folded = key in FOLDED_KEYS or f"{parent}.{key}" in FOLDED_KEYS
    if isinstance(value, str) and folded and len(value) >= FOLDED_FROM:
        return _Folded(" ".join(value.split()))
    return value


def draft_yaml(kind: str, data: Any, schema: dict[str, Any], note: str) -> str:
    """The file text of a drafted ``kind`` (persona or scenario); ``note`` is a comment
    line under the schema line (where the draft came from)."""
    body = yaml.dump(
        arrange(data, schema),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=False,
    )
    lines = body.splitlines()
    spaced: list[str] = []
    for number, line in enumerate(lines):
        if number and re.match(r"^[A-Za-z_][\w-]*:$", line):
            spaced.append("")  # a blank line before each top-level section
        spaced.append(line)
    header = [f"# yaml-language-server: $schema=../schemas/{kind}.schema.json"]
    header += [f"# {one_line(part)}" for part in note.splitlines() if part.strip()]
    return "\n".join(header + spaced) + "\n"
