"""Property-based, over EVERY string field of the profile model (tests/test_property_text.py goes
deeper into eight of them): arbitrary Unicode text in the field either comes out exactly in the
Word text and the Excel cells of documents that show the field (cells text, never formulas, never
evaluated), or the profile is refused with a ProfileError whose problem names the field.

The fields are found by walking the pydantic model (docgen.profile.Profile) over the sample's data,
so a string field added to the model is tested without a change here; fields the sample leaves out
are given a value first (SEEDS). Which documents show a field is found once, by rendering the whole
pack with a distinct placeholder in every field; each example then renders only those documents
(at most one .docx and one .xlsx). A field whose placeholder is accepted is free text: any value
without a control character, within the cell limit and not a sibling's name must be accepted. A
field whose placeholder is refused (a key, a reference to a name, a pattern) may refuse anything,
but must name itself."""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel

from docgen.catalog import TemplateSet, builtin_templates, load_catalog
from docgen.context import build_context
from docgen.errors import ProfileError
from docgen.limits import MAX_CELL_CHARS
from docgen.pack import render_documents, when_of
from docgen.profile import Profile, parse_profile
from docgen.render.xlsxmem import keep_worksheets_in_memory
from docgen.trades import apply_documents
from docgen.yamlload import XML_ILLEGAL

from .conftest import BUILD_DATE, SAMPLE
from .test_property_text import _no_page_numbers, excel_cells, occurrences, texts, word_text  # noqa: F401  (the fixture is used)

Loc = tuple[str | int, ...]

# Fields company.yaml leaves out, given a value (as the other samples do) so that they are tested too.
SEEDS: dict[str, Any] = {
    "facts": {
        "areas": [{"name": "绍兴市区", "cities": ["绍兴"], "onsite_hours": 24}],
        "emergency": {"scenarios": ["燃气泄漏", "批量质量事故"]},
        "complaint_grades": [
            {"name": "一般投诉", "definition": "单台商品的质量或服务问题。", "response_hours": 24, "close_days": 7, "escalate_to": "王丽君"},
            {"name": "重大投诉", "definition": "涉及人身安全或群体性的投诉。", "response_hours": 2, "close_days": 3, "escalate_to": "陈国栋"},
        ],
        "survey": {"frequency": "每季度", "sample": "每次不少于100份", "method": "电话回访和问卷调查", "analyst": "质量管理部"},
        "frequencies": {"own_outlet_inspection": "每季度", "entrusted_outlet_inspection": "每半年", "partner_evaluation": "每年",
                        "internal_audit": "每年", "management_review": "每年", "emergency_drill": "每半年", "kpi_report": "每月"},
        "budget_calendar": {"prepare_by": "每年12月10日前", "approve_by": "每年12月31日前"},
    },
}


def _seed(data: Any) -> Any:
    data.update(_copy(SEEDS))
    data["certification"]["excluded"] = [{"clause": "5.1.1.2", "reason": "公司不设服务网点。"}]
    data["document_control"].update(version_pattern="{edition}/{revision}", prepared_by="王丽君", reviewed_by="徐佳慧",
                                    approved_by="陈国栋")
    data["services"]["repair"]["channels"] = ["onsite", "carry_in"]
    data["departments"][1]["reports_to"] = "陈国栋"
    return data


# --- the fields, from the model ------------------------------------------------------------------


def _unwrap(ann: Any) -> list[Any]:
    """The types an annotation allows (Annotated and Optional taken apart)."""
    origin = typing.get_origin(ann)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(ann)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(ann) if a is not type(None) for t in _unwrap(a)]
    return [ann]


def _leaves(model: type[BaseModel], data: Any, loc: Loc, field: str) -> list[tuple[Loc, str]]:
    """(where in the data, the model's field path) of every string value of `data`."""
    out: list[tuple[Loc, str]] = []
    for key, value in (data or {}).items():
        info = model.model_fields.get(key)
        if info is None:
            continue
        out += _value(info.annotation, value, (*loc, key), f"{field}.{key}" if field else key)
    return out


def _value(ann: Any, value: Any, loc: Loc, field: str) -> list[tuple[Loc, str]]:
    out: list[tuple[Loc, str]] = []
    for t in _unwrap(ann):
        origin = typing.get_origin(t)
        if t is str and isinstance(value, str):
            return [(loc, field)]
        if isinstance(t, type) and issubclass(t, BaseModel) and isinstance(value, dict):
            return _leaves(t, value, loc, field)
        if origin is list and isinstance(value, list):
            (inner,) = typing.get_args(t)
            for i, v in enumerate(value):
                out += _value(inner, v, (*loc, i), field)
            return out
        if origin is dict and isinstance(value, dict):
            inner = typing.get_args(t)[1]
            for k, v in value.items():
                out += _value(inner, v, (*loc, k), field)
            return out
    return out


def _string_fields(model: type[BaseModel], prefix: str = "") -> set[str]:
    """Every string field path of the model (lists and mappings of strings included)."""
    out: set[str] = set()
    for key, info in model.model_fields.items():
        path = f"{prefix}.{key}" if prefix else key
        todo = list(_unwrap(info.annotation))
        while todo:
            t = todo.pop()
            if t is str:
                out.add(path)
            elif isinstance(t, type) and issubclass(t, BaseModel):
                out |= _string_fields(t, path)
            elif typing.get_origin(t) in (list, dict):
                todo += _unwrap(typing.get_args(t)[-1])
    return out


def _load(text: str) -> Any:
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _put(data: Any, loc: Loc, value: str) -> None:
    node = data
    for key in loc[:-1]:
        node = node[key]
    node[loc[-1]] = value


def _get(data: Any, loc: Loc) -> Any:
    for key in loc:
        data = data[key]
    return data


@cache
def seeded() -> Any:
    return _seed(_load(SAMPLE.read_text(encoding="utf-8")))


@cache
def leaves() -> dict[str, list[Loc]]:
    """Field path → where its values are in the seeded sample."""
    out: dict[str, list[Loc]] = {}
    for loc, field in _leaves(Profile, seeded(), (), ""):
        out.setdefault(field, []).append(loc)
    return out


FIELDS = sorted(_string_fields(Profile))


def test_every_string_field_of_the_model_is_tested() -> None:
    assert len(FIELDS) >= 90
    assert sorted(leaves()) == FIELDS, sorted(set(FIELDS) - set(leaves()))


# --- editing and rendering -----------------------------------------------------------------------


@dataclass(frozen=True)
class Edit:
    """The value put in at `loc`, and everywhere else the sample has the same text (a name and the
    references to it change together)."""

    field: str
    loc: Loc

    def apply(self, value: str) -> tuple[Any, list[Loc]]:
        data = _copy(seeded())
        old = _get(data, self.loc)
        changed = [loc for locs in leaves().values() for loc in locs if _get(data, loc) == old]
        for loc in changed:
            _put(data, loc, value)
        return data, changed

    def siblings(self) -> set[str]:
        """The other values of this field (a name equal to one of them may be refused as a duplicate)."""
        data = seeded()
        old = _get(data, self.loc)
        return {v for loc in leaves()[self.field] if (v := _get(data, loc)) != old}


def _copy(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _copy(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_copy(v) for v in data]
    return data


@cache
def _templates() -> TemplateSet:
    return TemplateSet(builtin_templates())


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True, sort_keys=False, width=10**9)


def render(data: Any, ids: tuple[str, ...] | None) -> dict[str, bytes]:
    """The documents `ids` (catalog ids; None: all) rendered from `data` (ProfileError if refused),
    by catalog id (a prefix changes every number)."""
    keep_worksheets_in_memory()
    profile = parse_profile(_dump(data), "company.yaml", _templates())
    entries = apply_documents(load_catalog(_templates()), profile.trade)
    context = build_context(profile, entries)
    chosen = [d for d in context.documents if ids is None or d.entry.id in ids]
    files = render_documents(context, _templates(), when_of(BUILD_DATE), chosen)
    ID_OF.update({d.relpath: d.entry.id for d in chosen})
    return files


ID_OF: dict[str, str] = {}  # relpath → catalog id of what was rendered


def placeholder(i: int) -> str:
    """A distinct text for field i: no digit, nothing another field's placeholder contains."""
    return f"占位{chr(0x4E00 + i)}{chr(0x5E00 + i)}止"


@cache
def survey() -> dict[str, tuple[bool, dict[str, int]]]:
    """Field → (its placeholder accepted, how often it shows per document). One render of the
    whole pack with a placeholder for every accepted field's text in place at once (fields that
    share a text, a name and the references to it, share the placeholder); each file read once."""
    texts_of: dict[str, int] = {}  # the sample's text → its placeholder's number
    accepted: set[str] = set()
    for field in FIELDS:
        old = _get(seeded(), leaves()[field][0])
        n = texts_of.setdefault(old, len(texts_of))
        data, _ = Edit(field, leaves()[field][0]).apply(placeholder(n))
        try:
            parse_profile(_dump(data), "company.yaml", _templates())
            accepted.add(field)
        except ProfileError:
            pass
    data = _copy(seeded())
    wanted = {_get(seeded(), leaves()[f][0]) for f in accepted}
    for locs in leaves().values():
        for loc in locs:
            if (old := _get(seeded(), loc)) in wanted:
                _put(data, loc, placeholder(texts_of[old]))
    files = render(data, None)
    read = {rel: word_text(b) if rel.endswith(".docx") else "\x00".join(str(c.value) for c in excel_cells(b))
            for rel, b in files.items()}
    out: dict[str, tuple[bool, dict[str, int]]] = {}
    for field in FIELDS:
        mark = placeholder(texts_of[_get(seeded(), leaves()[field][0])])
        counts = {rel: t.count(mark) for rel, t in read.items() if mark in t} if field in accepted else {}
        SIZE.update({rel: len(files[rel]) for rel in counts})
        out[field] = (field in accepted, counts)
    return out


SIZE: dict[str, int] = {}


def chosen(field: str) -> tuple[str, ...]:
    """At most one Word and one Excel document that show the field (catalog ids)."""
    counts = survey()[field][1]
    picks = [next((rel for rel in sorted(counts, key=SIZE.__getitem__) if rel.endswith(ext)), None) for ext in (".docx", ".xlsx")]
    return tuple(ID_OF[rel] for rel in picks if rel)


def _names_field(exc: ProfileError, changed: list[Loc]) -> bool:
    keys = {re.sub(r"\[(\d+)\]", r".\1", p.key) for p in exc.problems if p.key}  # a[0].b → a.0.b
    paths = {".".join(str(k) for k in loc) for loc in changed}
    return any(k == p or p.startswith(k + ".") for k in keys for p in paths)


def check(field: str, value: str) -> None:
    free, _ = survey()[field]
    edit = Edit(field, leaves()[field][0])
    data, changed = edit.apply(value)
    ids = chosen(field)
    must_refuse = bool(XML_ILLEGAL.search(value)) or len(value) > MAX_CELL_CHARS
    may_refuse = must_refuse or not free or value in edit.siblings()
    try:
        files = render(data, ids)
    except ProfileError as exc:
        assert may_refuse, f"{field}={value!r} refused: {exc}"
        assert _names_field(exc, changed), f"{field}={value!r}: the error does not name the field: {exc}"
        return
    assert not must_refuse, f"{field}={value!r} accepted though no file can carry it"
    if not free:
        return
    shown = value.replace("\r\n", "\n").replace("\r", "\n")
    for rel, n in occurrences(files, shown).items():
        if rel.endswith(".docx"):
            assert n >= 1, f"{field}={value!r}: {rel} does not show it"
    for rel, n in occurrences(files, value).items():
        if rel.endswith(".xlsx"):
            assert n >= 1, f"{field}={value!r}: {rel} does not show it"


def test_the_survey_finds_documents_for_the_fields_that_show() -> None:
    shown = {f for f, (free, counts) in survey().items() if counts}
    free = {f for f, (ok, _) in survey().items() if ok}
    assert len(shown) >= 60, sorted(free - shown)
    assert {"company.name", "departments.name", "channels.hotline", "laws"} <= shown


# --- the property ------------------------------------------------------------------------------

SETTINGS = settings(max_examples=2, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("field", FIELDS)
@SETTINGS
@given(value=texts())
def test_any_text_in_any_string_field_survives_or_is_refused_naming_it(field: str, value: str) -> None:
    check(field, value)
