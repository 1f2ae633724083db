"""Saving an export from a screen: into the exports folder (the user's data folder, or
``exports`` in the config file), never the folder the trainer happened to start in, and
the full path said, so the trainee can find the file. Hosted (``trainer host``), the
export goes to the trainee's browser as a download through Textual's delivery API, and
nothing is written on the host's disk: the trainee has no other way to reach the file,
and the host's folders are none of their business."""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from textual.widget import Widget

from trainer.text import printable

if TYPE_CHECKING:
    from trainer.reports.session_export import SessionExport
    from trainer.tui.context import AppContext

MIME_TYPES = {".md": "text/markdown", ".json": "application/json"}


def deliver_export(widget: Widget, context: AppContext, export: SessionExport) -> None:
    """An export where the trainee can get it: downloaded in the browser when hosted,
    else saved into the exports folder."""
    if context.settings.hosted:
        send_export(widget, export)
    else:
        save_export(widget, context.settings.exports, export.name, export.body)


def send_export(widget: Widget, export: SessionExport) -> str | None:
    """Hand the export to the browser (the web driver turns it into a download); the
    notification names the file, never a path on the host."""
    suffix = Path(export.name).suffix
    key = widget.app.deliver_text(
        io.StringIO(export.body),
        save_filename=export.name,
        open_method="download",
        encoding="utf-8",
        mime_type=MIME_TYPES.get(suffix, "text/plain"),
    )
    if key is None:
        widget.notify(
            "Could not send the export to your browser.", title="Export", severity="error"
        )
        return None
    widget.notify(printable(f"Downloading {export.name}"), title="Export", timeout=10)
    return key


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
