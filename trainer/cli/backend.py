"""Which buyer and judge the command line asks for: the flags of
``options.add_backend_options`` (absent ones fall back to the environment and the config
file). Bare ``trainer`` reads them before it opens the TUI, so this stays light."""

from __future__ import annotations

import argparse

from trainer.cli.storage import sources_from
from trainer.llm.settings import LlmSettings, resolve_llm


def llm_settings_from(args: argparse.Namespace) -> LlmSettings:
    return resolve_llm(
        backend=getattr(args, "backend", None),
        model=getattr(args, "model", None),
        judge_model=getattr(args, "judge_model", None),
        base_url=getattr(args, "base_url", None),
        profile=getattr(args, "profile", None),
        judge_file=getattr(args, "judge_file", None),
        sources=sources_from(args),
    )
