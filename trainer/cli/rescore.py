"""``trainer rescore``: score stored transcripts again under today's content and show what
changes; ``--record`` keeps the new scores (certification results as new ledger records,
never by overwriting the old ones)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from trainer.cli.options import (
    Commands,
    add_content_option,
    add_json_option,
    add_mode_filter,
    add_scenario_filter,
    add_store_options,
)
from trainer.cli.storage import open_store, print_notices, settings_from
from trainer.content.finder import open_library
from trainer.offline.assessor import OfflineAssessor
from trainer.reports.rescore import rescore
from trainer.store.layout import trainee_key
from trainer.store.repository import Store
from trainer.store.rescoring import keep_rescore
from trainer.text import json_text, one_line


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "rescore",
        description="Assess every finished session's seller turns again under the current "
        "content and show the differences. --record keeps the new scores: certification "
        "results become new ledger records that supersede the old ones, which stay.",
    )
    add_store_options(parser)
    add_scenario_filter(parser)
    parser.add_argument("--session", metavar="ID", help="only this session (id or prefix)")
    add_mode_filter(parser)
    parser.add_argument("--record", action="store_true", help="keep the new scores")
    add_json_option(parser)
    add_content_option(parser)
    parser.set_defaults(handler=run)


def selected(store: Store, args: argparse.Namespace) -> list[tuple[str, str]]:
    """(trainee, session id) of every finished session the options select."""
    if args.session:
        stored = store.find_session(args.session, args.trainee, settings_from(args).trainee)
        return [(str(stored.header["trainee"]), stored.id)]
    wanted = trainee_key(args.trainee) if args.trainee else None
    chosen = []
    for name, summaries in store.all_sessions():
        if wanted is not None and trainee_key(name) != wanted:
            continue
        for s in summaries:
            if s.get("status") not in ("ended", "closed"):
                continue
            if args.scenario and s.get("scenario") != args.scenario:
                continue
            if args.mode and s.get("mode") != args.mode:
                continue
            chosen.append((name, str(s["id"])))
    return chosen


def run(args: argparse.Namespace) -> int:
    # without --record it only reads: it works on a read-only copy and creates nothing
    store, ledger = open_store(settings_from(args), read_only=not args.record)
    library = open_library(args.content)
    assessor = OfflineAssessor()
    rows: list[dict[str, Any]] = []
    skipped: list[str] = []
    for trainee, session_id in selected(store, args):
        stored = store.find_session(session_id, trainee)
        setup = library.find(str(stored.header.get("scenario")))
        if setup is None:
            skipped.append(
                f"{session_id[:8]} ({stored.header.get('scenario')}: not in the library)"
            )
            continue
        result = asyncio.run(rescore(stored, setup, assessor))
        row: dict[str, Any] = {
            "session": session_id,
            "trainee": trainee,
            "scenario": setup.scenario.id,
            "mode": stored.header.get("mode"),
            "old_score": result.old_score,
            "new_score": result.new.score,
            "criteria_changes": result.criteria_deltas(),
            "moves_changed": result.moves_changed,
            "changed": result.changed,
        }
        row["quality"] = result.new.turns_part
        row["outcomes"] = result.new.outcomes_part
        row["objectives"] = [o.record() for o in result.new.objectives]
        row["adjustments"] = [a.record() for a in result.new.adjustments]
        if result.certification is not None:
            row["old_passed"] = result.old_passed
            row["new_passed"] = result.certification.passed
            row["reasons"] = list(result.certification.reasons)
        scored_with = stored.header.get("rescored_with") or stored.header.get("content_hashes")
        if args.record and (result.changed or scored_with != setup.content_hashes):
            row["record"] = keep_rescore(
                store,
                ledger,
                result.stored,
                result.new,
                result.turns,
                result.certification,
                result.setup.content_hashes,
            )
            row["kept"] = True
        rows.append(row)
    print_notices(store)
    if args.json:
        sys.stdout.write(json_text({"sessions": rows, "skipped": skipped}) + "\n")
        return 0
    for row in rows:
        if not row["changed"]:
            continue
        verdict = ""
        if "new_passed" in row and row["old_passed"] != row["new_passed"]:
            verdict = f"  {_passed(row['old_passed'])} -> {_passed(row['new_passed'])}"
        criteria = ", ".join(
            f"{k} {'n/a before or after' if v is None else format(v, '+.2f')}"
            for k, v in row["criteria_changes"].items()
        )
        print(
            f"{one_line(row['session'][:8])}  {one_line(row['trainee']):<16} "
            f"{one_line(row['scenario']):<36} "
            f"{row['old_score']} -> {row['new_score']}{verdict}"
            + (f"\n          {criteria}" if criteria else "")
        )
    changed = sum(1 for r in rows if r["changed"])
    print(f"{len(rows)} session(s) re-scored: {changed} changed, {len(rows) - changed} the same.")
    kept = [r for r in rows if r.get("kept")]
    if args.record and kept:
        records = sum(1 for r in kept if r.get("record"))
        print(
            f"Kept the new scores of {len(kept)} session(s); {records} new certification "
            "record(s) in the ledger (the old ones stay)."
        )
    elif args.record:
        print("Nothing to keep: every session is already scored under the current content.")
    elif changed:
        print("Nothing was stored; add --record to keep the new scores.")
    for item in skipped:
        print(f"skipped {item}", file=sys.stderr)
    return 0


def _passed(value: object) -> str:
    return "passed" if value else "not passed"
