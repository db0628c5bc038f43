"""Pack cross-checks: dangling document references, names not in the profile, and the 职能分配表."""

from __future__ import annotations

import re
from collections import defaultdict

from ..standards import Standard
from ..vocab import FUNCTIONS, ROLES
from .model import DocInfo, Finding, PackInfo, finding, idkey
from .read import DocText, Table

_BOOK = r"《([^《》\n]{1,80})》"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def dangling(info: PackInfo, present: list[DocInfo], texts: dict[str, DocText]) -> list[Finding]:
    """Every 《title》（number） names a document of this pack with that title; no left-out document is named."""
    out: list[Finding] = []
    by_number = {d.number: d for d in info.documents if d.number}
    present_paths = {d.relpath for d in present}
    titles = {_norm(d.title) for d in info.documents}
    skipped = {_norm(s.title): s for s in info.skipped if _norm(s.title) not in titles}
    numbered = re.compile(_BOOK + r"\s*[（(]\s*(" + info.number_regex + r")\s*[）)]") if info.number_regex else None
    bare = re.compile(_BOOK + r"(?!\s*[（(])")
    for d in present:
        seen: set[tuple[str, str]] = set()
        for block in texts[d.relpath].blocks:
            for m in numbered.finditer(block.text) if numbered else ():
                title, number = m.group(1), m.group(2)
                if (title, number) in seen:
                    continue
                seen.add((title, number))
                target = by_number.get(number)
                if target is None:
                    key, real = "not_in_pack", ""
                elif _norm(target.title) != _norm(title):
                    key, real = "title_differs", target.title
                elif target.relpath not in present_paths:
                    key, real = "file_missing", ""
                else:
                    continue
                out.append(finding("dangling_reference", key, d, where=block.where, heading=block.heading,
                                    title=title, number=number, real=real))
            for m in bare.finditer(block.text):
                s = skipped.get(_norm(m.group(1)))
                if s is not None and (s.title, "") not in seen:
                    seen.add((s.title, ""))
                    out.append(finding("dangling_reference", "left_out", d, where=block.where, heading=block.heading,
                                        title=s.title, when=s.when))
    return out


_NAME_SPLIT = re.compile(r"[、，,/／;；\s（）()\[\]【】:：]+")
_AND_SPLIT = re.compile(r"[和及与]")
_MARKS = "▲△●○★☆■□◆◇√✓✔"
GENERIC_NAMES = {
    "各部门", "相关部门", "各相关部门", "全体员工", "全员", "各网点", "服务网点", "委托服务商", "受托方", "受托服务商", "服务商",
    "供方", "顾客", "客户", "用户", "管理层", "最高管理者", "各部门负责人", "部门负责人", "责任部门", "主责部门", "所有部门", "公司",
    "本公司", "无", "各单位", "各岗位", "相关人员", "责任人", "主责", "相关", "配合", "负责", "协助", "归口", "各职能部门", "职能部门",
    "总部", "各服务中心", "服务中心", "各服务网点", "自营网点", "委托网点",
}
_DEPT_SUFFIXES = ("部", "室", "中心", "科", "处", "办", "车间", "小组", "委员会", "工作组")
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_NOT_NAME_END = set("员师长理管监任工部方商户客人组办室科处站心代")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def _name_header(text: str) -> bool:
    t = _norm(text)
    return len(t) <= 8 and ("部门" in t or "负责人" in t or "责任人" in t)


def _known_names(info: PackInfo) -> set[str]:
    return {*info.departments, *info.people, *info.titles, *info.partners, *info.outlets, *ROLES.labels().values(), *GENERIC_NAMES}


def _unknown_kind(name: str, info: PackInfo, known: set[str]) -> str | None:
    """'department' or 'person' when `name` looks like one and the profile has no such name."""
    if not name or name in known or any(name.startswith(d) for d in info.departments):
        return None
    if len(name) >= 2 and _HAN.match(name) and name.endswith(_DEPT_SUFFIXES):
        return "department"
    if 2 <= len(name) <= 3 and _HAN.match(name) and name[0] in SURNAMES and name[-1] not in _NOT_NAME_END:
        return "person"
    return None


def take_known(cell: str, names: list[str]) -> tuple[list[str], str]:
    """The profile names a cell holds (longest first, so a name with 、, quotes or brackets in it is
    read whole), and the cell's text with them taken out."""
    found: list[tuple[int, str]] = []
    rest = cell
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        start = rest.find(name)
        while start >= 0:
            found.append((start, name))
            rest = rest[:start] + "\u3000" * len(name) + rest[start + len(name):]
            start = rest.find(name)
    return [n for _, n in sorted(found)], rest


def unknown_names(cell: str, info: PackInfo) -> list[tuple[str, str]]:
    """(kind, name) of every department or person named in a table cell that the profile does not know."""
    known = _known_names(info)
    out: list[tuple[str, str]] = []
    _, cell = take_known(cell, [*info.departments, *info.people, *info.partners, *info.outlets])
    for part in _NAME_SPLIT.split(cell):
        part = part.strip(_MARKS)
        kind = _unknown_kind(part, info, known)
        if kind is None:
            continue
        pieces = [p for p in _AND_SPLIT.split(part) if p]
        if len(pieces) > 1:
            out.extend((k, p) for p in pieces if (k := _unknown_kind(p, info, known)))
        else:
            out.append((kind, part))
    return out


_DEFINING = ("成立", "设立", "设在", "组成", "组建")


def names(info: PackInfo, present: list[DocInfo], texts: dict[str, DocText]) -> list[Finding]:
    """Departments and people named in 部门/责任部门/负责人 columns of Word tables exist in the profile,
    or are set up by the document itself (公司成立应急处理领导小组 …)."""
    out: list[Finding] = []
    for d in present:
        defining = [b.text for b in texts[d.relpath].blocks if b.where.startswith("paragraph") and any(w in b.text for w in _DEFINING)]
        for table in texts[d.relpath].tables:
            if table.sheet is not None or not table.rows:
                continue
            header = table.rows[0]
            cols = [i for i, h in enumerate(header) if _name_header(h)]
            for r, row in enumerate(table.rows[1:], start=2):
                for c in cols:
                    for kind, name in unknown_names(row[c], info) if c < len(row) else ():
                        if any(name in text for text in defining):
                            continue
                        out.append(finding("unknown_name", "unknown_name", d, where=f"table {table.index} row {r} cell {c + 1}",
                                            heading=table.heading, what=kind, what_cn="部门" if kind == "department" else "人员",
                                            name=name, column=_norm(header[c])))
    return out


_RESP_MARKS = set("▲●★■◆√✓✔")
_BARE_ID = re.compile(r"(?<![\d.])(\d+(?:\.\d+)+)(?![\d.]*\d)")


def _function_table(table: Table, departments: set[str]) -> tuple[int, str, list[int]] | None:
    """(header row, layout, columns) when `table` is a 职能分配表: a 主责 column, or department columns."""
    for h, row in enumerate(table.rows[: 10 if table.sheet else 3]):
        cells = [_norm(c) for c in row]
        resp = [i for i, c in enumerate(cells) if "主责" in c and len(c) <= 8]
        if resp:
            return h, "column", resp[:1]
        depts = [i for i, c in enumerate(cells) if c in departments]
        if len(depts) >= 2:
            return h, "matrix", depts
    return None


def _row_clauses(row: list[str], standard: Standard) -> set[str]:
    ids: set[str] = set()
    for cell in row[:2]:
        ids.update(cid for cid, _ in standard.parse_references(cell))
        ids.update(_BARE_ID.findall(cell))
    return {t for t in (standard.target_of(i) for i in ids) if t}


def _responsible(row: list[str], header: list[str], layout: str, cols: list[int], departments: list[str]) -> list[str]:
    if layout == "column":
        cell = row[cols[0]] if cols[0] < len(row) else ""
        known, rest = take_known(cell, departments)  # the table cell's departments, whatever characters they hold
        others = [p for p in (q.strip(_MARKS + "—-") for q in _NAME_SPLIT.split(rest)) if p and p not in GENERIC_NAMES]
        return known + others
    return [_norm(header[c]) for c in cols if c < len(row) and (set(row[c]) & _RESP_MARKS or _norm(row[c]) in {"主", "主责"})]


def responsibility(info: PackInfo, present: list[DocInfo], texts: dict[str, DocText], standard: Standard,
                    excluded: set[str]) -> list[Finding]:
    """Every applicable clause has exactly one responsible (主责) department in the 职能分配表."""
    out: list[Finding] = []
    departments = set(info.departments)
    rows_for: dict[str, int] = defaultdict(int)
    found_table = False
    for d in present:
        for table in texts[d.relpath].tables:
            shape = _function_table(table, departments)
            if shape is None:
                continue
            h, layout, cols = shape
            for r, row in enumerate(table.rows[h + 1 :], start=h + 2):
                clauses = _row_clauses(row, standard)
                if not clauses:
                    continue
                found_table = True
                named = _responsible(row, table.rows[h], layout, cols, info.departments)
                where = f"{table.sheet} row {r}" if table.sheet else f"table {table.index} row {r}"
                for cid in sorted(clauses, key=idkey):
                    rows_for[cid] += 1
                    if len(named) == 1:
                        duty = standard.clause_by_id[cid].responsible
                        expected = info.duty_departments.get(duty or "", "")
                        if duty and expected and named[0] != expected and named[0] in departments:
                            out.append(finding("responsibility", "duty_other", d, severity="note", where=where, heading=table.heading,
                                                clause=cid, ctitle=standard.title_of(cid), named=named[0], function=duty,
                                                function_cn=FUNCTIONS.label(duty), expected=expected))
                        continue
                    key = "duty_count" if named else "duty_none"
                    out.append(finding("responsibility", key, d, where=where, heading=table.heading, clause=cid,
                                        ctitle=standard.title_of(cid), count=len(named), names="、".join(named)))
    if not found_table:
        if any(c.responsible for c in standard.clauses):
            out.append(finding("responsibility", "duty_no_table", code=standard.code))
        return out
    for c in standard.clauses:
        if c.id not in excluded and not rows_for.get(c.id):
            out.append(finding("responsibility", "duty_no_row", clause=c.id, ctitle=c.title))
    return out


