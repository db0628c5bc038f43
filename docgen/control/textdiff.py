"""What changed in a document, as a person reads it: the sections that differ and a short text diff."""

from __future__ import annotations

import difflib

MAX_DIFF_LINES = 12


def _section(line: str) -> str:
    return line.split("\t", 1)[0]


def _text(line: str) -> str:
    return line.split("\t", 1)[-1]


def changed_sections(old: list[str], new: list[str]) -> list[str]:
    """The headings under which lines were added, removed or changed, in document order."""
    sections: dict[str, None] = {}
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for line in old[i1:i2] + new[j1:j2]:
            sections[_section(line) or "文件头"] = None
    return list(sections)


def sections_text(old: list[str], new: list[str]) -> str:
    """What a revision-history line says of the changed sections."""
    sections = changed_sections(old, new)
    if not sections:
        return "格式"
    if len(sections) > 6:
        return "、".join(sections[:6]) + f"等{len(sections)}处"
    return "、".join(sections)


def short_diff(old: list[str], new: list[str], limit: int = MAX_DIFF_LINES) -> list[str]:
    """A few lines of unified diff of the text (- before, + after), without the section column."""
    lines = [ln for ln in difflib.unified_diff([_text(x) for x in old], [_text(x) for x in new], lineterm="", n=0)
             if not ln.startswith(("---", "+++", "@@"))]
    if len(lines) > limit:
        return lines[:limit] + [f"… {len(lines) - limit} more changed lines"]
    return lines
