"""Layout read back from LibreOffice's PDF of a whole pack: one `soffice` run converts every Word
and Excel file of a pack into one folder; the checks compare the documents' own text (table rows
and their paragraphs, worksheet rows) with the pages and lines of `pdftotext -raw`, which keeps the
order LibreOffice drew the text in (a table cell's lines one after another).

- a table row is split across pages when no single page holds every paragraph of the row (a
  paragraph cut by a page break is wholly on neither page);
- a column is narrower than its longest word when a Latin word, number, code or address inside a
  cell is broken across lines where no break is allowed (not after `-` or `/`), or is broken at all
  although it starts a line (then it did not fit on a line of its own);
- contents numbers match when each entry's title is a line of the page its number names.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TIMEOUT_S = 900
# an unbreakable run as the checks see it: Latin letters, digits and the marks inside codes,
# numbers, e-mail addresses and URLs (a zero-width space or any other character ends it)
TOKEN = re.compile(r"[0-9A-Za-z\u00c0-\u024f@._%+×#&=~:'’\-/]+")
BREAK_AFTER = "-/"  # where a line may end inside a token (UAX #14: after a hyphen or a solidus)
ENTRY = re.compile(r"^\s*(\S.*?)\s*\.{4,}\s*(\d+)\s*$")


def norm(text: str) -> str:
    return re.sub(r"[\s\u3000\u200b\u00ad]+", "", text)


def start_conversion(files: list[Path], outdir: Path, soffice: str) -> subprocess.Popen[bytes]:
    """Convert `files` to PDF into `outdir` with one soffice process (its own profile)."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="lo-", dir=outdir.parent))
    return subprocess.Popen(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(outdir), *map(str, files)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "TMPDIR": str(profile)})


def pack_files(pack: Path) -> list[Path]:
    """The Word and Excel files a client receives (not docgen's own state folder)."""
    return sorted(p for p in pack.rglob("*") if p.suffix in {".docx", ".xlsx"} and ".docgen" not in p.parts)


@dataclass
class Pdf:
    """A PDF's pages as `pdftotext -raw` lines and `-layout` text."""

    path: Path
    text: str | None = None  # `pdftotext -raw` output (read from `path` when not given)

    def __post_init__(self) -> None:
        raw = self.text
        if raw is None:
            raw = subprocess.run(["pdftotext", "-raw", str(self.path), "-"], check=True, capture_output=True,
                                 text=True).stdout
        self.raw = [page.split("\n") for page in raw.split("\f")]
        if self.raw and not any(line.strip() for line in self.raw[-1]):
            self.raw.pop()
        self.streams: list[str] = []
        self.breaks: list[set[int]] = []  # offsets in a page's stream where a printed line begins
        for lines in self.raw:
            stream, starts = "", set()
            for line in lines:
                starts.add(len(stream))
                stream += norm(line)
            self.streams.append(stream)
            self.breaks.append(starts)

    @property
    def pages(self) -> int:
        return len(self.raw)

    def layout(self) -> list[str]:
        out = subprocess.run(["pdftotext", "-layout", str(self.path), "-"], check=True, capture_output=True,
                             text=True).stdout
        return out.split("\f")

    def pages_holding(self, text: str) -> set[int]:
        t = norm(text)
        return {i for i, s in enumerate(self.streams) if t in s}

    def broken_tokens(self, paragraphs: list[str], min_chars: int = 3) -> list[str]:
        """Tokens printed broken where they must not be, for `paragraphs` (table paragraphs in
        document order, each found after the one before: the document's other text between them
        is skipped, so a paragraph is not mistaken for the same words elsewhere)."""
        stream = "".join(self.streams)
        starts: set[int] = set()
        base = 0
        for page, s in zip(self.breaks, self.streams):
            starts.update(base + o for o in page)
            base += len(s)
        bad, cursor = [], 0
        for text in paragraphs:
            t = norm(text)
            if len(t) < min_chars:
                continue
            at = stream.find(t, cursor)
            if at < 0:
                continue  # not printed whole (a row cut by a page break: split_rows reports it)
            cursor = at + len(t)
            for m in TOKEN.finditer(text):
                tok, begin = norm(m.group()), at + len(norm(text[: m.start()]))
                cuts = [j for j in range(1, len(tok)) if begin + j in starts]
                if cuts and (begin == at or begin in starts or any(tok[j - 1] not in BREAK_AFTER for j in cuts)):
                    bad.append("".join(("|" if j in cuts else "") + c for j, c in enumerate(tok)) + f" in {text[:40]!r}")
        return bad


def docx_rows(path: Path) -> Iterator[list[str]]:
    """Every table row of a Word document's body, as the texts of its paragraphs."""
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/document.xml"), parser=etree.XMLParser(huge_tree=True))
    for tbl in root.iter(f"{W}tbl"):
        for tr in tbl.findall(f"{W}tr"):
            paras = []
            for tc in tr.findall(f"{W}tc"):
                for p in tc.findall(f"{W}p"):
                    text = "".join(t.text or "" for t in p.iter(f"{W}t"))
                    if text.strip():
                        paras.append(text)
            if paras:
                yield paras


def docx_paragraphs(path: Path) -> list[str]:
    """Every paragraph of a Word document's body in document order (table cells included)."""
    with zipfile.ZipFile(path) as zf:
        root = etree.fromstring(zf.read("word/document.xml"), parser=etree.XMLParser(huge_tree=True))
    texts = ("".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p"))
    return [t for t in texts if t.strip()]


def xlsx_rows(path: Path) -> Iterator[list[str]]:
    """Every printed row of a workbook's sheets, as the texts of its text cells."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows():
            texts = [c.value for c in row if getattr(c, 'value', None) is not None and isinstance(c.value, str) and c.value.strip() and not c.value.startswith("=")]
            if texts:
                yield texts


def split_rows(pdf: Pdf, rows: Iterator[list[str]], min_chars: int = 2) -> list[str]:
    """Rows whose text no single page holds whole (each paragraph of at least `min_chars`)."""
    bad = []
    for paras in rows:
        held = [pdf.pages_holding(p) for p in paras if len(norm(p)) >= min_chars]
        if held and not set.intersection(*held):
            where = [sorted(h) for h in held]
            bad.append(f"{' | '.join(paras)[:60]!r} pages {where}")
    return bad


def contents_mismatches(pdf: Pdf) -> tuple[int, list[str]]:
    """(entries read, entries whose title is not a line of the page their number names)."""
    pages = pdf.layout()
    entries = [(m.group(1), int(m.group(2))) for page in pages[:6] for line in page.split("\n")
               if (m := ENTRY.match(line))]
    bad = []
    for title, number in entries:
        if number > len(pages):
            bad.append(f"{title} → {number} (past the end)")
            continue
        lines = [norm(line) for line in pages[number - 1].split("\n")]
        joined = {"".join(lines[i : i + k]) for i in range(len(lines)) for k in (1, 2, 3)}
        if norm(title) not in joined:
            bad.append(f"{title} → {number}")
    return len(entries), bad


def page_size_mm(path: Path) -> tuple[int, int, int]:
    """(width mm, height mm, pages) of a PDF."""
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    m = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info)
    n = re.search(r"Pages:\s+(\d+)", info)
    assert m and n, info
    w, h = (float(v) * 25.4 / 72 for v in m.group(1, 2))
    return round(w), round(h), int(n.group(1))


def broken_rows_hint(bad: list[str]) -> str:
    """A failure message: how many tokens were broken, and the first few."""
    return f"{len(bad)} broken: " + "; ".join(bad[:8])
