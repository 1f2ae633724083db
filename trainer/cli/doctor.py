"""``trainer doctor``: is the configured endpoint ready for a trainee?"""

from __future__ import annotations

import argparse
import asyncio

from trainer.cli.play import add_backend_options, llm_settings_from
from trainer.llm.settings import how_to_configure
from trainer.text import printable


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = commands.add_parser(
        "doctor",
        help="check the model endpoint: reachable, key, models, streaming, structured output",
        description="Check the configured endpoint (or the one the flags name) and say what "
        "to fix. Exits 0 when the trainer can use it, 1 otherwise.",
    )
    add_backend_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = llm_settings_from(args)
    if settings.backend == "offline":
        print(
            "backend: offline (no endpoint is configured, so the built-in buyer plays).\n"
            + how_to_configure()
        )
        return 0
    from trainer.llm.doctor import run_checks

    print(
        printable(
            f"backend: llm · {settings.describe()['base_url']} · model {settings.buyer_model} · "
            f"judge {settings.judging_model}"
        )
    )
    checks = asyncio.run(run_checks(settings))
    for check in checks:
        print(f"{'ok  ' if check.ok else 'FAIL'} {check.name}: {check.detail}")
        if check.fix:
            print(f"     fix: {check.fix}")
    return 0 if checks and all(c.ok for c in checks) else 1
