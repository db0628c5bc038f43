"""Table layout from the rendered content, the house rules in one place.

A body table the author gave no `|~` widths is compiled with `<w:tblLayout w:type="autofit"/>`;
when the document is rendered, its columns get widths from what the cells hold:

- a column is never narrower than its longest unbreakable word (a run of Latin letters, digits and
  the marks that stick to them, such as `（YH-JL-21）` or `×10%`), so no word breaks inside;
- number and date columns (every body cell a number, date, time limit, amount or percentage) get
  just what their widest cell needs;
- text columns share what is left, in proportion to how much text they hold;
- URLs and e-mail addresses longer than `URL_KEEP` half-width characters get zero-width break
  opportunities after `/ . @ _ -` (shorter ones stay whole and count as one word);
- then the table is fixed (`w:tblLayout fixed`), so Word, WPS and LibreOffice lay it out alike.

Rows never split across pages and header rows repeat: those are set by the compiler
(docgen/authoring/house.py `row_rules`) and kept here.
"""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = f"{{{W}}}"
TEXT_WIDTH_PT = 436.5  # 15.4 cm
CELL_MARGINS_PT = 2 * 5.4 + 1.5  # Word's default left/right cell margins (0.19 cm) and the borders
FONT_PT = 10.5  # 表格文字 and 表头 (五号)
URL_KEEP = 28  # half-width characters: a URL or address up to this long is never broken
ZWSP = "\u200b"
_URL = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u303f\uff00-\uffef]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.A)
_WORD = re.compile(r"[0-9A-Za-z\u00c0-\u024f\-_/.:@%+×#&*=~·'’（）()<>《》\[\]{}]+")
_NUMERIC = re.compile(
    r"^[\s\d.,:：/\-~～—至%×+＋()（）]*"
    r"(?:年|月|日|时|分|秒|小时|分钟|天|日内|小时内|个月|工作日|次|人|个|台|元|万元|份|%|件|项|h|min|d)*"
    r"[\s\d.,:：/\-~～—至%×+()（）年月日时分秒天内个工作次人台元万份件项]*$"
)


def char_em(ch: str) -> float:
    """Width of one character in ems (CJK and full-width 1, Latin about half)."""
    if ch == ZWSP:
        return 0.0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.0
    if ch in "mwMW@%":
        return 0.8
    if ch.isupper() or ch.isdigit():
        return 0.6
    return 0.5


def text_pt(text: str, size: float = FONT_PT) -> float:
    """Printed width: characters, plus the quarter em Word and LibreOffice put between Chinese
    and Latin or digits (autospacing), plus a tenth for font differences between programs."""
    ems = [char_em(c) for c in text if c != ZWSP]
    changes = sum(1 for a, b in zip(ems, ems[1:]) if (a == 1.0) != (b == 1.0))
    return (sum(ems) + 0.25 * changes) * size * 1.1


def words(text: str) -> list[str]:
    """The pieces of `text` a line may not break inside (Latin words, numbers, short URLs; a long
    URL's pieces between its break opportunities)."""
    out: list[str] = []
    for m in _WORD.finditer(text):
        out.extend(p for p in m.group().split(ZWSP) if p)
    return out


def longest_word_pt(text: str, size: float = FONT_PT) -> float:
    return max((text_pt(w, size) for w in words(text)), default=text_pt(text[:1], size))


def break_urls(text: str) -> str:
    """Zero-width break opportunities after the separators of URLs and e-mail addresses longer
    than URL_KEEP half-width characters."""
    def fix(m: re.Match[str]) -> str:
        url = m.group()
        if sum(char_em(c) for c in url) * 2 <= URL_KEEP:
            return url
        return re.sub(r"([/.@_\-])(?=.)", "\\1" + ZWSP, url)

    return _URL.sub(fix, text) if ("@" in text or "www." in text or "http" in text) else text


def is_numeric(text: str) -> bool:
    """A cell that holds only a number, date, amount, time limit or percentage (or nothing)."""
    t = text.strip()
    return not t or (len(t) <= 16 and any(c.isdigit() for c in t) and bool(_NUMERIC.match(t))) or t in {"—", "-", "/"}


def _cell_text(tc: etree._Element) -> str:
    lines = []
    for p in tc.iter(f"{_W}p"):
        lines.append("".join(t.text or "" for t in p.iter(f"{_W}t")))
    return "\n".join(lines)


def _span(tc: etree._Element) -> int:
    gs = tc.find(f"{_W}tcPr/{_W}gridSpan")
    return int(gs.get(f"{_W}val", "1")) if gs is not None else 1


def column_widths(header: list[str], body: list[list[str]], total: float = TEXT_WIDTH_PT) -> list[float]:
    """Column widths in points for a table with these header and body texts (the house rules)."""
    n = len(header)
    cols = [[row[c] for row in body if c < len(row)] for c in range(n)]
    minimum, want = [], []
    for c in range(n):
        head = header[c]
        cells = cols[c]
        # a header word of up to four characters (序号, 时限, 责任部门) is kept on one line
        head_min = text_pt(head.strip()[:4]) if head.strip() else 0
        word_min = max([longest_word_pt(t) for t in cells + [head]] + [head_min, FONT_PT])
        longest_line = max([text_pt(line) for t in cells for line in t.split("\n")] + [text_pt(head)], default=FONT_PT)
        if all(is_numeric(t) for t in cells):
            w = max(word_min, longest_line if longest_line < 8 * FONT_PT else word_min, head_min)
            minimum.append(w + CELL_MARGINS_PT)
            want.append(w + CELL_MARGINS_PT)
        else:
            minimum.append(word_min + CELL_MARGINS_PT)
            # how much text the column holds: its longest line, and the average cell
            amount = sum(text_pt(t) for t in cells) / max(len(cells), 1)
            want.append(max(longest_line, word_min) * 0.4 + amount * 0.6 + CELL_MARGINS_PT)
    if sum(minimum) >= total:
        return [total * m / sum(minimum) for m in minimum] if sum(minimum) > 0 else [total / n] * n
    widths = list(minimum)
    spare = total - sum(widths)
    grow = [max(w - m, 0.0) for w, m in zip(want, minimum)]
    if sum(grow) >= spare:
        return [w + spare * g / sum(grow) for w, g in zip(widths, grow)]
    widths = [max(w, m) for w, m in zip(want, minimum)]
    spare = total - sum(widths)
    text_cols = [c for c in range(n) if not all(is_numeric(t) for t in cols[c])] or list(range(n))
    share = sum(widths[c] for c in text_cols)
    for c in text_cols:
        widths[c] += spare * widths[c] / share
    return widths


def _set(parent: etree._Element, tag: str, attrs: dict[str, str], first: bool = False) -> etree._Element:
    el = parent.find(f"{_W}{tag}")
    if el is None:
        el = etree.SubElement(parent, f"{_W}{tag}")
        if first:
            parent.remove(el)
            parent.insert(0, el)
    for k, v in attrs.items():
        el.set(f"{_W}{k}", v)
    return el


def widen_to_words(widths: list[float], header: list[str], body: list[list[str]]) -> list[float]:
    """Explicit widths kept, except that no column is narrower than its longest word: a column
    short of that takes the difference from the columns with room to spare."""
    n = len(widths)
    need = [max([longest_word_pt(r[c]) for r in [header] + body if c < len(r) and r[c]] + [FONT_PT]) + CELL_MARGINS_PT
            for c in range(n)]
    short = sum(max(need[c] - widths[c], 0) for c in range(n))
    if short <= 0:
        return widths
    room = [max(widths[c] - need[c], 0) for c in range(n)]
    if sum(room) < short:
        return column_widths(header, body, sum(widths))
    return [max(widths[c], need[c]) - (short * room[c] / sum(room) if room[c] else 0) for c in range(n)]


def fit_table(tbl: etree._Element, explicit: bool = False) -> None:
    """Widths from content for one table marked autofit (or, `explicit`, its own widths widened
    where a word would not fit); break long URLs; fix the layout."""
    rows = tbl.findall(f"{_W}tr")
    grid = tbl.find(f"{_W}tblGrid")
    if grid is None or not rows:
        return
    ncols = len(grid.findall(f"{_W}gridCol"))
    for t in tbl.iter(f"{_W}t"):
        if t.text and ("@" in t.text or "www." in t.text or "http" in t.text):
            t.text = break_urls(t.text)
    header: list[str] = [""] * ncols
    body: list[list[str]] = []
    for tr in rows:
        is_header = tr.find(f"{_W}trPr/{_W}tblHeader") is not None
        texts: list[str] = []
        for tc in tr.findall(f"{_W}tc"):
            span = _span(tc)
            texts.extend([_cell_text(tc)] + [""] * (span - 1) if span == 1 else [""] * span)
        texts = (texts + [""] * ncols)[:ncols]
        if is_header:
            header = [h + ("\n" if h and t else "") + t for h, t in zip(header, texts)]
        else:
            body.append(texts)
    if explicit:
        widths = widen_to_words([int(g.get(f"{_W}w", "0")) / 20 for g in grid.findall(f"{_W}gridCol")], header, body)
    else:
        widths = column_widths(header, body)
    dxa = [int(round(w * 20)) for w in widths]
    for gc, w in zip(grid.findall(f"{_W}gridCol"), dxa):
        gc.set(f"{_W}w", str(w))
    for tr in rows:
        col = 0
        for tc in tr.findall(f"{_W}tc"):
            span = _span(tc)
            tcpr = tc.find(f"{_W}tcPr")
            if tcpr is None:
                tcpr = etree.Element(f"{_W}tcPr")
                tc.insert(0, tcpr)
            _set(tcpr, "tcW", {"w": str(sum(dxa[col : col + span])), "type": "dxa"}, first=True)
            col += span
    tblpr = tbl.find(f"{_W}tblPr")
    _set(tblpr, "tblW", {"w": str(sum(dxa)), "type": "dxa"})
    _set(tblpr, "tblLayout", {"type": "fixed"})


def fit_tables(xml: str) -> str:
    """Every autofit table of a rendered document part given widths from its content."""
    if "<w:tbl>" not in xml:
        return xml
    root = etree.fromstring(xml.encode("utf-8"), parser=etree.XMLParser(huge_tree=True))
    for layout in list(root.iter(f"{_W}tblLayout")):
        tbl = layout.getparent().getparent()
        if tbl.find(f"{_W}tblPr/{_W}tblDescription") is not None:
            continue  # drawn to its own grid (the organisation chart)
        fit_table(tbl, explicit=layout.get(f"{_W}type") != "autofit")
    head = xml[: xml.index("?>") + 2] if xml.startswith("<?xml") else ""
    return head + ("\n" if head else "") + etree.tostring(root, encoding="unicode")
