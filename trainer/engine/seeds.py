"""Where the buyer's seed comes from: chosen for practice, drawn for certification.

Practice is reproducible on purpose (a script and a seed replay the same call, which is
what authors' tests and a trainee comparing two lines rely on). A certification attempt
must not be: its seed comes from ``secrets`` when the attempt starts, nobody can pass one,
and it lies in a range practice seeds are refused from, so no practice run, whatever seed
it is given, plays the buyer of an attempt.
"""

from __future__ import annotations

import secrets

SEED_BITS = 63
"""Seeds fit a signed 64-bit integer, so every store, JSON reader and model server that
keeps one keeps it exactly."""
CERTIFICATION_FLOOR = 1 << (SEED_BITS - 1)
"""Certification seeds are [2**62, 2**63); practice seeds are [0, 2**62)."""
PRACTICE_SEEDS = range(CERTIFICATION_FLOOR)
MODEL_SEED_BITS = 31
"""Some servers keep a request's seed in 32 bits (llama.cpp); what a model buyer is sent
for an attempt is cut to fit, so a server cannot wrap it to a practice-like value."""


def draw_certification_seed() -> int:
    """A fresh, unguessable seed for one certification attempt."""
    return CERTIFICATION_FLOOR | secrets.randbits(SEED_BITS - 1)


def is_certification_seed(seed: object) -> bool:
    return type(seed) is int and CERTIFICATION_FLOOR <= seed < (1 << SEED_BITS)


def practice_seed_problem(seed: int) -> str | None:
    """Why a seed cannot be used for practice, or None."""
    if seed in PRACTICE_SEEDS:
        return None
    return (
        f"--seed must be a whole number from 0 to {PRACTICE_SEEDS.stop - 1:,} "
        "(larger ones are kept for certification attempts)"
    )


def model_seed(seed: int) -> int:
    """The seed a model buyer is sent for an attempt: drawn from the attempt's own seed,
    so it varies with it, and small enough for every server to take as it is."""
    return seed & ((1 << MODEL_SEED_BITS) - 1)
