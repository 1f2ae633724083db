"""``trainer judge``: the offline judge's labelled turns and model files.

``check`` reads labelled-turn files the way ``calibrate`` and ``train`` do and counts
them, without judging anything, so a person writing labels can check their file without
seeing (and being swayed by) what a judge would say. ``train`` fits a judge to a team's
labelled turns on top of the shipped corpus and writes a judge file; ``info`` says what
a judge file was trained on.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from trainer.authoring.calibration import Sample, load_samples
from trainer.authoring.corpus import corpus_content, corpus_files
from trainer.cli.errors import UserError
from trainer.cli.options import Commands, add_content_option
from trainer.content.finder import open_library
from trainer.content.library import Library, load_library
from trainer.content.models import MOVES
from trainer.content.paths import not_a_file_message
from trainer.content.problems import ContentError
from trainer.offline.model import SHIPPED_JUDGE, VERSION, load


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "judge",
        description="Work with the offline judge: check labelled-turn files and train the "
        "judge on them. docs/judging.md is the labelling guide.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="check labelled-turn files and count their turns (judges nothing)",
        description="Read labelled-turn files as 'calibrate' and 'judge train' do, report "
        "every problem at file:line, and count the turns by move, good use and context. "
        "Nothing is judged.",
    )
    check.add_argument("labels", nargs="+", type=Path, metavar="LABELS")
    add_content_option(check)
    check.set_defaults(handler=run_check)

    train = actions.add_parser(
        "train",
        help="fit the offline judge to your labelled turns (on top of the shipped corpus)",
        description="Fit the offline judge to labelled turns and write a judge file. Your "
        "turns are added to the shipped corpus unless --without-corpus is given. Use the "
        'file with --judge-file FILE or judge_file = "FILE" in the config file, and '
        "measure it with 'trainer calibrate LABELS --judge-file FILE'. Needs scikit-learn "
        "(pip install 'trainer[train]').",
    )
    train.add_argument("labels", nargs="*", type=Path, metavar="LABELS")
    train.add_argument("--out", type=Path, required=True, metavar="FILE", help="the judge file")
    train.add_argument(
        "--without-corpus",
        action="store_true",
        help="train on LABELS alone (they must then have every move and score)",
    )
    add_content_option(train)
    train.set_defaults(handler=run_train)

    info = actions.add_parser(
        "info",
        help="what a judge file was trained on",
        description="Check a judge file and print what it was trained on (default: the "
        "shipped judge).",
    )
    info.add_argument("file", nargs="?", type=Path, metavar="FILE")
    info.set_defaults(handler=run_info)


def read_samples(
    paths: Sequence[Path], content: list[Path] | None, library: Library | None = None
) -> list[Sample]:
    """The labelled turns in ``paths``, or a ``UserError`` listing every problem."""
    for path in paths:
        if path.is_dir():
            raise UserError(f"{path} is a folder; give the labelled-turn files (YAML) in it")
        unusable = not_a_file_message(path, "a labels file", f"no labels file at {path}")
        if unusable is not None:
            raise UserError(unusable)
    try:
        return load_samples(paths, library or open_library(content))
    except ContentError as exc:
        raise UserError(f"the labels cannot be used:\n{exc}") from None


def run_check(args: argparse.Namespace) -> int:
    samples = read_samples(args.labels, args.content)
    for path in args.labels:
        print(describe([s for s in samples if s.path == path], str(path)))
    if len(args.labels) > 1:
        print(describe(samples, f"all {len(args.labels)} files"))
    return 0


def describe(samples: Sequence[Sample], name: str) -> str:
    """A few lines counting the turns by move, good use and context."""
    moves: Counter[str] = Counter(s.turn.label for s in samples)
    uses = Counter(s.turn.good_use for s in samples)
    scenarios = Counter(s.scenario_id for s in samples)
    with_context = sum(bool(s.turn.exchanges or s.turn.facts_disclosed) for s in samples)
    with_facts = sum(bool(s.turn.facts_disclosed) for s in samples)
    return "\n".join(
        [
            f"{name}: {len(samples)} turn(s), OK",
            "  scenarios: " + ", ".join(f"{k} {v}" for k, v in sorted(scenarios.items())),
            "  moves:     " + "  ".join(f"{m} {moves.get(m, 0)}" for m in MOVES),
            "  good use:  " + "  ".join(f"{g}: {uses.get(g, 0)}" for g in range(1, 6)),
            f"  context:   {with_context} with earlier exchanges or facts, "
            f"{with_facts} with disclosed facts",
        ]
    )


def run_train(args: argparse.Namespace) -> int:
    from trainer.authoring.judge_training import fit

    library = load_library(corpus_content(args.content or []))
    yours = read_samples(args.labels, args.content, library)
    corpus: list[Sample] = []
    if not args.without_corpus:
        corpus = read_samples(corpus_files(), None, library)
    elif not yours:
        raise UserError("--without-corpus needs labelled-turn files to train on")
    samples = corpus + yours
    model = fit(samples, describe={"yours": len(yours), "corpus": len(corpus)})
    out: Path = args.out
    if out.is_dir():
        raise UserError(f"{out} is a folder; --out names the judge file to write")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        model.save(out)
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    scenarios = len({s.scenario_id for s in samples})
    print(
        f"Wrote {out}: a judge trained on {len(samples)} turn(s) from {scenarios} scenario(s) "
        f"({len(yours)} yours, {len(corpus)} from the shipped corpus)."
    )
    print(f"Use it:     trainer play SCENARIO --judge-file {out}")
    print(f'            or judge_file = "{out}" in the config file')
    if args.labels:
        labels = " ".join(str(p) for p in args.labels)
        print(f"Measure it: trainer calibrate {labels} --judge-file {out}")
    return 0


def run_info(args: argparse.Namespace) -> int:
    path: Path = args.file or SHIPPED_JUDGE
    model = load(path, MOVES)
    trained = model.trained_on
    print(f"{path}: a trainer judge, format {VERSION}")
    print(
        f"  trained on {trained.get('turns', '?')} turn(s) from "
        f"{len(trained.get('scenarios', []))} scenario(s)"
    )
    if "yours" in trained:
        corpus = trained.get("corpus", 0)
        print(f"  {trained['yours']} of them yours, {corpus} from the shipped corpus")
    print(f"  labels sha256 {trained.get('labels_sha256', '?')}")
    print(f"  moves: {', '.join(model.moves.classes)}")
    print(f"  features: {len(model.moves.weights)} (move), {len(model.uses.weights)} (good use)")
    return 0
