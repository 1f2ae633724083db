"""The one place a session is assembled, for the CLI, the TUI and the authoring tools.

One job a module: which buyer and assessor play (``backends``), the buyer's seed
(``seeding``), where a session is recorded (``results``), opening a new one
(``opening``), going on with an interrupted one (``resuming``), ending one without playing
on (``ending``), and what a front end may read of a recorded session (``recording``,
with the typed certification outcome of ``outcome``). Front ends import these, never
the store's recorder or the ledger, so the wiring is written once.

Nothing is imported here: bare ``trainer`` imports only the modules the TUI needs.
"""
