"""What a path is, asked without opening it.

A folder named ``x.yaml`` or a FIFO named like a scenario is not a content file, and
saying "no such file" or "0 files, all valid" about it sends the author looking in the
wrong place. Opening a FIFO for reading blocks until a writer comes, so only ``stat`` is
used here: it says what the path is and never waits.
"""

from __future__ import annotations

import stat
from pathlib import Path


def kind_of(mode: int) -> str:
    """An ``st_mode`` in words, as a message names it: 'a folder', 'a named pipe (FIFO)'."""
    if stat.S_ISREG(mode):
        return "a file"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "neither a file nor a folder"


def special_kind(path: Path) -> str | None:
    """What ``path`` is when it exists but is not a regular file ('a folder', 'a named
    pipe (FIFO)' ...); None for a regular file (through symlinks) or nothing at all, where
    the caller's own "no such file" message is the right one."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    return None if stat.S_ISREG(mode) else kind_of(mode)


def not_a_file_message(path: Path, wanted: str, missing: str) -> str | None:
    """None for a regular file; else what the path is instead, or ``missing``."""
    kind = special_kind(path)
    if kind is not None:
        return f"{path} is {kind}, not {wanted}"
    return None if path.is_file() else missing
