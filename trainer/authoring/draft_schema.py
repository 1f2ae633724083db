"""The JSON Schema a model drafts a persona and a scenario against (``trainer new --from``).

It is built from the project's own schemas (``trainer.content.schema``, made from the
pydantic models), adapted so that a server's strict ``json_schema`` mode accepts it.
Strict mode (OpenAI's, and the grammar engines of local servers) refuses or ignores some
of JSON Schema, so the draft schema:

- inlines every ``$ref`` (the models have no recursion), so no server needs ``$defs``;
- drops ``title``, ``default``, ``pattern``, ``format``, ``minLength``/``maxLength``,
  ``minItems``/``maxItems`` and ``minimum``/``maximum`` (and the exclusive ones); the
  counts and ranges are written into the field's ``description`` instead ("at least 4
  items", "0 to 100"), so the model still reads them, and the real loader checks them
  when the draft is validated;
- makes every object closed (``additionalProperties: false``) with every property
  required, as strict mode demands; a property that may be left out becomes nullable,
  and ``null`` values are removed from the draft before it is written, so the model's
  defaults apply;
- leaves out what strict mode cannot express or a draft should not hold: maps with free
  keys (``rubric.weights``, ``certification.required_criteria``), the scenario's
  ``rubric`` tweaks and its scripted ``tests`` (the author writes those, see
  ``trainer test``);
- requires what a good draft must have although the loader does not: the persona's
  ``topics`` and the newer line pools (``acknowledge``, ``asked_again``,
  ``already_answered``, ``monologue``, ``wrong_name``, ``pressure_kinds``, ``recap``).
"""

from __future__ import annotations

from typing import Any

from trainer.content.schema import schema_for

DROPPED_KEYWORDS = frozenset(
    {
        "title",
        "default",
        "pattern",
        "format",
        "examples",
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "$schema",
        "$id",
        "$defs",
    }
)
LEFT_OUT: dict[str, frozenset[tuple[str, ...]]] = {
    "persona": frozenset(),
    "scenario": frozenset({("rubric",), ("tests",)}),
}
"""Properties a draft does not hold, by path from the top of each document."""
REQUIRED: dict[str, frozenset[tuple[str, ...]]] = {
    "persona": frozenset(
        {
            ("topics",),
            ("lines", "recap"),
            ("lines", "acknowledge"),
            ("lines", "asked_again"),
            ("lines", "already_answered"),
            ("lines", "monologue"),
            ("lines", "wrong_name"),
            ("lines", "pressure_kinds"),
        }
    ),
    "scenario": frozenset(),
}
"""Optional in the loader, required (and never null) in a draft."""


def draft_schema(kinds: tuple[str, ...] = ("persona", "scenario")) -> dict[str, Any]:
    """One object with a property per kind (``persona``, ``scenario``), each the strict
    form of that kind's schema."""
    properties = {kind: strict_schema(kind) for kind in kinds}
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def strict_schema(kind: str) -> dict[str, Any]:
    """The strict-mode form of ``kind``'s schema (see the module doc for what changes)."""
    root = schema_for(kind)
    return _strict(root, root, (), LEFT_OUT[kind], REQUIRED[kind])


def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    """``node`` with its ``$ref`` replaced by the definition (its own keys win)."""
    while "$ref" in node:
        name = node["$ref"].removeprefix("#/$defs/")
        rest = {k: v for k, v in node.items() if k != "$ref"}
        node = {**root["$defs"][name], **rest}
    return node


def _limits(node: dict[str, Any]) -> str:
    """The dropped counts and ranges of ``node``, in words for its description."""
    words = []
    if "minItems" in node and "maxItems" in node:
        words.append(f"{node['minItems']} to {node['maxItems']} items")
    elif "minItems" in node and node["minItems"] > 0:
        words.append(f"at least {node['minItems']} items")
    elif "maxItems" in node:
        words.append(f"at most {node['maxItems']} items")
    low = node.get("minimum", node.get("exclusiveMinimum"))
    high = node.get("maximum", node.get("exclusiveMaximum"))
    if low is not None and high is not None:
        words.append(f"{low:g} to {high:g}")
    elif low is not None:
        words.append(f"at least {low:g}")
    elif high is not None:
        words.append(f"at most {high:g}")
    return "; ".join(words)


def _strict(
    node: dict[str, Any],
    root: dict[str, Any],
    path: tuple[str, ...],
    left_out: frozenset[tuple[str, ...]],
    required: frozenset[tuple[str, ...]],
) -> dict[str, Any]:
    node = _resolve(node, root)
    out: dict[str, Any] = {}
    limits = _limits(node)
    for key, value in node.items():
        if key in DROPPED_KEYWORDS:
            continue
        if key == "properties":
            continue  # below, with required
        if key == "items" and isinstance(value, dict):
            out["items"] = _strict(value, root, path, left_out, required)
        elif key == "anyOf":
            out["anyOf"] = [_strict(v, root, path, left_out, required) for v in value]
        else:
            out[key] = value
    if limits:
        text = out.get("description", "")
        out["description"] = f"{text} ({limits})".strip() if text else limits.capitalize()
    if "properties" in node:
        out["properties"], out["required"] = _object(node, root, path, left_out, required)
        out["additionalProperties"] = False
    return out


def _object(
    node: dict[str, Any],
    root: dict[str, Any],
    path: tuple[str, ...],
    left_out: frozenset[tuple[str, ...]],
    required: frozenset[tuple[str, ...]],
) -> tuple[dict[str, Any], list[str]]:
    properties: dict[str, Any] = {}
    needed = set(node.get("required", []))
    for name, child in node["properties"].items():
        here = (*path, name)
        resolved = _resolve(child, root)
        if here in left_out or _is_map(resolved):
            if name in needed:  # pragma: no cover - a model change the draft must follow
                raise ValueError(f"{'.'.join(here)} is required but cannot be drafted")
            continue
        strict = _strict(child, root, here, left_out, required)
        if here in required:
            strict = _not_null(strict)
        elif name not in needed:
            strict = _nullable(strict)
        properties[name] = strict
    return properties, list(properties)


def _is_map(node: dict[str, Any]) -> bool:
    """An object with free keys (``dict[str, X]``): strict mode cannot say it."""
    extra = node.get("additionalProperties")
    return node.get("type") == "object" and "properties" not in node and extra is not False


def _nullable(node: dict[str, Any]) -> dict[str, Any]:
    options = node.get("anyOf")
    if isinstance(options, list) and any(o.get("type") == "null" for o in options):
        return node
    description = node.pop("description", None)
    wrapped: dict[str, Any] = {"anyOf": [node, {"type": "null"}]}
    if description:
        wrapped["description"] = f"{description} (null: leave it out)"
    return wrapped


def _not_null(node: dict[str, Any]) -> dict[str, Any]:
    options = node.get("anyOf")
    if not isinstance(options, list):
        return node
    kept = [o for o in options if o.get("type") != "null"]
    if len(kept) != 1:
        return {**node, "anyOf": kept}
    rest = {k: v for k, v in node.items() if k != "anyOf"}
    merged = {**kept[0], **rest}
    return merged


def drop_nulls(value: Any) -> Any:
    """The draft without its ``null`` values: a left-out field takes the loader's default."""
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value
