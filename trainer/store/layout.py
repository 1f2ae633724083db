"""Where each record lives in a store folder.

```
STORE/
  store.json                         format and version of the store
  trainees/<slug>/index.json         one summary per session (what history and reports read)
  trainees/<slug>/sessions/<id>.json one session: its header and its turns, as they happen
  trainees/<slug>/.lock              guards that trainee's files
  certification/ledger-000001.json   certification records, hash-chained, 200 per file
  certification/head.json            the last record's sequence number and hash
  quarantine/                        files that would not read, moved aside
```

A turn rewrites one small session file, so its cost does not grow with the store; a
trainee's history is one file; a cohort report reads one index per trainee.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

LEDGER_SEGMENT_SIZE = 200


def trainee_key(name: str) -> str:
    """Trainee names compare without regard to case, accents composed the same way."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


def trainee_slug(name: str) -> str:
    """A folder name for a trainee: readable, safe on every filesystem, collision-free."""
    key = trainee_key(name)
    ascii_name = unicodedata.normalize("NFKD", key).encode("ascii", "ignore").decode()
    readable = re.sub(r"[^a-z0-9]+", "-", ascii_name).strip("-")[:40] or "trainee"
    return f"{readable}-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


@dataclass(frozen=True)
class Layout:
    root: Path

    @property
    def meta(self) -> Path:
        return self.root / "store.json"

    @property
    def trainees(self) -> Path:
        return self.root / "trainees"

    def trainee_dir(self, slug: str) -> Path:
        return self.trainees / slug

    def index(self, slug: str) -> Path:
        return self.trainee_dir(slug) / "index.json"

    def sessions_dir(self, slug: str) -> Path:
        return self.trainee_dir(slug) / "sessions"

    def session(self, slug: str, session_id: str) -> Path:
        return self.sessions_dir(slug) / f"{session_id}.json"

    def trainee_lock(self, slug: str) -> Path:
        return self.trainee_dir(slug) / ".lock"

    @property
    def ledger_dir(self) -> Path:
        return self.root / "certification"

    @property
    def ledger_lock(self) -> Path:
        return self.ledger_dir / ".lock"

    @property
    def ledger_head(self) -> Path:
        return self.ledger_dir / "head.json"

    def ledger_segment(self, seq: int) -> Path:
        number = (seq - 1) // LEDGER_SEGMENT_SIZE + 1
        return self.ledger_dir / f"ledger-{number:06d}.json"

    def ledger_segments(self) -> list[Path]:
        return sorted(self.ledger_dir.glob("ledger-*.json"))

    @property
    def quarantine(self) -> Path:
        return self.root / "quarantine"
