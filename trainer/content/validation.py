"""Turn pydantic's validation errors into problems an author can act on.

pydantic reports ``('reactions', 'pitch', 'patience')`` and "Input should be a valid
integer"; an author needs ``persona.yaml:31:17: reactions.pitch.patience: expected a
whole number, got text`` and what to type instead.
"""

from __future__ import annotations

import difflib
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from trainer.content.problems import Problem
from trainer.content.yaml_loader import YamlDocument, key_node_at, node_at

M = TypeVar("M", bound=BaseModel)


def validate_document(doc: YamlDocument, model: type[M]) -> M | list[Problem]:
    """Validate a parsed file against a model; every error becomes a located problem."""
    if doc.data is None:
        return [Problem(doc.path, 1, 1, "", "the file is empty", _start_hint(model))]
    if not isinstance(doc.data, dict):
        return [
            Problem(
                doc.path,
                1,
                1,
                "",
                "the file must be a set of 'field: value' lines at the top level",
                _start_hint(model),
            )
        ]
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        problems = [_problem(doc, model, error) for error in exc.errors()]
        return sorted(set(problems), key=lambda p: (p.line, p.column, p.field))


def _start_hint(model: type[BaseModel]) -> str:
    required = [name for name, f in model.model_fields.items() if f.is_required()]
    return "start with: " + ", ".join(f"{name}:" for name in required[:4]) + " ..."


def _problem(doc: YamlDocument, model: type[BaseModel], error: ErrorDetails) -> Problem:
    loc = _clean_loc(error["loc"])
    kind = error["type"]
    field = ".".join(str(p) for p in loc)
    if kind == "extra_forbidden":
        node = key_node_at(doc.root, loc)
    else:
        # For a missing field this is the mapping that should hold it; otherwise the
        # value itself, or the closest enclosing one pydantic's path still reaches.
        node, _ = node_at(doc.root, loc)
    line = node.start_mark.line + 1 if node is not None else 1
    column = node.start_mark.column + 1 if node is not None else 1
    message, hint = _explain(model, loc, error)
    return Problem(doc.path, line, column, field, message, hint)


def _clean_loc(loc: tuple[int | str, ...]) -> tuple[int | str, ...]:
    """Drop the parts pydantic adds for its own bookkeeping (union branches, key markers)."""
    return tuple(
        p for p in loc if not (isinstance(p, str) and (p.startswith("function-") or p == "[key]"))
    )


def _explain(
    model: type[BaseModel], loc: tuple[int | str, ...], error: ErrorDetails
) -> tuple[str, str]:
    kind = error["type"]
    value: Any = error.get("input")
    ctx = error.get("ctx") or {}
    name = str(loc[-1]) if loc else ""
    if kind == "missing":
        return f"required field '{name}' is missing", f"add '{name}:' here"
    if kind == "extra_forbidden":
        allowed = _allowed_fields(model, loc[:-1])
        close = difflib.get_close_matches(name, allowed, n=1)
        if close:
            return f"unknown field '{name}'", f"did you mean '{close[0]}'?"
        return f"unknown field '{name}'", "allowed here: " + ", ".join(allowed)
    if kind in {"string_type", "str_type"}:
        if isinstance(value, (bool, int, float)):
            return (
                f"expected text, got {_yaml_kind(value)} {value!r}",
                'put the value in quotes, e.g. "1.10" or "no"',
            )
        return f"expected text, got {_yaml_kind(value)}", "write the value as text"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return (
            f"expected a whole number, got {_yaml_kind(value)} {_short(value)}",
            "write a number without quotes, such as 20 or -15",
        )
    if kind in {"float_type", "float_parsing"}:
        return (
            f"expected a number, got {_yaml_kind(value)} {_short(value)}",
            "write a number such as 1.5",
        )
    if kind == "bool_type":
        return f"expected true or false, got {_short(value)}", "write true or false"
    if kind in {"list_type"}:
        return (
            f"expected a list, got {_yaml_kind(value)}",
            "write each item on its own line starting with '- '",
        )
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return (
            f"expected a set of fields, got {_yaml_kind(value)}",
            "indent 'field: value' lines under this key",
        )
    if kind == "too_short":
        need = ctx.get("min_length")
        have = ctx.get("actual_length")
        return f"needs at least {need} item(s), has {have}", "add more items"
    if kind == "too_long":
        return f"has too many items (at most {ctx.get('max_length')})", "remove some items"
    if kind == "string_too_short":
        return "must not be empty", "write some text or remove the field"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)", "shorten it"
    if kind == "string_pattern_mismatch":
        return (
            f"'{_short(value)}' is not a valid id",
            "use lower-case letters, digits, '-' and '_', e.g. 'ops-director'",
        )
    if kind == "literal_error":
        expected = str(ctx.get("expected", ""))
        options = [o.strip(" '") for o in expected.replace(" or ", ", ").split(",")]
        close = difflib.get_close_matches(str(value), options, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"use one of: {', '.join(options)}"
        return f"'{_short(value)}' is not allowed here", hint
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        return error["msg"].replace("Input", "value").lower(), "change the number"
    if kind == "value_error":
        message = error["msg"].removeprefix("Value error, ")
        return message, ""
    return error["msg"], ""


def _allowed_fields(model: type[BaseModel], loc: tuple[int | str, ...]) -> list[str]:
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = current.model_fields.get(str(part)) or next(
            (f for f in current.model_fields.values() if f.alias == str(part)), None
        )
        if field is None:
            return []
        current = _model_in(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or n for n, f in current.model_fields.items()]
    return []


def _model_in(annotation: Any) -> Any:
    """The model class inside ``Model``, ``list[Model]`` or ``Model | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _yaml_kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return type(value).__name__


def _short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
