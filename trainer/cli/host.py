"""``trainer host``: the team host. ``serve`` runs the app in trainees' browsers; ``invite``,
``revoke`` and ``list`` manage the personal links that say who each browser is.

The web server (textual-serve, aiohttp) is the ``host`` extra and is imported only by
``serve``: without it, ``serve`` says how to install it, and the invites work anyway.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainer.cli.errors import UsageError, UserError
from trainer.cli.options import (
    Commands,
    add_content_option,
    add_json_option,
    add_store_option,
)
from trainer.cli.storage import settings_from
from trainer.host.invites import Invites, host_folder
from trainer.host.ssh import add_trainee_key
from trainer.text import json_text, one_line
from trainer.urls import UrlProblem, check_url

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
INSTALL_HINT = "pip install -e '.[host]' in the trainer checkout (the host extra: textual-serve)"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
SERVER_PACKAGES = frozenset({"textual_serve", "aiohttp", "aiohttp_jinja2", "jinja2"})


def register(commands: Commands) -> None:
    parser = commands.add_parser(
        "host",
        description="Serve the trainer in your trainees' browsers from this machine: each "
        "trainee opens a personal link (trainer host invite NAME prints it) and practises "
        "or certifies under that name; content, judge, organisation key and results stay "
        "here. The invites are kept hashed in host/ beside the store.",
    )
    actions = parser.add_subparsers(dest="host_command", metavar="ACTION", required=True)

    serve = actions.add_parser(
        "serve",
        help="serve the app to invited trainees until Ctrl+C or SIGTERM",
        description="Serve the app: one process per browser session, at most --max-sessions "
        "at once. Binds to 127.0.0.1 unless --host says otherwise; put it behind a TLS "
        "reverse proxy (README: Run it for your team) and give that address as --public-url.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument(
        "--port", type=_port, default=8000, help="port to listen on (default 8000; 0: any free)"
    )
    serve.add_argument(
        "--max-sessions",
        type=_positive,
        default=20,
        metavar="N",
        help="app processes at once; the next trainee is asked to retry (default 20)",
    )
    _add_public_url(serve, "the address trainees reach (default: http://HOST:PORT)")
    add_content_option(serve)
    add_store_option(serve)
    serve.set_defaults(handler=run_serve)

    invite = actions.add_parser(
        "invite",
        help="make a trainee's personal link and print it (once)",
        description="Make NAME's personal link and print it. It is shown only now: the host "
        "keeps a hash of its token. Inviting NAME again replaces the old link.",
    )
    invite.add_argument("name", metavar="NAME", help="the trainee, as results will name them")
    _add_public_url(
        invite, f"the host's address as trainees reach it (default {DEFAULT_PUBLIC_URL})"
    )
    invite.add_argument(
        "--ssh-key",
        type=Path,
        metavar="FILE",
        help="instead of a link: let this OpenSSH public key (a .pub file) reach the app over "
        "SSH as NAME, by a line in the service account's authorized_keys",
    )
    invite.add_argument(
        "--authorized-keys",
        type=Path,
        metavar="FILE",
        help="with --ssh-key: the file to add the line to (default ~/.ssh/authorized_keys)",
    )
    add_store_option(invite)
    invite.set_defaults(handler=run_invite)

    revoke = actions.add_parser("revoke", help="end a trainee's link")
    revoke.add_argument("name", metavar="NAME")
    add_store_option(revoke)
    revoke.set_defaults(handler=run_revoke)

    listing = actions.add_parser("list", help="who has a link, and since when")
    add_json_option(listing)
    add_store_option(listing)
    listing.set_defaults(handler=run_list)


def _add_public_url(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--public-url", metavar="URL", help=help)


def _port(text: str) -> int:
    value = _integer(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is 0 to 65535, not {text}")
    return value


def _positive(text: str) -> int:
    value = _integer(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {text}")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None


def _public_url(args: argparse.Namespace, default: str | None) -> str | None:
    value = args.public_url or default
    if value is None:
        return None
    try:
        return check_url(value, "--public-url").rstrip("/")
    except UrlProblem as exc:
        raise UserError(str(exc), 2) from None


def invites_from(args: argparse.Namespace) -> Invites:
    return Invites(host_folder(settings_from(args).store))


def run_invite(args: argparse.Namespace) -> int:
    if args.ssh_key is not None:
        return invite_over_ssh(args)
    if args.authorized_keys is not None:
        raise UsageError("--authorized-keys goes with --ssh-key FILE")
    base = _public_url(args, DEFAULT_PUBLIC_URL)
    made = invites_from(args).invite(args.name)
    if made.replaced:
        print(f"{one_line(made.name)}'s earlier link no longer works.", file=sys.stderr)
    print(f"{base}/t/{made.token}")
    print(
        f"Send this link to {one_line(made.name)} only; it is not shown again "
        "(invite again for a new one).",
        file=sys.stderr,
    )
    return 0


def invite_over_ssh(args: argparse.Namespace) -> int:
    """The SSH side of the host: NAME's key gets the app as NAME and nothing else."""
    line = add_trainee_key(args.name, args.ssh_key, args.authorized_keys)
    print(line)
    print(
        f"{one_line(args.name)} can now run the app with `ssh -t` to this account; to end "
        "it, delete the line ending in trainer:" + one_line(args.name) + ".",
        file=sys.stderr,
    )
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    revoked = invites_from(args).revoke(args.name)
    print(f"{one_line(revoked.name)}'s link no longer opens a session.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    invites = invites_from(args).list()
    if args.json:
        print(json_text([{"name": i.name, "created": i.created} for i in invites]))
        return 0
    if not invites:
        print("No invites yet: trainer host invite NAME")
        return 0
    for invite in invites:
        print(f"{one_line(invite.name)}  (invited {invite.created})")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    try:
        from trainer.host.server import HostServer, app_environment
    except ImportError as exc:
        if (exc.name or "").split(".")[0] not in SERVER_PACKAGES:
            raise
        raise UserError(
            f"trainer host serve needs the web server, which is not installed: {INSTALL_HINT}",
            2,
        ) from None
    settings = settings_from(args)
    invites = Invites(host_folder(settings.store))
    if not invites.list():
        print("trainer host: no invites yet; trainer host invite NAME makes one", file=sys.stderr)
    if args.host not in LOOPBACK:
        print(
            f"trainer host: listening on {one_line(args.host)}, beyond this machine: links "
            "carry their token in plain HTTP unless a TLS proxy is in front "
            "(README: Run it for your team)",
            file=sys.stderr,
        )
    content: list[Path] | None = args.content
    server = HostServer(
        invites,
        app_environment(settings.store, content),
        host=args.host,
        port=args.port,
        max_sessions=args.max_sessions,
        public_url=_public_url(args, None),
    )
    server.serve()
    return 0
