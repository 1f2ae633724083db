"""URLs as they may be shown or stored: never with a user name, password or query."""

from __future__ import annotations

import urllib.parse


def safe_url(url: str) -> str:
    """``https://user:secret@host:8443/v1?key=x`` → ``https://host:8443/v1``."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host += f":{parts.port}"
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))
