"""The one vocabulary: document kinds, functions, roles, services, modes and company types, each
defined once (vocab.yaml) with its Chinese label, code and folder, and extensible from data."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, fields, replace
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, Field, ValidationInfo

VOCAB_FILE = Path(__file__).with_name("vocab.yaml")


@dataclass(frozen=True)
class Term:
    """One key of a vocabulary with what docgen shows and files under it."""

    key: str
    label: str
    code: str = ""  # document kinds: the number code (SC, CX, …)
    folder: str = ""  # document kinds: the pack folder
    clause: str = ""  # services: the clause of GB/T 27922 it belongs to


class Vocabulary:
    """An ordered set of terms; keys are checked with a 'did you mean' and labels looked up here."""

    def __init__(self, name: str, terms: Iterable[Term]) -> None:
        self.name = name
        self._terms: dict[str, Term] = {}
        for term in terms:
            self._terms[term.key] = term

    def __contains__(self, key: object) -> bool:
        return key in self._terms

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    def __getitem__(self, key: str) -> Term:
        return self._terms[key]

    def keys(self) -> list[str]:
        return list(self._terms)

    def label(self, key: str) -> str:
        return self._terms[key].label

    def labels(self) -> dict[str, str]:
        """key → Chinese label, in vocabulary order."""
        return {k: t.label for k, t in self._terms.items()}

    def extend(self, terms: Iterable[Term | Mapping[str, Any]]) -> Vocabulary:
        """A new vocabulary with these terms added (or relabelled, when the key exists); a mapping
        may carry more than a term holds (a trade's service says whether it is an emergency)."""
        merged = dict(self._terms)
        for t in terms:
            term = t if isinstance(t, Term) else Term(**{k: v for k, v in dict(t).items() if k in _TERM_FIELDS})
            merged[term.key] = replace(merged[term.key], **_given(term)) if term.key in merged else term
        return Vocabulary(self.name, merged.values())

    def expected(self) -> str:
        """'expected one of a, b or c' in the form every profile message uses."""
        keys = self.keys()
        listed = ", ".join(keys[:-1]) + f" or {keys[-1]}" if len(keys) > 1 else "".join(keys)
        return f"expected one of {listed}"

    def check(self, key: str) -> str:
        """The key itself, or ValueError naming the keys allowed (with the closest one)."""
        if key in self._terms:
            return key
        close = difflib.get_close_matches(key, self.keys(), n=1)
        raise ValueError(self.expected() + (f" (did you mean {close[0]!r}?)" if close else ""))

    def describe(self) -> str:
        """'a (甲), b (乙)' for field descriptions."""
        return ", ".join(f"{k} ({t.label})" for k, t in self._terms.items())


_TERM_FIELDS = {f.name for f in fields(Term)}


def _given(term: Term) -> dict[str, str]:
    return {k: v for k, v in vars(term).items() if k != "key" and v}


@cache
def _load() -> dict[str, Vocabulary]:
    data = yaml.safe_load(VOCAB_FILE.read_text(encoding="utf-8"))
    return {name: Vocabulary(name, (Term(**{k: str(v) for k, v in t.items()}) for t in terms)) for name, terms in data.items()}


def vocabulary(name: str) -> Vocabulary:
    """The built-in vocabulary `name` (kinds, functions, roles, services, modes, outlet_kinds,
    company_types, levels)."""
    return _load()[name]


KINDS = vocabulary("kinds")
FUNCTIONS = vocabulary("functions")
ROLES = vocabulary("roles")
SERVICES = vocabulary("services")
MODES = vocabulary("modes")
OUTLET_KINDS = vocabulary("outlet_kinds")
COMPANY_TYPES = vocabulary("company_types")
LEVELS = vocabulary("levels")
SERVICE_CHANNELS = vocabulary("service_channels")


def _checker(name: str) -> Any:
    """A validator: the key must be in vocabulary `name`, as extended for this validation (a trade
    module passes its own in the validation context as {"vocab": {name: Vocabulary}})."""

    def check(key: str, info: ValidationInfo) -> str:
        extended = (info.context or {}).get("vocab", {}) if isinstance(info.context, dict) else {}
        return extended.get(name, vocabulary(name)).check(key)

    return AfterValidator(check)


def _schema(name: str) -> Any:
    enum: list[Any] = list(vocabulary(name).keys())
    return Field(json_schema_extra={"enum": enum})


# Field types: text that must be a key of a vocabulary (listed as an enum in the JSON Schema).
KindKey = Annotated[str, _checker("kinds"), _schema("kinds")]
FunctionKey = Annotated[str, _checker("functions"), _schema("functions")]
RoleKey = Annotated[str, _checker("roles"), _schema("roles")]
ServiceKey = Annotated[str, _checker("services"), _schema("services")]
ModeKey = Annotated[str, _checker("modes"), _schema("modes")]
OutletKindKey = Annotated[str, _checker("outlet_kinds"), _schema("outlet_kinds")]
CompanyTypeKey = Annotated[str, _checker("company_types"), _schema("company_types")]
LevelKey = Annotated[str, _checker("levels"), _schema("levels")]
ServiceChannelKey = Annotated[str, _checker("service_channels"), _schema("service_channels")]
