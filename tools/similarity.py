"""How alike two packs read: the share of sentences that are word for word the same once names
and numbers are replaced (issue 9's measure; a pack of another trade should share at most half).

    python tools/similarity.py PACK_A PACK_B [PACK_C …]
"""

from __future__ import annotations

import itertools
import re
import sys
import zipfile
from pathlib import Path

from lxml import etree

_SENTENCE = re.compile(r"[^。；！？!?;\n]+[。；！？!?;]?")
_NUMBER = re.compile(r"[0-9０-９]+(?:[.．][0-9]+)?")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def pack_text(pack: Path) -> list[str]:
    """The text of every Word paragraph and Excel text cell of a pack, one string each."""
    out: list[str] = []
    for path in sorted(pack.rglob("*")):
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as zf:
                root = etree.fromstring(zf.read("word/document.xml"))
            out += ["".join(t.text or "" for t in p.iter(f"{_W}t")) for p in root.iter(f"{_W}p")]
        elif path.suffix == ".xlsx" and "覆盖矩阵" not in path.name:
            with zipfile.ZipFile(path) as zf:
                for part in zf.namelist():
                    if part == "xl/sharedStrings.xml" or part.startswith("xl/worksheets/sheet"):
                        root = etree.fromstring(zf.read(part))
                        # shared strings (<si>) and inline strings (<is>), the form docgen writes
                        for item in (*root.iter("{*}si"), *root.iter("{*}is")):
                            out.append("".join(t.text or "" for t in item.iter("{*}t")))
    return out


def sentences(texts: list[str], names: list[str]) -> set[str]:
    """Normalised sentences: names → 〈名〉, numbers → 〈数〉, whitespace dropped; very short ones skipped."""
    found: set[str] = set()
    ordered = sorted({n for n in names if len(n) >= 2}, key=len, reverse=True)
    for text in texts:
        for raw in _SENTENCE.findall(text):
            s = raw
            for n in ordered:
                s = s.replace(n, "〈名〉")
            s = re.sub(r"\s+", "", _NUMBER.sub("〈数〉", s))
            if len(s) >= 12:
                found.add(s)
    return found


def names_of(pack: Path) -> list[str]:
    """Company, people, department, outlet and partner names recorded in the pack's coverage.json."""
    import json

    info = json.loads((pack / "coverage.json").read_text(encoding="utf-8"))["pack"]
    return [info["company"], *info["departments"], *info["people"], *info["titles"], *info["partners"], *info["outlets"]]


def shared_share(a: set[str], b: set[str]) -> float:
    """Sentences both packs hold, as a share of the smaller pack's sentences."""
    return len(a & b) / max(1, min(len(a), len(b)))


def main() -> None:
    packs = [Path(p) for p in sys.argv[1:]]
    names = [n for p in packs for n in names_of(p)]
    sets = {p: sentences(pack_text(p), names) for p in packs}
    for a, b in itertools.combinations(packs, 2):
        print(f"{shared_share(sets[a], sets[b]):6.1%}  {a.name} ~ {b.name}  ({len(sets[a])} / {len(sets[b])} sentences)")


if __name__ == "__main__":
    main()
