"""Opening a new session, practice or certification, recorded or not: the buyer and the
assessor paired for the settings, and the store's recorder when it is recorded."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from trainer.content.library import ResolvedScenario
from trainer.engine.ports import Mode, NullRecorder, Recorder
from trainer.engine.session import Session
from trainer.llm.settings import LlmSettings
from trainer.sessions.backends import BackendFactory, make_backends
from trainer.sessions.results import Results
from trainer.store.errors import AttemptInProgress
from trainer.store.recorder import StoreRecorder
from trainer.store.repository import attempt_in_progress_message


def backend_record(llm: LlmSettings, seed: int) -> dict[str, Any]:
    """What a record says about who played the buyer and who judged (never a key)."""
    return {**llm.describe(), "seed": seed}


def open_session(
    setup: ResolvedScenario,
    mode: Mode,
    seed: int,
    *,
    llm: LlmSettings | None = None,
    results: Results | None = None,
    backends: BackendFactory | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Session:
    """A session not yet started: on the offline backend, or on a model when ``llm``
    says so (the model code, and the openai SDK with it, is imported only then), or on
    the front end's own ``backends``; recorded into ``results`` if given.

    Where ``results`` says one attempt at a time (hosted), a recorded certification
    attempt is refused (``AttemptInProgress``) while another of the trainee's attempts
    is being played by a live process: said here, before a buyer is set up, and checked
    again under the store's lock when the call starts."""
    if mode == "certification" and results is not None and results.one_attempt_at_a_time:
        refuse_second_attempt(results)
    if backends is not None:
        buyer, assessor = backends(setup, seed)
    else:
        buyer, assessor = make_backends(llm, seed, mode)
    recorder: Recorder = NullRecorder()
    if results is not None:
        described = backend_record(llm or LlmSettings("offline"), seed)
        recorder = StoreRecorder(
            results.store,
            results.ledger,
            results.trainee,
            described,
            seed,
            one_attempt_at_a_time=results.one_attempt_at_a_time,
        )
    return Session(setup, buyer, assessor, recorder=recorder, mode=mode, clock=clock)


def refuse_second_attempt(results: Results) -> None:
    """One certification attempt at a time per trainee on a host: a second live attempt
    (another browser tab) could probe the buyer for the first, and each holds one of the
    host's places. Not on a trainee's own machine, where the files are theirs to read
    anyway and processes racing for the last attempt on a shared store are the attempt
    limit's business (``begin_session`` counts under the lock)."""
    busy = results.store.attempt_in_progress(results.trainee)
    if busy is not None:
        raise AttemptInProgress(attempt_in_progress_message(results.trainee, busy))
