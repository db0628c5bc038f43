"""Word rendering: lay a body template into the house-style base, render it with Jinja
(docxtpl tag conventions), check the XML, and write a deterministic .docx."""

from __future__ import annotations

import contextvars
import datetime as dt
import hashlib
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from lxml import etree
from markupsafe import Markup, escape

from .env import (
    PROPS_SUFFIX,
    RENDER_ERRORS,
    XML_SUFFIX,
    Renderer,
    RenderTimeout,
    cache_dir,
    limit_message,
    template_line,
    time_limit,
)
from .errors import PartError
from .tables import fit_tables
from .thirdparty import docxtpl_patch_xml
from .zipout import zip_bytes

BODY_MARKER = "[[BODY]]"
_BODY_RE = re.compile(r"<w:body>(.*?)(<w:sectPr[ >].*</w:sectPr>)?\s*</w:body>", re.S)
_PARA_WITH_MARKER = re.compile(r"<w:p[ >](?:(?!<w:p[ >]).)*?" + re.escape(BODY_MARKER) + r".*?</w:p>", re.S)
_TEMPLATED_PARTS = re.compile(r"^(word/document\.xml|word/header\d*\.xml|word/footer\d*\.xml|docProps/core\.xml)$")


@dataclass
class Base:
    """The house-style package: every part of base.docx, the document part holding [[BODY]]."""

    path: Path
    names: list[str]
    parts: dict[str, bytes]

    @property
    def document_xml(self) -> str:
        return self.parts["word/document.xml"].decode("utf-8")


@lru_cache(maxsize=256)  # every template of a pack stays read between builds
def _load_zip(path: Path, mtime_ns: int, size: int) -> tuple[tuple[str, ...], dict[str, bytes]]:
    with zipfile.ZipFile(path) as zf:
        names = tuple(zf.namelist())
        return names, {n: zf.read(n) for n in names}


def read_package(path: Path) -> tuple[tuple[str, ...], dict[str, bytes]]:
    """All entries of a zip package, cached by path, mtime and size; PartError if it is not a
    Word document (not a zip package, or one without word/document.xml)."""
    st = path.stat()
    try:
        names, parts = _load_zip(path, st.st_mtime_ns, st.st_size)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise PartError("body", "document", f"not a Word document (not a zip package: {exc})") from None
    if "word/document.xml" not in parts:
        raise PartError("body", "document", "not a Word document (no word/document.xml)")
    return names, parts


def load_base(path: Path) -> Base:
    """The house-style base; its faults are PartErrors marked `in_base`."""
    try:
        names, parts = read_package(path)
        base = Base(path, list(names), parts)
        xml = base.document_xml
    except PartError as exc:
        raise PartError(exc.part, exc.place, exc.message, in_base=True) from None
    except UnicodeDecodeError:
        raise PartError("body", "document", "word/document.xml is not UTF-8", in_base=True) from None
    if BODY_MARKER not in xml:
        raise PartError("body", "document", f"the house-style base has no {BODY_MARKER} paragraph", in_base=True)
    return base


def body_content(path: Path) -> str:
    """The inner XML of a body template's <w:body>, without its section properties."""
    _, parts = read_package(path)
    try:
        xml = parts["word/document.xml"].decode("utf-8")
    except UnicodeDecodeError:
        raise PartError("body", "document", "not a Word document (word/document.xml is not UTF-8)") from None
    m = _BODY_RE.search(xml)
    if not m:
        raise PartError("body", "document", "no <w:body> element found")
    return m.group(1)


@lru_cache(maxsize=512)
def patch(source: str) -> str:
    """docxtpl's clean-up of Word XML into Jinja source (tags split across runs, {%p %}, {%tr %} …),
    cached by source hash in the process and on disk, since it costs as much as compiling."""
    folder = cache_dir()
    path = None
    if folder is not None:
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
        path = folder.parent / "patched" / f"{digest}.xml"
        try:
            return path.read_text(encoding="utf-8")
        except OSError:
            pass
    patched = docxtpl_patch_xml(source)
    patched = re.sub(r"<w:p([ >])", r"\n<w:p\1", patched)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(patched, encoding="utf-8")
            os.replace(tmp, path)
        except OSError:
            pass
    return patched


# ---------------------------------------------------------------- pictures inside documents
_MEDIA: contextvars.ContextVar[list[tuple[str, str, bytes]] | None] = contextvars.ContextVar("media", default=None)


@dataclass
class Picture:
    """A PNG to place inline in a Word document with `{{ name }}` alone in a paragraph."""

    png: bytes
    width_cm: float
    height_cm: float
    description: str = "图片"
    _digest: str = field(default="", repr=False)

    def __html__(self) -> str:
        media = _MEDIA.get()
        if media is None:
            return ""
        digest = self._digest or hashlib.sha256(self.png).hexdigest()[:12]
        rid = f"rIdDocgenImg{len(media) + 1}"
        media.append((rid, f"media/docgen_{digest}.png", self.png))
        cx, cy = int(self.width_cm * 360000), int(self.height_cm * 360000)
        n = len(media)
        return (
            "</w:t></w:r><w:r><w:drawing>"
            f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:docPr id="{1000 + n}" name="Picture {n}" descr="{escape(self.description)}"/>'
            '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            f'<pic:nvPicPr><pic:cNvPr id="{n}" name="image{n}.png"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
            "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r><w:r><w:t>"
        )


# ---------------------------------------------------------------- rendering
_P_OPEN = re.compile(r"\n<w:p[ >]")
_TBL_OPEN = re.compile(r"<w:tbl[ >]")
_TR_OPEN = re.compile(r"<w:tr[ >]")
_TC_OPEN = re.compile(r"<w:tc[ >]")


Counts = tuple[int, int]  # paragraphs and tables


def locate(source: str, line: int | None, offset: Counts = (0, 0), body: Counts | None = None) -> tuple[str, bool]:
    """Name the paragraph (and table cell) a template line falls in, with its text; and whether
    it lies in the house-style base rather than in the body.

    `offset` is the number of paragraphs and tables the base puts before the body and `body` the
    number in the body (after patching), so a place in the body is counted within the body
    template the author wrote, and a place in the base within base.docx."""
    if not line:
        return "unknown place", False
    lines = source.split("\n")
    current = lines[line - 1] if line - 1 < len(lines) else ""
    end = current.find("</w:p>")
    upto = "\n".join(lines[: line - 1] + [current[: end if end >= 0 else len(current)]])
    total = len(_P_OPEN.findall(upto))
    para = total - offset[0]
    before, after = para <= 0, body is not None and para > body[0]
    in_base = before or after
    if before:
        para = total
    elif after and body is not None:
        para = total - body[0] + 1  # the [[BODY]] paragraph stands for the body in the base
    text = re.sub(r"<[^>]+>", "", current).strip()
    if len(text) > 60:
        text = text[:57] + "…"
    where = f"paragraph {para}"
    open_cells = len(_TC_OPEN.findall(upto)) - upto.count("</w:tc>")
    if open_cells > 0:
        tables = len(_TBL_OPEN.findall(upto))
        table_no = tables if before else tables - (body[1] if after and body is not None else offset[1])
        last_tbl = list(_TBL_OPEN.finditer(upto))[-1].start()
        rows = list(_TR_OPEN.finditer(upto, last_tbl))
        row = len(rows)
        cell = len(_TC_OPEN.findall(upto, rows[-1].start())) if rows else 0
        where = f"table {table_no} row {row} cell {cell}, paragraph {para}"
    return (f"{where} «{text}»" if text else where), in_base


def place(source: str, line: int | None, offset: Counts = (0, 0)) -> str:
    """Name the paragraph (and table cell) a template line falls in, with its text (see `locate`)."""
    return locate(source, line, offset)[0]


def _counts(xml: str) -> Counts:
    return len(_P_OPEN.findall(xml)), len(_TBL_OPEN.findall(xml))


@lru_cache(maxsize=16)
def body_offset(base_document_xml: str) -> Counts:
    """Paragraphs and tables of the base before the [[BODY]] paragraph, after patching."""
    m = _PARA_WITH_MARKER.search(base_document_xml)
    return _counts(patch(base_document_xml[: m.start()] if m else base_document_xml))


@lru_cache(maxsize=16)
def body_tail(base_document_xml: str) -> Counts:
    """Paragraphs and tables of the base after the [[BODY]] paragraph, after patching."""
    m = _PARA_WITH_MARKER.search(base_document_xml)
    return _counts(patch(base_document_xml[m.end() :])) if m else (0, 0)


@lru_cache(maxsize=16)
def _base_compiles(env: Renderer, base_document_xml: str) -> tuple[int | None, str] | None:
    """None if the base's document part compiles on its own; else the line and message."""
    patched = patch(base_document_xml)
    try:
        env.template(patched, XML_SUFFIX)
    except jinja2.TemplateSyntaxError as exc:
        return exc.lineno, exc.message or str(exc)
    return None


def _failure(exc: BaseException) -> tuple[str, bool]:
    """The message for an exception raised while rendering, and whether rendering must stop."""
    if isinstance(exc, jinja2.TemplateError):
        return str(exc), isinstance(exc, RenderTimeout)
    return limit_message(exc) or str(exc), False


def render_part(env: Renderer, source: str, context: dict[str, Any], part: str, offset: Counts = (0, 0),
                base_xml: str | None = None, kind: str = XML_SUFFIX) -> str:
    """Render one XML part; raise PartError naming the place on any Jinja problem.

    With `base_xml` (the base's document part this one was composed from), a fault outside the
    body is a PartError marked `in_base`, placed within the base."""
    patched = patch(source)
    body = None
    if base_xml is not None:
        tail = body_tail(base_xml)
        total = _counts(patched)
        body = (total[0] - offset[0] - tail[0], total[1] - offset[1] - tail[1])
    try:
        template = env.template(patched, kind)
    except jinja2.TemplateSyntaxError as exc:
        message = exc.message or str(exc)
        if base_xml is not None and (fault := _base_compiles(env, base_xml)) is not None:
            raise PartError(part, place(patch(base_xml), fault[0]), fault[1], in_base=True) from None
        where, in_base = locate(patched, exc.lineno, offset, body)
        if in_base and base_xml is not None:  # the base compiles alone: the body left a tag open
            where = "end of the body"
        raise PartError(part, where, message) from None
    try:
        out = template.render(context)
    except RENDER_ERRORS as exc:
        line = template_line(exc, template.name or "")
        where, in_base = locate(patched, line, offset, body)
        message, fatal = _failure(exc)
        raise PartError(part, where, message, in_base=in_base and base_xml is not None, fatal=fatal) from None
    out = re.sub(r"\n<w:p([ >])", r"<w:p\1", out)
    try:
        etree.fromstring(out.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise PartError(part, f"line {exc.lineno}", f"rendered XML is not well-formed ({exc.msg}); check the tags that open and close paragraphs or rows") from None
    return out


def _part_label(name: str) -> str:
    if name == "word/document.xml":
        return "body"
    if "header" in name:
        return "header"
    if "footer" in name:
        return "footer"
    return "properties"


_XMLNS = re.compile(r'\sxmlns:(\w+)="[^"]*"')


def compose(base: Base, body_path: Path) -> str:
    """The document part's template source: the base with the body laid in at [[BODY]].

    Namespace declarations the body's root carries and the base's lacks are added to the root,
    so a body saved by Word or WPS keeps every prefix it uses. Cached by both files' path, time
    and size, so a rebuild reuses the same source (and its compiled template)."""
    b, t = base.path.stat(), body_path.stat()
    key = (base.path, b.st_mtime_ns, b.st_size, body_path, t.st_mtime_ns, t.st_size)
    if key not in _COMPOSED:
        if len(_COMPOSED) >= 256:
            _COMPOSED.clear()
        _COMPOSED[key] = _compose(base, body_path)
    return _COMPOSED[key]


_COMPOSED: dict[tuple, str] = {}


def _compose(base: Base, body_path: Path) -> str:
    body = body_content(body_path)
    doc = _PARA_WITH_MARKER.sub(lambda _m: body, base.document_xml, count=1)
    _, parts = read_package(body_path)
    body_root = re.search(r"<w:document[^>]*>", parts["word/document.xml"].decode("utf-8"))
    base_root = re.search(r"<w:document[^>]*>", doc)
    if body_root and base_root:
        have = set(_XMLNS.findall(base_root.group(0)))
        extra = "".join(m.group(0) for m in _XMLNS.finditer(body_root.group(0)) if m.group(1) not in have)
        if extra:
            root = base_root.group(0)[:-1] + extra + ">"
            doc = doc[: base_root.start()] + root + doc[base_root.end() :]
    return doc


def render_docx(env: Renderer, base: Base, body_path: Path, context: dict[str, Any], when: dt.datetime,
                reword: Callable[[str], str] | None = None) -> bytes:
    """Render one Word document within the render time limit; raises a list of PartError (as
    ExceptionGroup) on failure. Faults in parts that come from the base alone (headers, footers,
    properties) are marked `in_base`. `reword` is a trade's wording of a common body."""
    errors: list[PartError] = []
    out: dict[str, bytes] = {}
    media: list[tuple[str, str, bytes]] = []
    token = _MEDIA.set(media)
    try:
        with time_limit():
            for name in base.names:
                data = base.parts[name]
                if not _TEMPLATED_PARTS.match(name):
                    out[name] = data
                    continue
                try:
                    if name == "word/document.xml":
                        source = compose(base, body_path)
                        xml = render_part(env, reword(source) if reword else source, context, "body", body_offset(base.document_xml),
                                          base.document_xml)
                    else:
                        kind = PROPS_SUFFIX if name.startswith("docProps/") else XML_SUFFIX
                        try:
                            xml = render_part(env, data.decode("utf-8"), context, _part_label(name), kind=kind)
                        except PartError as exc:
                            raise PartError(exc.part, exc.place, exc.message, in_base=True, fatal=exc.fatal) from None
                    if name == "word/document.xml":
                        if TOC_MARKER in xml:
                            xml = fill_toc(xml)
                        xml = fit_tables(xml)
                    elif name == "docProps/core.xml":
                        xml = core_dates(xml, when)
                    out[name] = xml.encode("utf-8")
                except PartError as exc:
                    errors.append(exc)
                    if exc.fatal:
                        break
    finally:
        _MEDIA.reset(token)
    if errors:
        raise ExceptionGroup("template errors", errors)
    if media:
        _add_media(out, media)
    return zip_bytes([(n, out[n]) for n in base.names] + [(f"word/{t}", b) for _, t, b in media if f"word/{t}" not in out], when)


TOC_MARKER = "DOCGEN-TOC"
_PARA = re.compile(r"<w:p[ >].*?</w:p>", re.S)
_STYLE = re.compile(r'<w:pStyle w:val="Heading([12])"/>')
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_TOC_PARA = re.compile(r"<w:p[ >](?:(?!<w:p[ >]).)*?" + TOC_MARKER + r".*?</w:p>", re.S)
_FLD = re.compile(r"<w:r>(?:(?!<w:r>).)*?<w:fldChar w:fldCharType=\"(begin|separate|end)\"/>.*?</w:r>|"
                  r"<w:r>(?:(?!<w:r>).)*?<w:instrText[^>]*>[^<]*</w:instrText></w:r>", re.S)
TOC_PAGE_RUN = "<w:r><w:tab/></w:r><w:r><w:t>{page}</w:t></w:r>"


def toc_entries(xml: str, start: int = 0) -> list[tuple[int, str]]:
    """The level (1, 2) and text (XML-escaped) of every heading after `start`."""
    entries = []
    for m in _PARA.finditer(xml, start):
        style = _STYLE.search(m.group(0))
        if style:
            text = "".join(_TEXT.findall(m.group(0))).strip()
            if text:
                entries.append((int(style.group(1)), text))
    return entries


def fill_toc(xml: str, pages: list[str] | None = None) -> str:
    """Write the headings as the TOC field's shown result, one paragraph per entry in the TOC 1 /
    TOC 2 styles (right tab with leader dots, then the page number), so the contents page reads
    right before any program updates fields. `pages` are the numbers to show (docgen/render/toc.py
    computes them with a LibreOffice layout pass); without them the numbers are left blank. The
    field stays, so Word can refresh it."""
    m = _TOC_PARA.search(xml)
    if m is None:
        return xml
    para = m.group(0)
    entries = toc_entries(xml, m.end())
    if not entries:
        return xml.replace(TOC_MARKER, " ", 1)
    field_runs = {kind: run for run, kind in ((f.group(0), f.group(1) or "instr") for f in _FLD.finditer(para))}
    opening = field_runs.get("begin", "") + field_runs.get("instr", "") + field_runs.get("separate", "")
    out = []
    for i, (level, text) in enumerate(entries):
        page = pages[i] if pages and i < len(pages) else ""
        body = (opening if i == 0 else "") + f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
        body += TOC_PAGE_RUN.format(page=page) + (field_runs.get("end", "") if i == len(entries) - 1 else "")
        out.append(f'<w:p><w:pPr><w:pStyle w:val="TOC{level}"/></w:pPr>{body}</w:p>')
    return xml[: m.start()] + "".join(out) + xml[m.end() :]


_CORE_DATES = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def core_dates(xml: str, when: dt.datetime) -> str:
    """docProps/core.xml with created and modified set to the build date."""
    iso = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    return _CORE_DATES.sub(lambda m: m.group(1) + iso + m.group(3), xml)


def _add_media(out: dict[str, bytes], media: list[tuple[str, str, bytes]]) -> None:
    rels = out["word/_rels/document.xml.rels"].decode("utf-8")
    extra = "".join(
        f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="{target}"/>'
        for rid, target, _ in media
    )
    out["word/_rels/document.xml.rels"] = rels.replace("</Relationships>", extra + "</Relationships>").encode("utf-8")
    ct = out["[Content_Types].xml"].decode("utf-8")
    if 'Extension="png"' not in ct:
        ct = ct.replace("<Types ", "<Types ", 1).replace(
            "<Default ", '<Default Extension="png" ContentType="image/png"/><Default ', 1
        )
        out["[Content_Types].xml"] = ct.encode("utf-8")


__all__ = ["Base", "Markup", "PartError", "Picture", "compose", "load_base", "locate", "patch", "place", "render_docx"]
