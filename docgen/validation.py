"""Pydantic validation errors as docgen Problems: file, line, column, dotted key and what was
expected, in one form for the profile, the template catalog and the clause catalogs."""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem
from .limits import MAX_CELL_CHARS
from .yamlload import KeyPath, Location, dotted, locate

# Branch markers pydantic adds to a location inside unions and validators (e.g. 'str', 'date').
_BRANCHES = {"str", "date", "int"}

_EXPECTED = {
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "finite_number": "expected a finite number",
    "bool_parsing": "expected true or false",
    "date_from_datetime_parsing": "expected a date as YYYY-MM-DD",
    "date_parsing": "expected a date as YYYY-MM-DD",
    "date_from_datetime_inexact": "expected a date as YYYY-MM-DD",
    "string_type": "expected text",
    "list_type": "expected a list",
    "model_type": "expected a mapping",
    "dict_type": "expected a mapping",
    "string_too_short": "expected non-empty text",
}


# YAML's own spellings of infinity and not-a-number, which pydantic does not read as numbers.
_YAML_NON_FINITE = re.compile(r"[-+]?\.(inf|Inf|INF|nan|NaN|NAN)")


def _clean(loc: tuple[Any, ...]) -> KeyPath:
    loc = tuple(p for p in loc if not (isinstance(p, str) and p.startswith("function-")))
    return tuple(p for p in loc if not (isinstance(p, str) and p in _BRANCHES and loc and p != loc[-1]))


def model_at(root: type[BaseModel], loc: KeyPath) -> type[BaseModel] | None:
    """The model class that holds the keys at `loc` (for 'did you mean' on an unknown key)."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return None
        ann = field.annotation
        candidates = [ann, *getattr(ann, "__args__", ())]
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if model is None:
            return None
    return model


def found(value: Any) -> str:
    """What the user gave, as a message shows it."""
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def expected(err: dict[str, Any]) -> str:
    """'expected …' for one pydantic error."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "float_parsing" and _YAML_NON_FINITE.fullmatch(str(err.get("input"))):
        return _EXPECTED["finite_number"]
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    if kind in {"enum", "literal_error"}:
        return f"expected one of {ctx.get('expected', '')}".replace("'", "")
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length')} item(s)"
    if kind == "too_long":
        return f"expected at most {ctx.get('max_length')} item(s)"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        bound = {"greater_than_equal": "≥", "less_than_equal": "≤", "greater_than": ">", "less_than": "<"}[kind]
        limit = next(iter(ctx.values()), "")
        return f"expected a number {bound} {limit}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind == "string_pattern_mismatch":
        return f"expected text matching {ctx.get('pattern', '')}"
    return "expected " + err["msg"][0].lower() + err["msg"][1:]


def too_long(err: Any) -> str:
    """A text over its length limit, without repeating the text itself."""
    limit = (err.get("ctx") or {}).get("max_length")
    message = f"expected at most {limit:,} characters, got {len(str(err.get('input'))):,}"
    if limit == MAX_CELL_CHARS:
        message += f" (Excel cells hold at most {MAX_CELL_CHARS:,} characters)"
    return message


def validation_problems(
    exc: ValidationError, locations: dict[KeyPath, Location], filename: str | None, root: type[BaseModel]
) -> list[Problem]:
    """Every error of `exc` located in the file, sorted by line."""
    problems = []
    suggested: set[str] = set()
    for err in exc.errors(include_url=False):
        loc = _clean(tuple(err["loc"]))
        line, col = locate(locations, loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            parent = model_at(root, loc[:-1])
            known = list(parent.model_fields) if parent else []
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else (f"; expected one of: {', '.join(known)}" if known else "")
            message = f"unknown key {loc[-1]!r}{hint}"
            if close:
                suggested.add(dotted(loc[:-1] + (close[0],)))
        elif kind == "missing":
            message = "required key is missing"
            line, col = locate(locations, loc[:-1])
        elif kind == "string_too_long":
            message = too_long(err)
        else:
            message = expected(dict(err)) + f", got {found(err.get('input'))}"
        problems.append(Problem(message, file=filename, line=line, column=col, key=dotted(loc) or None))
    # A key reported missing that a misspelt key's "did you mean" names is the same mistake.
    missing = "required key is missing"
    return sort_problems([p for p in problems if not (p.message == missing and p.key in suggested)])


def sort_problems(problems: list[Problem]) -> list[Problem]:
    """Problems in the order of the file (stable for those without a line)."""
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))
