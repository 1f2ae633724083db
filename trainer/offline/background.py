"""What the offline judge knows beyond the scenario in front of it.

A small module of its own so that the judge file's reader (``model.py``) and the command
line can load without compiling the judge's cue patterns: those are compiled when a call
first needs them, not when the trainer starts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Background:
    """What the judge knows beyond this scenario, learned from its corpus: the stems
    many worlds share (the rest of a turn's words that are not this scenario's own count
    as another world's), words sellers write in lower case (capitalised, they start a
    sentence; they name nobody), and the names of every buyer world it was trained on
    (said to another buyer, they mean the seller is using someone else's script)."""

    common: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    terms: frozenset[str] = frozenset()
    """Stems that belong to one or two buyer worlds' files: dock, reefer, denials..."""
