"""URLs as they may be used, shown or stored: never with a user name, password or query.

Every URL a user hands the trainer (a model endpoint, a learning record store, the xAPI
home page) is checked here, once, where it is taken: a URL with credentials in it is
refused (they belong in the environment, and a URL gets printed, logged and stored), and
so is one a client could not use. Messages never echo what was refused.
"""

from __future__ import annotations

import re
import urllib.parse

from trainer.errors import InputError
from trainer.text import one_line

_SHOWN_CHARS = 80


class UrlProblem(InputError, ValueError):
    """A URL that cannot be used; the message is safe to print (no credentials in it)."""


def safe_url(url: str) -> str:
    """``https://user:secret@host:8443/v1?key=x`` → ``https://host:8443/v1``; never raises,
    since it is called while reporting other errors."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return _redacted(url)
    if not parts.netloc:  # no "//": whatever looks like credentials goes
        return _redacted(url)
    if port:
        host += f":{port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def _split(url: str) -> tuple[str, str, str]:
    """``(scheme://, authority, /path)`` without query or fragment. The authority is where
    ``user:password@`` sits, with or without a scheme: ``user:secret@host:8000/v1``
    parses as the scheme ``user``, so the standard parser cannot be asked."""
    url = re.split(r"[?#]", url, maxsplit=1)[0]
    scheme, found, rest = url.partition("://")
    prefix = scheme + found if found else ""
    authority, slash, path = (rest if found else url).partition("/")
    return prefix, authority, slash + path


def _redacted(url: str) -> str:
    """What may be shown of a URL in a message: no credentials, query or fragment."""
    prefix, authority, path = _split(url)
    shown = one_line(prefix + authority.rpartition("@")[2] + path)
    return shown if len(shown) <= _SHOWN_CHARS else shown[: _SHOWN_CHARS - 1] + "…"


def check_url(url: str, what: str) -> str:
    """The http(s) URL to use, stripped of surrounding space, or ``UrlProblem`` naming
    ``what`` (the flag, variable or setting it came from) and what to change."""
    text = url.strip()
    if "@" in _split(text)[1]:
        raise UrlProblem(
            f"{what} has a user name or password in it; leave them out of the URL "
            f"({_redacted(text)}): a URL is shown and stored, credentials are not"
        )
    if one_line(text) != text or " " in text:
        raise UrlProblem(f"{what} has spaces or control characters in it")
    parts = urllib.parse.urlsplit(text)
    if parts.scheme.lower() not in ("http", "https"):
        raise UrlProblem(
            f"{what} must start with http:// or https://, like http://localhost:8000/v1 "
            f"(got {_redacted(text)!r})"
        )
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0 or not parts.hostname:
        raise UrlProblem(
            f"{what} needs a host and, if it has a port, a port number from 1 to 65535 "
            f"(got {_redacted(text)!r})"
        )
    return text
