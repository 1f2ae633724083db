"""The Ralph LRS fixture works: statements posted to it come back, and each test starts empty."""

from __future__ import annotations

import json
import urllib.request
import uuid
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # imported at run time by pytest_plugins, so that pytest rewrites its asserts
    from tests.lrs_server import Lrs

pytest_plugins = ["tests.lrs_server"]  # the ralph_lrs fixture


def _statement(statement_id: str) -> dict[str, Any]:
    return {
        "id": statement_id,
        "actor": {"objectType": "Agent", "name": "Sam Seller", "mbox": "mailto:sam@example.com"},
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-US": "completed"},
        },
        "object": {
            "objectType": "Activity",
            "id": "https://trainer.example/scenarios/cold-call-cold-chain",
            "definition": {"name": {"en-US": "Cold call: cold chain"}},
        },
        "result": {
            "score": {"scaled": 0.75},
            "extensions": {"https://trainer.example/xapi/turns": 7},
        },
        "timestamp": "2024-05-01T10:00:00+00:00",
    }


def _post(lrs: Lrs, body: object) -> tuple[int, Any]:
    """POST with nothing but urllib, as a client outside the fixture would."""
    request = urllib.request.Request(
        lrs.statements_url,
        data=json.dumps(body).encode("utf-8"),
        headers={**lrs.headers, "Content-Type": "application/json"},
        method="POST",
    )
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # ignore any proxy
    with direct.open(request, timeout=10) as response:
        return response.status, json.load(response)


def test_a_posted_statement_comes_back(ralph_lrs: Lrs) -> None:
    assert ralph_lrs.statements() == []
    statement = _statement(str(uuid.uuid4()))

    assert _post(ralph_lrs, [statement]) == (200, [statement["id"]])

    (stored,) = ralph_lrs.statements()
    for key, value in statement.items():
        assert stored[key] == value, key
    assert {"stored", "authority"} <= stored.keys()


def test_each_test_starts_empty_and_later_posts_add_to_the_store(ralph_lrs: Lrs) -> None:
    assert ralph_lrs.statements() == []
    first, second = str(uuid.uuid4()), str(uuid.uuid4())

    assert _post(ralph_lrs, _statement(first)) == (200, [first])
    assert ralph_lrs.request("POST", "/xAPI/statements", [_statement(second)]) == (200, [second])
    # the same statement again is accepted and not stored twice; a different one is refused
    assert ralph_lrs.request("POST", ralph_lrs.statements_url, _statement(first)) == (204, None)
    changed = {**_statement(first), "result": {"success": False}}
    status, answer = ralph_lrs.request("POST", ralph_lrs.statements_url, changed)
    assert (status, answer) == (
        409,
        {"detail": f"Differing statements already exist with the same ID: {first}"},
    )

    assert [s["id"] for s in ralph_lrs.statements()] == [first, second]
