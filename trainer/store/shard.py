"""One lock, one TinyDB file at a time, and what to do with a file that will not read.

Every read-modify-write runs under a ``filelock.FileLock`` and on a fresh ``TinyDB``
object, so no table keeps a cached ``_next_id`` or query result from before another
process wrote. A file that does not parse is never written over: it is moved to the
store's ``quarantine/`` folder and the caller is told where it went.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout
from tinydb import TinyDB

from trainer.store.atomic import AtomicJSONStorage
from trainer.store.errors import StoreBusy, StoreError

LOCK_TIMEOUT = 15.0
"""Seconds to wait for another trainer process; writes take milliseconds, so a wait
this long means a stuck process or a lock file on a folder that does not support locks."""


@contextmanager
def locked(lock_path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot lock {lock_path}: {exc.strerror or exc}") from None
    lock = _acquired(lock_path, timeout)
    try:
        yield
    finally:
        lock.release()


@contextmanager
def locked_if_possible(lock_path: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[bool]:
    """For a reader that only wants a consistent snapshot: the lock if the folder lets us
    take it, else no lock (a read-only copy has no writer to wait for). Yields whether
    the lock is held. Never creates a folder."""
    if not lock_path.parent.is_dir():
        yield False
        return
    try:
        lock = _acquired(lock_path, timeout)
    except StoreBusy:
        raise
    except StoreError:
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


def _acquired(lock_path: Path, timeout: float) -> FileLock:
    lock = FileLock(lock_path, timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise StoreBusy(
            f"the store is busy: another trainer process has held {lock_path} for "
            f"{timeout:.0f} s. If no other trainer is running, delete that file and retry."
        ) from None
    except OSError as exc:
        raise StoreError(f"cannot lock {lock_path}: {exc.strerror or exc}") from None
    return lock


def open_db(path: Path) -> TinyDB:
    """A TinyDB on the atomic storage. Reads happen lazily, on the first table access."""
    return TinyDB(path, storage=AtomicJSONStorage)


def quarantine(store_root: Path, path: Path, reason: str) -> Path:
    """Move an unreadable file aside (never delete or overwrite it) and return where."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    try:
        relative = path.relative_to(store_root)
    except ValueError:
        relative = Path(path.name)
    target = store_root / "quarantine" / relative.parent / f"{relative.name}.{stamp}.unreadable"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        counter = 1
        while target.exists():
            counter += 1
            target = target.with_name(f"{relative.name}.{stamp}-{counter}.unreadable")
        os.replace(path, target)
        (target.parent / f"{target.name}.why.txt").write_text(
            f"{path}\nmoved here at {stamp} because: {reason}\n", encoding="utf-8"
        )
    except OSError as exc:
        raise StoreError(
            f"{path} could not be read ({reason}) and could not be moved aside "
            f"({exc.strerror or exc}); nothing was written over it"
        ) from None
    return target


class QuarantinedFile(StoreError):
    """A store file could not be read and was moved aside; nothing was written over it."""

    def __init__(self, path: Path, moved_to: Path, reason: str) -> None:
        super().__init__(
            f"{path} could not be read ({reason}); it was moved to {moved_to} and nothing "
            "was written over it. Restore it from a backup if you have one."
        )
        self.path = path
        self.moved_to = moved_to
        self.reason = reason


def remove_stale_temp_files(folder: Path, older_than: float = 0.0) -> None:
    """Temp files left by a process killed mid-write; only call under the folder's lock."""
    if not folder.is_dir():
        return
    cutoff = time.time() - older_than
    for entry in folder.glob(".*.tmp"):
        try:
            if entry.stat().st_mtime < cutoff:
                entry.unlink()
        except FileNotFoundError:
            continue
