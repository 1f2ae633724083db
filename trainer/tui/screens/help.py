"""The keys of the screen help was opened from, and the one idea behind the scoring.

The keys are read from Textual's live binding map (``Screen.active_bindings``) when F1 is
pressed, not copied into a list here: a binding added to a screen shows up in help, and
one the screen does not allow right now (a hint in a certification attempt, the debrief
key before the call is over) does not. Textual's own editing and cursor keys (the table's
arrows, the text box's Ctrl+W) are left out unless the trainer declares them itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


@dataclass(frozen=True)
class KeyHelp:
    """One line of help: the keys (as the footer shows them) and what they do."""

    keys: str
    does: str


@dataclass(frozen=True)
class ScreenKeys:
    """The keys of one screen: its own (and its focused widget's), and the app's."""

    here: tuple[KeyHelp, ...]
    anywhere: tuple[KeyHelp, ...]


def _declared(classes: Iterable[type], textual: bool) -> set[tuple[str, str]]:
    """(key, action) pairs the classes' own ``BINDINGS`` declare, from Textual's classes
    (``textual``) or from everyone else's."""
    pairs: set[tuple[str, str]] = set()
    for cls in classes:
        if cls.__module__.startswith("textual.") != textual:
            continue
        entries: list[BindingType] = cls.__dict__.get("BINDINGS", [])
        for entry in entries:
            binding = entry if isinstance(entry, Binding) else Binding(*entry)
            pairs.update((key.strip(), binding.action) for key in binding.key.split(","))
    return pairs


def _ours(node: DOMNode, key: str, binding: Binding) -> bool:
    """Whether a binding is one of the trainer's: declared by a class of ours, or added
    by none (the app's command palette), but not only inherited from a Textual widget."""
    mro = type(node).__mro__
    pair = (key, binding.action)
    return pair in _declared(mro, textual=False) or pair not in _declared(mro, textual=True)


def screen_keys(screen: Screen[object]) -> ScreenKeys:
    """The keys active on ``screen`` now: the screen's own in the order it declares them,
    then its focused widget's, then the app's; keys that do the same thing share a line."""
    app = screen.app

    def rank(node: DOMNode) -> int:
        return 0 if node is screen else 2 if isinstance(node, App) else 1

    def declared_at(node: DOMNode, key: str) -> int:
        keys = list(node._bindings.key_to_bindings)
        return keys.index(key) if key in keys else len(keys)

    active = [
        (key, bound)
        for key, bound in screen.active_bindings.items()
        if bound.enabled and _ours(bound.node, key, bound.binding)
    ]
    active.sort(key=lambda pair: (rank(pair[1].node), declared_at(pair[1].node, pair[0])))
    here: dict[str, list[str]] = {}
    anywhere: dict[str, list[str]] = {}
    for _key, bound in active:
        does = bound.binding.tooltip or bound.binding.description
        if not does:
            continue
        lines = anywhere if isinstance(bound.node, App) else here
        display = app.get_key_display(bound.binding)
        if display not in lines.setdefault(does, []):
            lines[does].append(display)

    def listed(lines: dict[str, list[str]]) -> tuple[KeyHelp, ...]:
        return tuple(KeyHelp("/".join(keys), does) for does, keys in lines.items())

    return ScreenKeys(listed(here), listed(anywhere))


def help_text(keys: ScreenKeys) -> Text:
    width = max((len(line.keys) for line in keys.here + keys.anywhere), default=0) + 2
    text = Text()
    text.append("Trainer — help\n\n", style="bold")
    text.append("Every turn is judged on one question: ")
    text.append("was this a good use of the customer's time?\n", style="italic")
    sections: Sequence[tuple[str, tuple[KeyHelp, ...]]] = (
        ("Keys on this screen", keys.here),
        ("Anywhere", keys.anywhere),
    )
    for heading, lines in sections:
        if not lines:
            continue
        text.append(f"\n{heading}\n", style="bold")
        for line in lines:
            text.append(f"  {line.keys:<{width}}", style="bold")
            text.append(line.does + "\n")
    text.append("\nEsc closes this.", style="dim")
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "app.pop_screen", "Close")]

    def __init__(self, keys: ScreenKeys) -> None:
        """``keys``: those of the screen help was opened from (see :func:`screen_keys`)."""
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_text(self.keys))
