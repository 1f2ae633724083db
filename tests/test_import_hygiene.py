"""The engine, the content layer and the plain CLI must run without the TUI or the model
SDK: a machine with no terminal UI and no network still plays the real product."""

from __future__ import annotations

import subprocess
import sys

CORE_MODULES = [
    "trainer.content.library",
    "trainer.content.finder",
    "trainer.engine.session",
    "trainer.engine.reactions",
    "trainer.offline.assessor",
    "trainer.offline.buyer",
    "trainer.cli",
    "trainer.cli.play",
    "trainer.cli.validate",
]


def test_core_imports_no_textual_rich_or_openai() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {CORE_MODULES!r}: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'textual', 'rich', 'openai', 'httpx', 'httpx2'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_engine_source_never_names_the_tui() -> None:
    from pathlib import Path

    import trainer

    package = Path(trainer.__file__).parent
    for folder in ("engine", "content", "offline"):
        for path in (package / folder).glob("*.py"):
            text = path.read_text(encoding="utf-8")
            for banned in ("import textual", "from textual", "import rich", "from rich"):
                assert banned not in text, f"{path} contains {banned!r}"
