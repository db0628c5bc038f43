"""Property-based: arbitrary Unicode text typed into a string field of the profile either comes
out exactly in the Word text and the Excel cells of the documents that show it (cells are text,
never formulas, never evaluated as a template), or the profile is refused with a ProfileError for
what no Word or Excel file can carry (control characters, too long, a duplicate name).

Each field renders only a few documents that hold it (the manual and a procedure or record form),
not the whole pack: a pack takes seconds, and every field gets max_examples examples."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import docx
import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from docgen.catalog import TemplateSet, builtin_templates, load_catalog
from docgen.context import build_context
from docgen.errors import ProfileError
from docgen.limits import MAX_CELL_CHARS
from docgen.pack import render_documents, when_of
from docgen.profile import parse_profile
from docgen.render.xlsxmem import keep_worksheets_in_memory
from docgen.trades import apply_documents
from docgen.yamlload import XML_ILLEGAL

from .conftest import BUILD_DATE, SAMPLE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
PLACEHOLDER = "占位文字甲乙丙丁"  # the baseline value: where a field shows, and how often
PARAGRAPH = "\x00"  # joins Word paragraphs: a character no valid value can hold

# --- the text to try -------------------------------------------------------------------------

SPECIALS = [
    "<", ">", "&", '"', "'", "&amp;", "]]>", "{{", "}}", "{%", "%}", "{#", "#}", "=", "+", "-", "@",
    " ", "\u3000", "\u00a0", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u200e", "\u200f",
    "\u202e", "\u2066", "\u2069", "\u0301", "\u0308", "\u20dd", "\ufe0f", "😀", "👨‍👩‍👧", "🇨🇳",
    "中", "華", "𠀀", "𪚥", "𰻞", "ا", "ש", "ß", "ǅ", "\\", "%", "$", "{", "}", "|", "~", "*", "#",
    "\u2028", "\u2029", "\u0085",
]
BREAKS = ["\n", "\t", "\r\n", "\r"]
CONTROLS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\ufffe", "\uffff"]


def texts(breaks: bool = True) -> st.SearchStrategy[str]:
    """Text from a rich alphabet: CJK (incl. extension B), emoji, combining marks, RTL and
    zero-width characters, XML and Jinja syntax, formula starters, line breaks and tabs (where the
    field allows them) and, rarely, a control character no file can carry."""
    pieces = SPECIALS + (BREAKS if breaks else [])
    char = st.one_of(
        st.sampled_from(pieces),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
        st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),
    )
    pieces_text = st.lists(char, min_size=1, max_size=30).map("".join)  # pieces may be longer than one character
    return pieces_text | st.sampled_from(CONTROLS).map(lambda c: f"前{c}后")


# --- the fields --------------------------------------------------------------------------------


def rename(data: Any, old: str, new: str) -> Any:
    """Every value equal to `old`, anywhere in the data, replaced by `new`."""
    if isinstance(data, dict):
        return {k: rename(v, old, new) for k, v in data.items()}
    if isinstance(data, list):
        return [rename(v, old, new) for v in data]
    return new if data == old else data


def _set(*path: str | int) -> Callable[[dict[str, Any], str], dict[str, Any]]:
    def edit(data: dict[str, Any], value: str) -> dict[str, Any]:
        node: Any = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        return data
    return edit


@dataclass(frozen=True)
class Field:
    key: str
    edit: Callable[[dict[str, Any], str], dict[str, Any]]
    documents: tuple[str, ...]  # document numbers rendered for it
    siblings: Callable[[dict[str, Any]], list[str]] | None = None  # names it must differ from


FIELDS = {
    "company.name": Field("company.name", _set("company", "name"), ("YH-SC-01", "YH-JL-20")),
    "company.short_name": Field("company.short_name", _set("company", "short_name"), ("YH-SC-01", "YH-JL-10")),
    "departments.name": Field(
        "departments.name", lambda data, value: rename(data, "质量管理部", value), ("YH-SC-01", "YH-JL-02"),
        lambda data: [d["name"] for d in data["departments"] if d["name"] != "质量管理部"],
    ),
    "outlets.name": Field(
        "outlets.name", _set("outlets", 1, "name"), ("YH-SC-01", "YH-JL-10"),
        lambda data: [o["name"] for i, o in enumerate(data["outlets"]) if i != 1],
    ),
    "policy.commitments": Field("policy.commitments", _set("policy", "commitments", 3), ("YH-SC-01", "YH-CX-12")),
    "fees.item": Field("fees.item", _set("fees", 6, "item"), ("YH-SC-01", "YH-JL-20")),
    "products.name": Field(
        "products.name", _set("products", 2, "name"), ("YH-SC-01", "YH-JL-28"),
        lambda data: [p["name"] for i, p in enumerate(data["products"]) if i != 2],
    ),
    "channels.hotline": Field("channels.hotline", _set("channels", "hotline"), ("YH-SC-01", "YH-JL-20")),
}


# --- rendering and reading back ----------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _no_page_numbers() -> Any:
    """Contents page numbers come from a LibreOffice run (docgen/render/toc.py), seconds per
    document and nothing to do with the text: leave them out."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("docgen.render.toc.soffice", lambda: None)
        yield


def _load(text: str) -> Any:
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@cache
def _sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


@cache
def _templates() -> TemplateSet:
    return TemplateSet(builtin_templates())


def profile_text(field: Field, value: str) -> str:
    data = field.edit(_load(_sample_text()), value)
    text = yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True, sort_keys=False,
                     width=10**9)
    assert field.edit(_load(_sample_text()), value) == _load(text), "the test's YAML round trip"
    return text


def render(field: Field, value: str) -> dict[str, bytes]:
    """The field's documents rendered with `value` in the field (ProfileError if refused)."""
    keep_worksheets_in_memory()
    profile = parse_profile(profile_text(field, value), "company.yaml", _templates())
    entries = apply_documents(load_catalog(_templates()), profile.trade)
    context = build_context(profile, entries)
    chosen = [d for d in context.documents if d.number in field.documents]
    assert sorted(d.number for d in chosen) == sorted(field.documents)
    return render_documents(context, _templates(), when_of(BUILD_DATE), chosen)


def _paragraph_text(p: Any) -> str:
    out = []
    for el in p.iter(f"{W}t", f"{W}br", f"{W}cr", f"{W}tab"):
        if el.tag == f"{W}t":
            out.append(el.text or "")
        elif el.tag == f"{W}tab":
            out.append("\t")
        else:
            out.append("\n")
    return "".join(out)


def word_text(data: bytes) -> str:
    """Every paragraph of body (tables included), headers and footers, Word breaks as newlines,
    tabs as tabs; paragraphs joined by PARAGRAPH. Runs that start or end with white space must
    say xml:space="preserve", or Word drops that space."""
    document = docx.Document(io.BytesIO(data))
    roots = [document.element.body]
    for rel in document.part.rels.values():
        if rel.reltype.endswith(("/header", "/footer")):
            roots.append(rel.target_part.element)
    paragraphs = []
    for root in roots:
        for t in root.iter(f"{W}t"):
            if t.text and t.text != t.text.strip(" \t\n\r") and t.get(XML_SPACE) != "preserve":
                raise AssertionError(f"w:t {t.text!r} loses its white space in Word (no xml:space)")
        paragraphs += [_paragraph_text(p) for p in root.iter(f"{W}p")]
    return PARAGRAPH.join(paragraphs)


def excel_cells(data: bytes) -> list[openpyxl.cell.Cell]:
    with zipfile.ZipFile(io.BytesIO(data)):  # a readable zip
        pass
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value is not None]


def occurrences(files: dict[str, bytes], text: str) -> dict[str, int]:
    """How often `text` appears in each file's Word text or Excel cells; asserts every cell
    holding it is a text cell."""
    counts = {}
    for rel, data in files.items():
        if rel.endswith(".docx"):
            counts[rel] = word_text(data).count(text)
        elif rel.endswith(".xlsx"):
            n = 0
            for cell in excel_cells(data):
                if isinstance(cell.value, str) and text in cell.value:
                    assert cell.data_type == "s", f"{rel} {cell.coordinate}: {cell.data_type} cell {cell.value!r}"
                    n += cell.value.count(text)
                elif text in str(cell.value):
                    raise AssertionError(f"{rel} {cell.coordinate}: {cell.value!r} is not text")
            counts[rel] = n
    return counts


@cache
def baseline(key: str) -> dict[str, int]:
    """Where and how often the field shows: the counts with a placeholder value."""
    counts = occurrences(render(FIELDS[key], PLACEHOLDER), PLACEHOLDER)
    assert all(counts.values()), f"{key}: a chosen document does not show the field: {counts}"
    return counts


def refusal(field: Field, value: str) -> str | None:
    """Why the profile must be refused with this value (None: it must build)."""
    if XML_ILLEGAL.search(value):
        return "control character"
    if len(value) > MAX_CELL_CHARS:
        return "too long"
    if field.siblings and value in field.siblings(_load(_sample_text())):
        return "duplicate"
    return None


def check(key: str, value: str) -> None:
    field = FIELDS[key]
    why = refusal(field, value)
    expected = baseline(key)
    try:
        files = render(field, value)
    except ProfileError as exc:
        assert why is not None, f"{key}={value!r} refused: {exc}"
        assert key.split(".")[0] in str(exc), f"the error names the field: {exc}"
        return
    assert why is None, f"{key}={value!r} accepted though it must be refused ({why})"
    shown = value.replace("\r\n", "\n").replace("\r", "\n")  # Word breaks (docgen/render/env.py _finalize)
    word = {rel: n for rel, n in occurrences(files, shown).items() if rel.endswith(".docx")}
    excel = {rel: n for rel, n in occurrences(files, value).items() if rel.endswith(".xlsx")}
    for rel, n in {**word, **excel}.items():
        assert n >= expected[rel], f"{key}={value!r}: {rel} shows it {n} times, the placeholder {expected[rel]}"


# --- the properties ----------------------------------------------------------------------------

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TARGETED = [
    "{{ 7*7 }} {% if true %}x{% endif %}{# c #}",  # never template source
    "=HYPERLINK(\"http://x\",\"y\")",  # never a formula
    "@SUM(A1)+-1",
    "<w:t>&amp;</w:t> \"'",  # never XML
    "  前后空格  ",  # white space kept at both ends (xml:space="preserve")
    "a\u200bb\u200dc\u202eאבג e\u0301\u0308 😀👨‍👩‍👧 𠀀𪚥",
]
MULTILINE = ["第一行\n第二行\t制表", "回车\r\n换行\r只有回车"]


def examples(values: list[str]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def decorate(test: Callable[..., None]) -> Callable[..., None]:
        for value in reversed(values):
            test = example(value)(test)
        return test
    return decorate


@pytest.mark.parametrize("key", list(FIELDS))
@SETTINGS
@examples(TARGETED + MULTILINE + ["前\x01后", "x" * (MAX_CELL_CHARS + 1)])
@given(value=texts())
def test_text_survives_or_is_refused(key: str, value: str) -> None:
    check(key, value)
