"""Record versions and the upgrades between them.

Every record carries ``"v"``. Reading a record older than ``SCHEMA_VERSION`` upgrades it
step by step through ``MIGRATIONS``; opening a store whose ``store.json`` is older rewrites
its files once, so old records do not linger. A record or store newer than this trainer
is refused rather than guessed at.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from trainer.store.errors import NewerStore, StoreError

SCHEMA_VERSION = 1
STORE_FORMAT = "trainer-store"

Record = dict[str, Any]
Migration = Callable[[Record], Record]

KINDS = ("trainee", "summary", "session", "turn", "certification", "head")

MIGRATIONS: dict[tuple[str, int], Migration] = {}
"""(kind, from_version) → a function returning the record at from_version + 1."""


def upgrade(kind: str, record: Record, where: str) -> Record:
    """The record at ``SCHEMA_VERSION``; ``NewerStore`` or ``StoreError`` if impossible."""
    if not isinstance(record, dict):
        raise StoreError(f"{where}: a {kind} record is not an object (it is {record!r:.40})")
    version = record.get("v")
    if not isinstance(version, int) or version < 1:
        raise StoreError(f'{where}: a {kind} record has no valid version ("v")')
    if version > SCHEMA_VERSION:
        raise NewerStore(
            f"{where}: a {kind} record is version {version}, newer than this trainer "
            f"understands ({SCHEMA_VERSION}); upgrade trainer to read it"
        )
    while version < SCHEMA_VERSION:
        step = MIGRATIONS.get((kind, version))
        if step is None:
            raise StoreError(f"{where}: no upgrade for {kind} records from version {version}")
        record = step(dict(record))
        version += 1
        record["v"] = version
    return record
