"""The results store: sessions, turns and summaries per trainee, on TinyDB files.

This is the small repository interface the rest of the trainer uses; nothing outside
``trainer.store`` touches a file or a TinyDB object. Each write is one locked
read-modify-write of one small file (see ``layout.py``), so a turn is on disk, fsynced,
before the trainee sees it committed, and a kill loses at most the turn in flight.
"""

from __future__ import annotations

import json
import os
import socket
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast

from tinydb import TinyDB
from tinydb.table import Document

from trainer.config import STORE
from trainer.engine.attempts import attempts_used
from trainer.store.atomic import UnreadableFile, read_json_file, write_json_atomically
from trainer.store.errors import (
    AttemptInProgress,
    AttemptsUsed,
    NewerStore,
    NoStore,
    SessionBusy,
    SessionNotFound,
    StoreError,
)
from trainer.store.layout import Layout, trainee_key, trainee_slug
from trainer.store.migrations import SCHEMA_VERSION, STORE_FORMAT, Record, upgrade
from trainer.store.records import (
    NewSession,
    Owner,
    SessionEnd,
    SessionHeader,
    StoredTurn,
    SummaryRecord,
    TraineeRecord,
    claimed_mapping,
)
from trainer.store.shard import (
    QuarantinedFile,
    locked,
    locked_if_possible,
    open_db,
    quarantine,
    remove_stale_temp_files,
)

T = TypeVar("T")

STORE_KEYS = ("v", "seq", "branch")
"""Keys the store adds to a turn record; the engine's record is the rest."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class StoredSession:
    """A session as stored: its header and every turn record in the order committed
    (``branch`` is set on turns a rewind abandoned)."""

    header: SessionHeader
    """As the file claims it (see ``records.py``): checked where it decides anything."""
    turns: list[StoredTurn]
    path: Path

    @property
    def id(self) -> str:
        return str(self.header["id"])

    def main_line(self) -> list[StoredTurn]:
        return [t for t in self.turns if t.get("branch") is None]

    def engine_records(self, turns: list[StoredTurn] | None = None) -> list[Record]:
        """Turn records as the engine wrote them (the main line by default), without the
        store's own keys: what transcript digests and exports are made of."""
        chosen = self.main_line() if turns is None else turns
        return [{k: v for k, v in t.items() if k not in STORE_KEYS} for t in chosen]

    def branches(self) -> dict[int, list[StoredTurn]]:
        grouped: dict[int, list[StoredTurn]] = {}
        for turn in self.turns:
            branch = turn.get("branch")
            if branch is not None:
                grouped.setdefault(int(branch), []).append(turn)
        return grouped


@dataclass
class Store:
    """A store folder. ``notices`` collects what a user should hear about (files moved
    aside, indexes rebuilt) without stopping the command.

    A ``read_only`` store is for readers (listings, reports, exports, verify), which
    auditors run on read-only copies: it is never created, upgraded, repaired or locked
    for writing; a damaged file is reported and left where it is, and what a kill left
    out of an index is read from the session files instead."""

    root: Path
    now: Callable[[], datetime] = utc_now
    host: str = field(default_factory=socket.gethostname)
    pid: int = field(default_factory=os.getpid)
    notices: list[str] = field(default_factory=list)
    read_only: bool = False

    def __post_init__(self) -> None:
        self.root = Path(self.root)
        self.layout = Layout(self.root)

    # ---------------------------------------------------------------- opening

    @classmethod
    def open(cls, root: Path, **kwargs: Any) -> Store:
        """Open a store, checking its format, version and layout: created if needed,
        unless ``read_only`` (then a missing store is an error)."""
        store = cls(root, **kwargs)
        if store.read_only:
            store._check_existing()
        else:
            store._check_meta()
        store._check_layout()
        return store

    def _check_existing(self) -> None:
        if self._meta_version() is None and not self.layout.trainees.is_dir():
            raise NoStore(
                f"there is no results store at {self.root}; check --store or {STORE.name} "
                "(a store is made when a session is first played)"
            )

    def _check_layout(self) -> None:
        """Folders the store keeps its files in must be folders: a file in their place
        is named (and left alone) rather than failing later with a traceback."""
        for folder, holds in (
            (self.layout.trainees, "trainees' sessions"),
            (self.layout.ledger_dir, "certification ledger"),
            (self.layout.quarantine, "unreadable files"),
        ):
            if folder.exists() and not folder.is_dir():
                raise StoreError(
                    f"{folder} is not a folder, but the store keeps its {holds} there; "
                    "move it aside and retry (nothing was changed)"
                )

    def _check_meta(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the store folder {self.root}: {exc.strerror or exc}"
            ) from None
        if not os.access(self.root, os.W_OK):
            raise StoreError(f"the store folder {self.root} is not writable by you")
        if self._meta_version() == SCHEMA_VERSION:
            return
        # Creating or upgrading the store: one process at a time, and check again under
        # the lock, since another may have just done it.
        with locked(self.root / ".store.lock"):
            version = self._meta_version()
            if version is None:
                visible = [p for p in self.root.iterdir() if not p.name.startswith(".")]
                if visible and not self.layout.trainees.is_dir():
                    raise StoreError(
                        f"{self.root} is not empty and is not a trainer store; choose an "
                        "empty folder or an existing store"
                    )
                write_json_atomically(
                    self.layout.meta, {"format": STORE_FORMAT, "version": SCHEMA_VERSION}
                )
            elif version < SCHEMA_VERSION:
                self._migrate_files(version)

    def _meta_version(self) -> int | None:
        """The store's format version; None for a folder that has none yet."""
        try:
            meta = read_json_file(self.layout.meta)
        except UnreadableFile as exc:
            raise StoreError(
                f"{self.layout.meta} is damaged ({exc.reason}); it only names the store's "
                f'format: replace it with {{"format": "{STORE_FORMAT}", "version": '
                f"{SCHEMA_VERSION}}}"
            ) from None
        if meta is None:
            return None
        if meta.get("format") != STORE_FORMAT:
            raise StoreError(f"{self.root} is not a trainer store ({self.layout.meta})")
        version = meta.get("version")
        if not isinstance(version, int) or version < 1:
            raise StoreError(f"{self.layout.meta}: the version must be a whole number")
        if version > SCHEMA_VERSION:
            raise NewerStore(
                f"the store {self.root} was written by a newer trainer (format {version}; "
                f"this one reads up to {SCHEMA_VERSION}); upgrade trainer"
            )
        return version

    def _migrate_files(self, version: int) -> None:
        """Rewrite every trainee file at the current version, trainee by trainee. The
        certification ledger is left as written: its records are hashed as stored."""
        for slug_dir in sorted(self.layout.trainees.glob("*")):
            if not slug_dir.is_dir():
                continue
            slug = slug_dir.name
            with locked(self.layout.trainee_lock(slug)):
                files = [self.layout.index(slug), *self.layout.sessions_dir(slug).glob("*.json")]
                for path in files:
                    self._rewrite_upgraded(path)
        write_json_atomically(self.layout.meta, {"format": STORE_FORMAT, "version": SCHEMA_VERSION})
        self.notices.append(f"upgraded the store {self.root} from format {version}")

    def _rewrite_upgraded(self, path: Path) -> None:
        kinds = {"trainee": "trainee", "sessions": "summary", "session": "session", "turns": "turn"}
        data = self._read(path)
        if data is None:
            return
        upgraded = {
            table: {
                doc_id: upgrade(kinds.get(table, table), record, str(path))
                for doc_id, record in docs.items()
            }
            for table, docs in data.items()
        }
        write_json_atomically(path, upgraded)

    # ---------------------------------------------------------------- file access

    def set_aside(self, path: Path, reason: str) -> StoreError:
        """What to raise for a file that will not read: moved to quarantine/ (never
        overwritten), or, read-only, left where it is."""
        if self.read_only:
            return StoreError(
                f"{path} could not be read ({reason}); it was left as it is (read-only)"
            )
        moved = quarantine(self.root, path, reason)
        return QuarantinedFile(path, moved, reason)

    def lock_for_reading(self, lock_path: Path) -> AbstractContextManager[object]:
        """The lock a consistent read takes: a writer's lock, or for a read-only store
        the lock only if the folder lets us take it."""
        return locked_if_possible(lock_path) if self.read_only else locked(lock_path)

    def _read(self, path: Path) -> dict[str, dict[str, Record]] | None:
        """A whole file without a lock (files are replaced atomically, so a read sees a
        complete version). Unreadable files are moved aside and reported."""
        try:
            data = read_json_file(path)
        except UnreadableFile as exc:
            raise self.set_aside(path, exc.reason) from None
        if data is None:
            return None
        for name, table in data.items():
            if not isinstance(table, dict):
                raise self.set_aside(path, f"table {name!r} is not an object")
        return data

    def _with_db(self, path: Path, action: Callable[[TinyDB], T]) -> T:
        """Run ``action`` on a fresh TinyDB over ``path``; the caller holds the lock."""
        db = open_db(path)
        try:
            return action(db)
        except UnreadableFile as exc:
            raise self.set_aside(path, exc.reason) from None
        finally:
            db.close()

    # ---------------------------------------------------------------- trainees

    def trainee_slugs(self) -> list[str]:
        if not self.layout.trainees.is_dir():
            return []
        return sorted(p.name for p in self.layout.trainees.iterdir() if p.is_dir())

    def _ensure_trainee(self, db: TinyDB, name: str) -> None:
        table = db.table("trainee")
        if not table.contains(doc_id=1):
            record: TraineeRecord = {"v": SCHEMA_VERSION, "name": name}
            table.insert(Document(record, doc_id=1))

    # ---------------------------------------------------------------- sessions: writing

    def begin_session(
        self,
        new: NewSession | Record,
        max_attempts: int | None = None,
        one_at_a_time: bool = False,
    ) -> SessionHeader:
        """Store a new session's header and its summary. In certification mode, check and
        count the attempt under the same lock, so two processes cannot both take the last
        attempt; ``one_at_a_time`` (hosted), refuse it while another of the trainee's
        attempts is being played by a live process. Returns the header as stored (with
        ``attempt`` set)."""
        trainee = str(new["trainee"])
        slug = trainee_slug(trainee)
        given = cast(Mapping[str, Any], new)
        header = cast(
            SessionHeader,
            {
                **given,
                "v": SCHEMA_VERSION,
                "status": "open",
                "started_at": given.get("started_at") or timestamp(self.now()),
                "owner": self._owner(),
            },
        )
        with locked(self.layout.trainee_lock(slug)):
            remove_stale_temp_files(self.layout.sessions_dir(slug))
            remove_stale_temp_files(self.layout.trainee_dir(slug))
            summaries = self._summaries_locked(slug, trainee)
            if header["mode"] == "certification":
                busy = self._attempt_in_progress(slug, summaries) if one_at_a_time else None
                if busy is not None:
                    raise AttemptInProgress(attempt_in_progress_message(trainee, busy))
                used = attempts_used(summaries, str(header["scenario"]))
                if max_attempts is not None and used >= max_attempts:
                    raise AttemptsUsed(
                        f"{trainee} has used all {max_attempts} certification attempt"
                        f"{'s' if max_attempts != 1 else ''} at {header['scenario']}; "
                        "ask your enablement team if you need another"
                    )
                header["attempt"] = used + 1

            def write_session(db: TinyDB) -> None:
                db.table("session").insert(Document(header, doc_id=1))

            self._with_db(self.layout.session(slug, header["id"]), write_session)

            def write_summary(db: TinyDB) -> None:
                self._ensure_trainee(db, trainee)
                db.table("sessions").insert(summary_of(header))

            self._with_db(self.layout.index(slug), write_summary)
        return header

    def attempt_in_progress(self, trainee: str) -> SessionHeader | None:
        """The trainee's certification attempt that another live process is playing now
        (another browser or terminal), if any. Read without the lock, to say so before a
        call is set up; ``begin_session`` checks again under it."""
        slug = trainee_slug(trainee)
        return self._attempt_in_progress(slug, self.sessions(trainee))

    def _attempt_in_progress(
        self, slug: str, summaries: Sequence[Mapping[str, object]]
    ) -> SessionHeader | None:
        """Of the open certification attempts in ``summaries``, the first owned by
        another live process, by its header: resuming claims a session in its header, so
        the index's owner may be an earlier process's."""
        for summary in summaries:
            if summary.get("mode") != "certification" or summary.get("status") not in (
                "open",
                "in progress",
                "interrupted",
            ):
                continue
            try:
                header = self.load_header(self.layout.session(slug, str(summary.get("id"))))
            except StoreError:
                continue  # a file that will not read is not a call anyone is playing
            if header.get("status") == "open" and self.owned_elsewhere(dict(header)):
                return header
        return None

    def append_turn(self, trainee: str, session_id: str, record: Record) -> None:
        """Persist one committed turn (fsynced before this returns)."""
        slug = trainee_slug(trainee)
        path = self.layout.session(slug, session_id)
        with locked(self.layout.trainee_lock(slug)):
            if not path.exists():
                raise StoreError(f"session {session_id} has no file at {path}; it cannot go on")

            def insert(db: TinyDB) -> None:
                turns = db.table("turns")
                seq = len(turns) + 1
                turns.insert(
                    Document({"v": SCHEMA_VERSION, "seq": seq, "branch": None, **record}, seq)
                )

            self._with_db(path, insert)

    def mark_branch(self, trainee: str, session_id: str, from_index: int) -> int:
        """Mark the main-line turns after ``from_index`` as an abandoned branch."""
        slug = trainee_slug(trainee)
        path = self.layout.session(slug, session_id)
        with locked(self.layout.trainee_lock(slug)):

            def mark(db: TinyDB) -> int:
                turns = db.table("turns")
                docs = turns.all()
                number = 1 + max((int(d["branch"]) for d in docs if d.get("branch")), default=0)
                ids = [
                    d.doc_id
                    for d in docs
                    if d.get("branch") is None and int(d["index"]) > from_index
                ]
                turns.update({"branch": number}, doc_ids=ids)
                return number

            return self._with_db(path, mark)

    def finish_session(
        self, trainee: str, session_id: str, end: SessionEnd | Record
    ) -> SessionHeader:
        """Set the session's end (status, outcome, certification) in its file and summary."""
        slug = trainee_slug(trainee)
        path = self.layout.session(slug, session_id)
        given = cast(Mapping[str, Any], end)
        changes = {**given, "ended_at": given.get("ended_at") or timestamp(self.now())}
        with locked(self.layout.trainee_lock(slug)):

            def update_header(db: TinyDB) -> SessionHeader:
                table = db.table("session")
                header = table.get(doc_id=1)
                if header is None:
                    raise StoreError(f"{path} has no session header")
                table.update(changes, doc_ids=[1])
                return cast(SessionHeader, {**dict(header), **changes})

            header = self._with_db(path, update_header)
            self._update_summary_locked(slug, trainee, header)
        return header

    def _update_summary_locked(self, slug: str, trainee: str, header: SessionHeader) -> None:
        summary = summary_of(header)

        def update(db: TinyDB) -> None:
            self._ensure_trainee(db, trainee)
            table = db.table("sessions")
            ids = [d.doc_id for d in table.all() if d.get("id") == summary["id"]]
            if ids:
                table.update(summary, doc_ids=ids)
            else:
                table.insert(summary)

        try:
            self._with_db(self.layout.index(slug), update)
        except QuarantinedFile as exc:
            self.notices.append(str(exc))
            self._rebuild_index_locked(slug, trainee)

    def claim(self, trainee: str, session_id: str) -> SessionHeader:
        """Take over an open session (to resume or close it): this process becomes its
        owner. Checked under the lock that writes the owner, so of two processes
        claiming at once the second sees the first's claim and is refused."""
        slug = trainee_slug(trainee)
        path = self.layout.session(slug, session_id)
        owner = self._owner()
        with locked(self.layout.trainee_lock(slug)):

            def update_header(db: TinyDB) -> SessionHeader:
                table = db.table("session")
                header = table.get(doc_id=1)
                if header is None:
                    raise StoreError(f"{path} has no session header")
                if header.get("status") != "open":
                    raise StoreError(
                        f"session {session_id[:8]} is {header.get('status')}: "
                        "only interrupted ones go on"
                    )
                if self.owned_elsewhere(dict(header)):
                    raise SessionBusy(
                        f"session {session_id[:8]} is already being played by another "
                        f"trainer process (pid {header['owner'].get('pid')})"
                    )
                table.update({"owner": owner}, doc_ids=[1])
                return cast(SessionHeader, {**dict(header), "owner": owner})

            header = self._with_db(path, update_header)
            self._update_summary_locked(slug, trainee, header)
        return header

    def _owner(self) -> Owner:
        return {"host": self.host, "pid": self.pid}

    # ---------------------------------------------------------------- sessions: reading

    def _index_data(self, slug: str) -> dict[str, dict[str, Record]]:
        try:
            return self._read(self.layout.index(slug)) or {}
        except QuarantinedFile as exc:
            self.notices.append(str(exc))
            with locked(self.layout.trainee_lock(slug)):
                return self._rebuild_index_locked(slug, None)

    def _summaries_locked(self, slug: str, trainee: str) -> list[SummaryRecord]:
        try:
            data = self._read(self.layout.index(slug)) or {}
        except QuarantinedFile as exc:
            self.notices.append(str(exc))
            data = self._rebuild_index_locked(slug, trainee)
        summaries = self._summaries(data.get("sessions", {}), self.layout.index(slug))
        if self._index_is_stale(slug, summaries):
            data = self._rebuild_index_locked(slug, trainee, quiet=True)
            summaries = self._summaries(data["sessions"], self.layout.index(slug))
        return summaries

    def _index_is_stale(self, slug: str, summaries: list[SummaryRecord]) -> bool:
        """True when a kill came between writing a session file and the index: a file
        the index does not list, or an open summary whose file says it ended."""
        files = {p.stem for p in self.layout.sessions_dir(slug).glob("*.json")}
        if files != {str(s.get("id")) for s in summaries}:
            return True
        for summary in summaries:
            if summary.get("status") != "open":
                continue
            try:
                header = self.load_header(self.layout.session(slug, str(summary["id"])))
            except StoreError:
                continue
            if header.get("status") != "open":
                return True
        return False

    def _upgraded(self, docs: dict[str, Record], kind: str, where: Path) -> list[Record]:
        return [upgrade(kind, doc, str(where)) for _, doc in sorted(docs.items(), key=_doc_order)]

    def _summaries(self, docs: dict[str, Record], where: Path) -> list[SummaryRecord]:
        """An index's entries, upgraded: claims (see ``records.py``), typed as written."""
        return cast(list[SummaryRecord], self._upgraded(docs, "summary", where))

    def _summaries_from_files(self, slug: str) -> tuple[str | None, list[SummaryRecord]]:
        """A trainee's name and summaries as their session files say (what the index
        only repeats), oldest first; files that will not read are noted and skipped."""
        summaries: list[SummaryRecord] = []
        name: str | None = None
        for path in sorted(self.layout.sessions_dir(slug).glob("*.json")):
            try:
                stored = self._load_path(path)
            except StoreError as exc:
                self.notices.append(str(exc))
                continue
            name = name or str(stored.header.get("trainee", slug))
            summaries.append(summary_of(stored.header))
        summaries.sort(key=lambda s: str(s.get("started_at", "")))
        return name, summaries

    def _rebuild_index_locked(
        self, slug: str, trainee: str | None, quiet: bool = False
    ) -> dict[str, dict[str, Record]]:
        """Build a trainee's index again from their session files (the index only holds
        what those files already say). ``quiet`` for the routine repair after a kill."""
        found, summaries = self._summaries_from_files(slug)
        name = trainee or found
        data: dict[str, dict[str, Record]] = {
            "trainee": {"1": {"v": SCHEMA_VERSION, "name": name or slug}},
            "sessions": {str(n): cast(Record, s) for n, s in enumerate(summaries, start=1)},
        }
        write_json_atomically(self.layout.index(slug), data)
        if not quiet:
            self.notices.append(
                f"rebuilt the session index for {name or slug} from {len(summaries)} "
                "session file(s)"
            )
        return data

    def _read_summaries(self, slug: str) -> tuple[str, list[SummaryRecord]]:
        """A trainee's name and summaries for a reader, writing nothing: the index, or
        where it is missing, unreadable or stale (a kill between a session file and the
        index), what the session files say."""
        index = self.layout.index(slug)
        try:
            data = self._read(index)
        except StoreError as exc:
            self.notices.append(str(exc))
            data = None
        record = (data or {}).get("trainee", {}).get("1")
        name = str(record["name"]) if record and record.get("name") else None
        summaries = self._summaries((data or {}).get("sessions", {}), index)
        if data is None or self._index_is_stale(slug, summaries):
            found, summaries = self._summaries_from_files(slug)
            name = name or found
        return name or slug, summaries

    def sessions(self, trainee: str) -> list[SummaryRecord]:
        """A trainee's session summaries, oldest first, with open sessions shown as
        ``in progress`` (owned by a live process here) or ``interrupted``. A writer
        repairs a stale index on the way; if it cannot (a full disk), or the store is
        read-only, the summaries come from the session files."""
        slug = trainee_slug(trainee)
        if self.read_only:
            summaries = self._read_summaries(slug)[1]
        else:
            try:
                summaries = self._repaired_summaries(slug, trainee)
            except StoreError as exc:
                self.notices.append(str(exc))
                summaries = self._read_summaries(slug)[1]
        return [self._with_live_status(slug, s) for s in summaries]

    def _repaired_summaries(self, slug: str, trainee: str) -> list[SummaryRecord]:
        data = self._index_data(slug)
        summaries = self._summaries(data.get("sessions", {}), self.layout.index(slug))
        if self._index_is_stale(slug, summaries):
            with locked(self.layout.trainee_lock(slug)):
                summaries = self._summaries_locked(slug, trainee)
        return summaries

    def all_sessions(self, count_turns: bool = False) -> Iterator[tuple[str, list[SummaryRecord]]]:
        """Every trainee's name and summaries (for reports): one index file and one
        folder listing each, and the session files of what a kill left out of the
        index. ``count_turns`` reads an open session's file for its turns so far, as a
        listing shows them (a cohort report does not need them). Writes nothing."""
        for slug in self.trainee_slugs():
            name, summaries = self._read_summaries(slug)
            yield name, [self._with_live_status(slug, s, count_turns) for s in summaries]

    def _with_live_status(
        self, slug: str, summary: SummaryRecord, count_turns: bool = True
    ) -> SummaryRecord:
        """An open session is ``in progress`` or ``interrupted``; ``count_turns`` reads its
        file for the turns so far (a listing wants them; a cohort report does not)."""
        if summary.get("status") != "open":
            return summary
        status = self.live_status(summary)
        turns = summary.get("turns", 0)
        if not count_turns:
            return {**summary, "status": status}
        try:
            stored = self._load_path(self.layout.session(slug, str(summary["id"])))
            turns = len(stored.main_line())
        except StoreError:
            pass
        return {**summary, "status": status, "turns": turns}

    def owned_elsewhere(self, record: Mapping[str, object]) -> bool:
        """True while another live process on this host owns the open session."""
        owner = claimed_mapping(record.get("owner"))
        mine = owner.get("host") == self.host and owner.get("pid") == self.pid
        return not mine and self.live_status(record) == "in progress"

    def live_status(self, record: Mapping[str, object]) -> str:
        """A session's status as a person means it: a stored ``open`` is ``in progress``
        while its owner process lives on this host, else ``interrupted``."""
        if record.get("status") != "open":
            return str(record.get("status"))
        owner = claimed_mapping(record.get("owner"))
        alive = owner.get("host") == self.host and _pid_alive(owner.get("pid"))
        return "in progress" if alive else "interrupted"

    def _load_path(self, path: Path) -> StoredSession:
        data = self._read(path)
        if data is None:
            raise SessionNotFound(f"no session file at {path}")
        header = data.get("session", {}).get("1")
        if header is None:
            raise StoreError(f"{path} has no session header")
        header = upgrade("session", header, str(path))
        turns = self._upgraded(data.get("turns", {}), "turn", path)
        return StoredSession(cast(SessionHeader, header), cast(list[StoredTurn], turns), path)

    def find_session(
        self, session_id: str, trainee: str | None = None, prefer: str | None = None
    ) -> StoredSession:
        """A session by id or unique id prefix (at least 4 characters), like git: only
        among ``trainee``'s sessions if given, else everyone's. ``prefer`` names whose
        sessions to look in first, so the usual case reads one folder, not a thousand."""
        if len(session_id) < 4 or not all(c in "0123456789abcdef" for c in session_id.lower()):
            raise SessionNotFound(f"{session_id!r} is not a session id (hex, 4 or more chars)")
        if trainee is None and prefer is not None:
            try:
                return self.find_session(session_id, prefer)
            except SessionNotFound as exc:
                if exc.ambiguous:
                    raise
        slugs = [trainee_slug(trainee)] if trainee else self.trainee_slugs()
        matches: list[Path] = []
        for slug in slugs:
            folder = self.layout.sessions_dir(slug)
            exact = folder / f"{session_id.lower()}.json"
            if exact.exists():
                return self._load_path(exact)
            matches += sorted(folder.glob(f"{session_id.lower()}*.json"))
        if not matches:
            raise SessionNotFound(f"no stored session {session_id} in {self.root}")
        if len(matches) > 1:
            ids = ", ".join(p.stem[:12] for p in matches[:5])
            raise SessionNotFound(
                f"{session_id} matches several sessions ({ids}); type more",
                matches=[p.stem for p in matches],
            )
        return self._load_path(matches[0])

    def session_files(self) -> Iterator[Path]:
        for slug in self.trainee_slugs():
            yield from sorted(self.layout.sessions_dir(slug).glob("*.json"))

    def load(self, path: Path) -> StoredSession:
        return self._load_path(path)

    def load_header(self, path: Path) -> SessionHeader:
        """A session file's header without parsing its turns: the store writes the header
        table first, so it is decoded from the file's start and the rest is left unread
        (a file laid out otherwise, by hand or by damage, is read whole). A cohort report
        and ``verify`` read many headers and need no turns."""
        try:
            raw = path.read_bytes()
        except OSError:
            return self._load_path(path).header  # its own message for what went wrong
        if raw.startswith(_HEADER_START):
            try:
                table, _ = _DECODER.raw_decode(raw.decode("utf-8"), len(_HEADER_START))
            except (UnicodeDecodeError, ValueError):
                table = None
            header = table.get("1") if isinstance(table, dict) else None
            if isinstance(header, dict):
                return cast(SessionHeader, upgrade("session", header, str(path)))
        return self._load_path(path).header


_HEADER_START = b'{"session":'
_DECODER = json.JSONDecoder()


def attempt_in_progress_message(trainee: str, header: Mapping[str, object]) -> str:
    """Why another attempt cannot start, naming the one in progress."""
    started = str(header.get("started_at") or "")[:16].replace("T", " ")
    return (
        f"{trainee} already has a certification attempt in progress: "
        f"{header.get('title') or header.get('scenario')}, started {started} UTC "
        f"(session {str(header.get('id'))[:8]}), in another window or terminal. Finish it "
        "there, or close that window and resume it from History; one attempt at a time"
    )


def summary_of(header: SessionHeader | Mapping[str, Any]) -> SummaryRecord:
    """What the index keeps of a session: enough for history and reports. The header's
    values are copied as they are (a header read back is a claim, checked by whoever
    decides something from it), and a nested outcome or certification that is not an
    object is read as empty: an edited file must not crash."""
    # a missing key reads None, as ``.get`` gives
    claim: Mapping[str, Any] = defaultdict(lambda: None, cast(Mapping[str, Any], header))
    outcome = claimed_mapping(claim.get("outcome"))
    certification = claimed_mapping(claim.get("certification"))
    return {
        "v": SCHEMA_VERSION,
        "id": claim["id"],
        "trainee": claim["trainee"],
        "mode": claim["mode"],
        "scenario": claim["scenario"],
        "title": claim["title"],
        "started_at": claim["started_at"],
        "ended_at": claim["ended_at"],
        "status": claim["status"],
        "ended_by": claim["ended_by"],
        "attempt": claim["attempt"],
        "owner": claim["owner"],
        "score": outcome.get("score"),
        "turns": outcome.get("turns", 0),
        "criteria": outcome.get("criteria", {}),
        "criteria_turns": outcome.get("criteria_turns", {}),
        "passed": certification.get("passed"),
        "record": certification.get("record"),
    }


def _doc_order(item: tuple[str, Record]) -> int:
    try:
        return int(item[0])
    except ValueError:
        return 0


def _pid_alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


__all__ = ["Store", "StoredSession", "summary_of", "timestamp", "trainee_key", "utc_now"]
