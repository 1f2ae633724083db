"""Saving an export from a screen: into the exports folder (the user's data folder, or
``exports`` in the config file), never the folder the trainer happened to start in, and
the full path said, so the trainee can find the file."""

from __future__ import annotations

from pathlib import Path

from textual.widget import Widget

from trainer.text import printable


def save_export(widget: Widget, folder: Path, name: str, body: str) -> Path | None:
    """Write ``body`` to ``folder/name`` and say where; a folder that cannot be written is
    one notification, not a crash (the session itself is already in the store)."""
    path = folder / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(body, encoding="utf-8")
    except OSError as exc:
        widget.notify(
            printable(f"Could not save {path}: {exc.strerror or exc}"),
            title="Export",
            severity="error",
        )
        return None
    widget.notify(printable(f"Saved {path}"), title="Export", timeout=10)
    return path
