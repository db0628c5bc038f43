"""Contents page numbers from one headless LibreOffice layout pass.

`paginate(files)` takes rendered documents (relative path → bytes) and returns them with the page
numbers of every contents entry written into the TOC field's shown result (the field is kept, so
Word can refresh it). Only Word documents with a contents page are touched; they are converted to
PDF together in one `soffice` run, and each heading is looked up, in order, on the pages after the
contents. Without LibreOffice (or with DOCGEN_TOC_PAGES=off) the documents come back unchanged:
the entries show with dot leaders and no numbers, and `Pagination.note` says so.

Page numbers are cached by the document's content hash (in docgen's cache folder), so a rebuild of
unchanged documents costs no LibreOffice run. LibreOffice runs with its own profile and TMPDIR
under the cache folder: nothing goes to the system's TMPDIR.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .env import cache_dir

TIMEOUT_S = 180
_TOC_INSTR = re.compile(r"<w:instrText[^>]*>\s*TOC\b")
# a contents entry as fill_toc writes it (the empty page number may be serialised as <w:t/>)
_ENTRY = re.compile(
    r'<w:p><w:pPr><w:pStyle w:val="TOC[12]"/></w:pPr>(?:(?!</w:p>).)*?<w:r><w:t xml:space="preserve">([^<]*)</w:t></w:r>'
    r"<w:r><w:tab/></w:r><w:r>(<w:t>\d*</w:t>|<w:t/>)</w:r>",
    re.S,
)


@dataclass
class Pagination:
    """What the pass did: documents numbered, from cache, its cost, and a note when it could not run."""

    numbered: list[str] = field(default_factory=list)
    cached: int = 0
    seconds: float = 0.0
    note: str = ""


last = Pagination()  # what the latest pass did in this process (the build summary reads it)


def soffice() -> str | None:
    if os.environ.get("DOCGEN_TOC_PAGES") == "off":
        return None
    return shutil.which("soffice") or shutil.which("libreoffice")


def has_contents(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            xml = zf.read("word/document.xml").decode("utf-8")
    except (KeyError, zipfile.BadZipFile):
        return False
    return bool(_TOC_INSTR.search(xml)) and bool(_ENTRY.search(xml))


def _norm(text: str) -> str:
    import html

    return re.sub(r"[\s\u3000\u200b]+", "", html.unescape(text))


def heading_pages(pdf_text: str, headings: list[str]) -> list[int]:
    """The page (1-based) each heading is printed on, from `pdftotext -layout` output.

    Headings are found in order, each on a line of its own (a long heading may run over up to
    three lines), never on a contents page (where the line also holds leader dots or a number)."""
    pages = [[_norm(line) for line in page.split("\n") if line.strip()] for page in pdf_text.split("\f")]
    found: list[int] = []
    page, line = 0, 0
    for h in headings:
        target = _norm(h)
        hit = None
        for p in range(page, len(pages)):
            lines = pages[p]
            for i in range(line if p == page else 0, len(lines)):
                acc = ""
                for j in range(i, min(i + 3, len(lines))):
                    acc += lines[j]
                    if acc == target:
                        hit = (p, j + 1)
                        break
                    if not target.startswith(acc):
                        break
                if hit:
                    break
            if hit:
                break
        if hit is None:
            found.append(0)
            continue
        page, line = hit
        found.append(page + 1)
    return found


def _entries(xml: str) -> list[str]:
    return [m.group(1) for m in _ENTRY.finditer(xml)]


def _write_pages(data: bytes, pages: list[int]) -> bytes:
    """The document with these page numbers in its contents entries (zip order and stamps kept)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    it = iter(pages)
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "word/document.xml":
                xml = blob.decode("utf-8")
                xml = _ENTRY.sub(lambda m: m.group(0)[: m.start(2) - m.start(0)] + f"<w:t>{next(it, 0) or ''}</w:t>"
                                 + m.group(0)[m.end(2) - m.start(0) :], xml)
                blob = xml.encode("utf-8")
            out.writestr(info, blob, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
    return buf.getvalue()


def _cache_file(digest: str) -> Path | None:
    folder = cache_dir()
    return folder.parent / "toc" / f"{digest}.json" if folder is not None else None


def _work_root() -> Path:
    folder = cache_dir()
    base = folder.parent if folder is not None else Path.home() / ".cache" / "docgen"
    return base / "layout"


def _convert(command: str, docs: dict[str, bytes]) -> dict[str, str]:
    """`pdftotext -layout` text of each document after one LibreOffice conversion to PDF."""
    root = _work_root()
    work = root / f"run-{os.getpid()}-{time.monotonic_ns()}"
    (work / "in").mkdir(parents=True, exist_ok=True)
    (work / "tmp").mkdir(exist_ok=True)
    try:
        names = {}
        for i, (rel, data) in enumerate(docs.items()):
            path = work / "in" / f"d{i}.docx"
            path.write_bytes(data)
            names[rel] = path
        env = {**os.environ, "TMPDIR": str(work / "tmp"), "TMP": str(work / "tmp"), "TEMP": str(work / "tmp")}
        profile = (root / "lo-profile").as_uri()
        subprocess.run([command, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                        "--outdir", str(work / "pdf"), *map(str, names.values())],
                       check=True, capture_output=True, timeout=TIMEOUT_S, env=env)
        texts = {}
        for rel, path in names.items():
            pdf = work / "pdf" / (path.stem + ".pdf")
            texts[rel] = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                                        timeout=TIMEOUT_S, env=env).stdout.decode("utf-8", "replace")
        return texts
    finally:
        shutil.rmtree(work, ignore_errors=True)


def paginate(files: dict[str, bytes]) -> tuple[dict[str, bytes], Pagination]:
    """`files` with contents page numbers in every Word document that has a contents page."""
    global last
    start = time.perf_counter()
    result = last = Pagination()
    todo = {rel: data for rel, data in files.items() if rel.endswith(".docx") and has_contents(data)}
    if not todo:
        return files, result
    command = soffice()
    if command is None or shutil.which("pdftotext") is None:
        result.note = ("contents page numbers were not computed (LibreOffice or pdftotext not found); the contents list "
                       "the headings with leader dots, and Word fills the numbers when it updates the field")
        return files, result
    out = dict(files)
    pending: dict[str, bytes] = {}
    digests = {}
    for rel, data in todo.items():
        digest = hashlib.sha256(data).hexdigest()
        digests[rel] = digest
        cached = _cache_file(digest)
        try:
            pages = json.loads(cached.read_text()) if cached is not None else None
        except (OSError, ValueError):
            pages = None
        if isinstance(pages, list):
            out[rel] = _write_pages(data, pages)
            result.cached += 1
            result.numbered.append(rel)
        else:
            pending[rel] = data
    if pending:
        try:
            texts = _convert(command, pending)
        except (OSError, subprocess.SubprocessError) as exc:
            result.note = f"contents page numbers were not computed (LibreOffice failed: {exc.__class__.__name__})"
            result.seconds = time.perf_counter() - start
            return out, result
        for rel, data in pending.items():
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                headings = _entries(zf.read("word/document.xml").decode("utf-8"))
            pages = heading_pages(texts[rel], headings)
            out[rel] = _write_pages(data, pages)
            result.numbered.append(rel)
            cached = _cache_file(digests[rel])
            if cached is not None:
                try:
                    cached.parent.mkdir(parents=True, exist_ok=True)
                    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
                    tmp.write_text(json.dumps(pages))
                    os.replace(tmp, cached)
                except OSError:
                    pass
    result.seconds = time.perf_counter() - start
    return out, result
