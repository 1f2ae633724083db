"""libyaml reads content fast; what an author sees must not change because of it.

``parse_yaml`` takes libyaml's events when the file reads cleanly and falls back to the
pure-Python reader otherwise. These tests hold the two paths to the same answer: the same
values and the same node locations (which every validation message is placed by) for
every YAML file in the repository, and the same outcome, value or problem, for every
hostile document the fuzz generator makes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from tests.fuzz_content import documents
from trainer.content import yaml_loader
from trainer.content.problems import Problem
from trainer.content.yaml_loader import (
    HAVE_LIBYAML,
    FastStrictLoader,
    StrictLoader,
    YamlDocument,
    _parse_with,
    libyaml_may_read,
    parse_yaml,
)

REPO = Path(__file__).resolve().parents[1]
FOLDERS = ("personas", "scenarios", "corpus", "tests/data", "benchmarks", "docs", "trainer")

pytestmark = pytest.mark.skipif(not HAVE_LIBYAML, reason="PyYAML was built without libyaml")


def repository_yaml() -> list[Path]:
    found: list[Path] = []
    for folder in FOLDERS:
        found += sorted((REPO / folder).rglob("*.yaml"))
        found += sorted((REPO / folder).rglob("*.yml"))
    return found


def shape(node: Node | None) -> Any:
    """A node tree as plain values with where each node starts, for comparing (a problem is
    placed at a node's start; nothing reads its end, where the two parsers can differ by
    a trailing blank line)."""
    if node is None:
        return None
    where = (node.start_mark.line, node.start_mark.column)
    if isinstance(node, ScalarNode):
        # libyaml calls a plain scalar's style "", PyYAML None; nothing reads it
        return (where, node.tag, node.value, node.style or None)
    if isinstance(node, SequenceNode):
        return (where, node.tag, [shape(item) for item in node.value])
    assert isinstance(node, MappingNode)
    return (where, node.tag, [(shape(k), shape(v)) for k, v in node.value])


def both(path: Path, text: str) -> tuple[YamlDocument | Problem, YamlDocument | Problem]:
    return (
        _parse_with(FastStrictLoader, path, text, None),
        _parse_with(StrictLoader, path, text, None),
    )


def test_every_yaml_file_in_the_repository_reads_the_same_both_ways() -> None:
    files = repository_yaml()
    assert len(files) > 100  # personas, scenarios, the corpus, locked sets, test data
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast, slow = both(path, text)
        if isinstance(slow, Problem):
            assert isinstance(fast, Problem), path  # a test file that is broken on purpose
            continue
        assert isinstance(fast, YamlDocument), (path, fast)
        assert fast.data == slow.data, path
        assert shape(fast.root) == shape(slow.root), path


def test_hostile_documents_get_the_same_answer_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where libyaml accepts what the pure-Python reader refuses, or reads a value
    otherwise, an author would see a different result: none may."""
    compared = 0
    for number, document in enumerate(documents(400)):
        try:
            text = document.data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        path = tmp_path / f"{number}.yaml"
        fast, slow = both(path, text)
        if not libyaml_may_read(text):
            pass  # read by PyYAML alone; parse_yaml is compared with the old answer below
        elif isinstance(slow, Problem):
            assert isinstance(fast, Problem), (document.kind, text[:300])
        else:
            assert isinstance(fast, YamlDocument), (document.kind, fast, text[:300])
            assert fast.data == slow.data, document.kind
            assert shape(fast.root) == shape(slow.root), document.kind
        # and parse_yaml answers as it did with the pure-Python reader alone
        shown = parse_yaml(path, text)
        with monkeypatch.context() as patched:
            patched.setattr(yaml_loader, "HAVE_LIBYAML", False)
            before = parse_yaml(path, text)
        if isinstance(before, Problem):
            assert shown == before
        else:
            assert isinstance(shown, YamlDocument) and shown.data == before.data
        compared += 1
    assert compared > 300
