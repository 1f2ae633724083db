"""``python -m trainer.tui``: the TUI, whatever stdin and stdout are.

Bare ``trainer`` opens the TUI only on a terminal (else it plays a typed session). The
team host (``trainer host serve``) runs the app under Textual's web driver, which talks
over pipes, not a terminal, so it starts the app this way: settings from the environment
and the config file (``AppContext.from_environment``), as bare ``trainer`` reads them.
A setting that cannot be used is one line on stderr and exit 1, never a traceback.
"""

from __future__ import annotations

import sys

from trainer.errors import TrainerError
from trainer.text import printable
from trainer.tui.app import TrainerApp
from trainer.tui.context import AppContext


def main() -> int:
    try:
        context = AppContext.from_environment()
    except TrainerError as exc:
        print(f"trainer: {printable(exc.for_user())}", file=sys.stderr)
        return exc.exit_code
    TrainerApp(context).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
