"""The team host: the Textual app served in the browser, one process per trainee's session,
and the same app over SSH (``ssh``: the authorized_keys line that confines a key to it).

A front end beside ``trainer.tui``, not on top of it: it starts the app as a process
(``python -m trainer.tui``) and never imports it. ``invites`` (links and their hashed
tokens) needs nothing beyond the standard library and the store's file helpers, so
``trainer host invite`` works without the ``host`` extra; ``server`` needs textual-serve.
"""
