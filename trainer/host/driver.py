"""The web driver a hosted app runs under: Textual's ``WebDriver``, ending when the host does.

textual-serve talks to each app over its stdin and stdout pipes. When the host ends in
order it asks each app to quit; when it dies at once (``kill -9``, an out-of-memory kill)
its apps are left as orphans: nothing reads their screen or sends them keys, and
Textual's own driver only stops reading at the end of its input. Such an orphan would
hold its session ``in progress`` for good, so the trainee could never resume it.

This driver quits the app as Ctrl+Q does (the call left open, so ``interrupted`` and
resumable once the process is gone) as soon as the host is gone: its input ends (the
pipe's other end closed) or a write finds no reader. Output after that is dropped
rather than raised into the app's event loop. A turn whose reply was on screen is not
lost: the engine hands the turn to the store (a write in a thread) before the screen
can draw its reply, and the process finishes that write before it exits.

The host names this class in each app's ``TEXTUAL_DRIVER`` (``server.DRIVER``).
"""

from __future__ import annotations

import contextlib
import os
from functools import partial
from typing import Any

from textual.drivers.web_driver import WebDriver


class HostedWebDriver(WebDriver):
    """``WebDriver`` that quits the app when the host's end of its pipes goes away."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._host_gone = False
        self._told_to_stop = False
        self._write = partial(self._write_while_read)

    def _write_while_read(self, data: bytes) -> int:
        """``os.write`` to stdout, until the host stops reading (then nothing, and quit)."""
        if self._host_gone:
            return len(data)
        try:
            return os.write(self.fileno, data)
        except (BrokenPipeError, ConnectionResetError):
            self._lost_host()
            return len(data)

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == "exit":  # the server ends the input loop itself
            self._told_to_stop = True
        super().on_meta(packet_type, payload)

    def run_input_thread(self) -> None:
        """Textual's input loop; when it ends on its own (end of input: the host closed
        the pipe or died), the app quits. An end the app or the server asked for is not a
        lost host."""
        super().run_input_thread()
        if not (self.exit_event.is_set() or self._told_to_stop):
            self._lost_host()

    def _lost_host(self) -> None:
        if self._host_gone:
            return
        self._host_gone = True
        loop = self._loop  # the app's event loop (Textual's driver keeps it)
        if loop.is_closed():
            return
        # (a RuntimeError: the loop closed meanwhile, so the app is ending anyway)
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._app.exit)
