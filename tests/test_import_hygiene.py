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


# The fitting tools moved out of trainer/offline/ (issue 14): the judge and the buyer a
# trainee meets import nothing above them, and never scikit-learn.
FITTING_TOOLS = (
    "trainer.authoring.judge_training",
    "trainer.authoring.corpus",
    "trainer.authoring.pressure_training",
)
ABOVE_OFFLINE = (
    "trainer.authoring",
    "trainer.llm",
    "trainer.reports",
    "trainer.tui",
    "trainer.cli",
)


def test_offline_backend_imports_nothing_above_it() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import trainer.offline\n"
        "from trainer.offline.assessor import OfflineAssessor\n"
        "from trainer.offline.buyer import OfflineBuyer\n"
        "OfflineAssessor().prepare()\n"
        "OfflineBuyer(seed=1)\n"
        "for info in pkgutil.iter_modules(trainer.offline.__path__, 'trainer.offline.'):\n"
        "    importlib.import_module(info.name)\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = result.stdout.split()
    assert "trainer.offline.verdict" in loaded  # prepare() ran and the walk reached it
    for tool in FITTING_TOOLS:
        assert tool not in loaded
    above = [m for m in loaded if m.startswith(tuple(p + "." for p in ABOVE_OFFLINE))]
    above += [m for m in loaded if m in ABOVE_OFFLINE]
    assert above == []
    assert not [m for m in loaded if m.split(".")[0] == "sklearn"]
