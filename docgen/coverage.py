"""Clause coverage read from the documents' text, compared with the catalog, plus the pack cross-checks."""

from __future__ import annotations

import json
import re
import string
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from .catalog import KIND_CODES, KIND_FOLDERS, TemplateSet, builtin_templates, included, load_catalog
from .control import safe_filename
from .coverage_read import DocText, Table, read_document
from .errors import CoverageError, Problem
from .profile import FUNCTION_NAMES_CN, ROLE_NAMES_CN, Profile, load_profile
from .standards import Clause, Indicator, Standard, builtin_standards, load_standard, standard_for

if TYPE_CHECKING:
    from .pack import RenderedPack

WORKBOOK_TITLE = "条款覆盖矩阵"
JSON_NAME = "coverage.json"
Status = Literal["covered", "excluded", "uncovered"]

# Every message in English (console, JSON) and Chinese (the workbook a consultant reads).
MESSAGES: dict[str, tuple[str, str]] = {
    "missing_file": ("is listed for this pack but its file {relpath} is not in the pack folder",
                     "文件清单中有此文件，但文件夹中找不到 {relpath}"),
    "unreadable": ("{relpath} cannot be read ({error})", "{relpath} 无法读取（{error}）"),
    "declared_not_found": ("declares {clause} {ctitle} in the catalog but its text does not cite {code} {clause}",
                           "文件目录声明本文件覆盖 {clause} {ctitle}，但正文中没有“{code} {clause}”的引用"),
    "found_not_declared": ("cites {code} {clause} {ctitle}, which the catalog does not declare for it",
                           "正文引用了“{code} {clause}”（{ctitle}），文件目录未声明"),
    "unknown_clause": ("cites {code} {clause}, which is not a clause of {code}", "引用的“{code} {clause}”不是该标准的条款"),
    "excluded_but_cited": ("{clause} {ctitle} is excluded in the profile, yet {docs} cite it; remove the text or the exclusion",
                           "{clause} {ctitle} 已删减，但{docs}仍引用该条款；请删除相关内容或取消删减"),
    "exclusion_no_reason": ("clause {clause} is excluded without a reason; the exclusion is ignored",
                            "条款 {clause} 删减未说明理由，删减无效"),
    "exclusion_unknown": ("{code} has no clause {clause}; the exclusion is ignored", "{code} 没有条款 {clause}，删减无效"),
    "exclusion_refused": ("clause {clause} {ctitle} cannot be excluded: {code} requires it of every company; the exclusion is ignored",
                          "条款 {clause} {ctitle} 是每个企业都必须满足的条款，不允许删减，删减无效"),
    "not_in_pack": ("names 《{title}》（{number}）, which is not in this pack", "引用的《{title}》（{number}）不在本套文件中"),
    "title_differs": ("names 《{title}》（{number}）, but {number} is 《{real}》 in this pack",
                      "引用的《{title}》（{number}）名称不符，本套文件中 {number} 为《{real}》"),
    "file_missing": ("names 《{title}》（{number}）, whose file is missing from the pack folder",
                     "引用的《{title}》（{number}）在文件夹中找不到"),
    "left_out": ("names 《{title}》, which this pack leaves out (condition `{when}`)", "引用的《{title}》因企业档案条件未纳入本套文件"),
    "unknown_name": ("names {what} '{name}' in the {column} column, which is not in the profile",
                     "“{column}”栏中的{what_cn}“{name}”不在企业档案中"),
    "duty_count": ("{clause} {ctitle} has {count} responsible departments ({names}) in the 职能分配表; name exactly one",
                   "{clause} {ctitle} 在职能分配表中有 {count} 个主责部门（{names}），应为一个"),
    "duty_none": ("{clause} {ctitle} has no responsible department in the 职能分配表; name exactly one",
                  "{clause} {ctitle} 在职能分配表中没有主责部门，应为一个"),
    "duty_no_table": ("no 职能分配表 found: no table gives a 主责 department for the clauses of {code}",
                      "未找到职能分配表：没有表格为 {code} 的条款指定主责部门"),
    "duty_other": ("{clause} {ctitle}: the 职能分配表 makes {named} responsible; the catalog expects the {function} department ({expected})",
                   "{clause} {ctitle}：职能分配表的主责部门为{named}，条款目录建议由承担{function_cn}职能的{expected}主责"),
    "duty_no_row": ("{clause} {ctitle} has no row in the 职能分配表", "{clause} {ctitle} 在职能分配表中没有对应行"),
    "why_removed": ("the reference was removed from the text: {label} declares it but does not cite {ref}",
                    "{label}声明覆盖本条款，但正文中没有“{ref}”的引用（引用已被删除）"),
    "why_missing": ("its document {label} is missing from the pack folder", "声明覆盖本条款的{label}不在文件夹中"),
    "why_left_out": ("its document 《{title}》 was left out by the profile condition `{when}`",
                     "声明覆盖本条款的《{title}》因企业档案条件未纳入本套文件"),
    "why_none": ("no document is selected for it: no document in the catalog declares {clause} and none cites {ref}",
                 "没有文件覆盖本条款：文件目录中没有声明 {clause} 的文件，正文中也没有“{ref}”的引用"),
    "why_not_cited": ("no document in the pack cites {ref}", "本套文件中没有“{ref}”的引用"),
}


def message(key: str, **params: Any) -> tuple[str, str]:
    """The English and Chinese text of a message."""
    en, cn = MESSAGES[key]
    return en.format(**params), cn.format(**params)


# ---------------------------------------------------------------------- what was built
@dataclass(frozen=True)
class DocInfo:
    """A document of the pack as coverage sees it."""

    number: str
    title: str
    relpath: str
    kind: str
    id: str | None = None
    declared: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"《{self.title}》（{self.number}）" if self.number else f"《{self.title}》"


@dataclass(frozen=True)
class SkippedInfo:
    """A catalog document this profile leaves out, and the condition that does it."""

    id: str
    title: str
    kind: str
    when: str
    declared: tuple[str, ...] = ()


@dataclass
class PackInfo:
    """What the check needs besides the text: documents, left-out documents, profile names, exclusions."""

    company: str
    standard: str
    standard_file: str | None
    number_regex: str
    documents: list[DocInfo]
    skipped: list[SkippedInfo] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    outlets: list[str] = field(default_factory=list)
    exclusions: dict[str, str] = field(default_factory=dict)
    duty_departments: dict[str, str] = field(default_factory=dict)
    workbook: str = ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["exclusions"] = [{"clause": k, "reason": v} for k, v in self.exclusions.items()]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PackInfo:
        data = dict(data)
        data["documents"] = [DocInfo(**{**d, "declared": tuple(d.get("declared", ()))}) for d in data["documents"]]
        data["skipped"] = [SkippedInfo(**{**s, "declared": tuple(s.get("declared", ()))}) for s in data.get("skipped", [])]
        data["exclusions"] = {e["clause"]: e["reason"] for e in data.get("exclusions", [])}
        return cls(**data)


def number_regex(pattern: str, prefix: str) -> str:
    """A regular expression for the document numbers a numbering pattern produces."""
    out = ""
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        out += re.escape(literal)
        if name is None:
            continue
        out += {
            "prefix": re.escape(prefix),
            "kind": "(?:" + "|".join(KIND_CODES.values()) + ")",
            "seq": r"\d+",
            "year": r"\d{4}",
        }.get(name, r"[^\s（）()]+?")
    return out


def _standard_file(profile: Profile, profile_path: str | Path | None) -> str | None:
    name = profile.certification.standard
    if name in builtin_standards():
        return None
    path = Path(name)
    if not path.is_absolute() and profile_path:
        path = Path(profile_path).resolve().parent / path
    return str(path.resolve())


def _with_profile(info: PackInfo, profile: Profile, profile_path: str | Path | None) -> PackInfo:
    """Fill the profile's part of the pack info (names, exclusions, numbering, standard)."""
    dc = profile.document_control
    info.company = profile.company.name
    info.standard = profile.certification.standard
    info.standard_file = _standard_file(profile, profile_path)
    info.number_regex = number_regex(dc.pattern, dc.prefix)
    info.departments = [d.name for d in profile.departments]
    info.people = [p.name for p in profile.people]
    info.titles = sorted({p.title for p in profile.people})
    info.partners = [p.name for p in profile.partners]
    info.outlets = [o.name for o in profile.outlets]
    info.exclusions = {e.clause.strip(): e.reason for e in profile.certification.excluded}
    after_sales = next((d.name for d in profile.departments if "after_sales" in d.functions), "")
    info.duty_departments = {
        f: next((d.name for d in profile.departments if f in d.functions), after_sales) for f in FUNCTION_NAMES_CN
    }
    return info


def workbook_path(pack: RenderedPack) -> str:
    """Where the coverage workbook goes: numbered as the next 认证工作文件 (GZ) of the pack."""
    dc = pack.profile.document_control
    seq = sum(1 for d in pack.documents if d.entry.kind == "project") + 1
    number = dc.pattern.format(prefix=dc.prefix, kind=KIND_CODES["project"], seq=seq, year=dc.issue_date.year)
    return f"{KIND_FOLDERS['project']}/{safe_filename(f'{number} {WORKBOOK_TITLE}')}.xlsx"


def pack_info(pack: RenderedPack, profile_path: str | Path | None = None) -> PackInfo:
    """The pack info of a pack rendered in memory."""
    docs = [
        DocInfo(d.number, d.entry.title, d.relpath, d.entry.kind, d.entry.id, tuple(d.entry.clauses))
        for d in pack.documents
    ]
    skipped = [SkippedInfo(e.id, e.title, e.kind, e.when or "", tuple(e.clauses)) for e in pack.skipped]
    info = PackInfo("", "", None, "", docs, skipped, workbook=workbook_path(pack))
    return _with_profile(info, pack.profile, profile_path)


# ---------------------------------------------------------------------- results
@dataclass(frozen=True)
class Link:
    """A clause reference found in a document: which clause, where, and under which heading."""

    clause: str
    cited: str
    number: str
    title: str
    relpath: str
    heading: str
    where: str
    text: str


@dataclass(frozen=True)
class Finding:
    """Something the cross-checks found; warnings deserve a look, notes are for information."""

    kind: str
    message: str
    message_cn: str
    severity: Literal["warning", "note"] = "warning"
    number: str = ""
    title: str = ""
    relpath: str = ""
    where: str = ""
    heading: str = ""
    clause: str = ""

    def __str__(self) -> str:
        place = ""
        if self.number or self.title:
            place = f"《{self.title}》（{self.number}）" if self.number else f"《{self.title}》"
            if self.where:
                place += f", {self.where}"
            if self.heading:
                place += f" ({self.heading})"
            place += ": "
        return place + self.message


def _finding(kind: str, key: str, doc: DocInfo | None = None, *, severity: Literal["warning", "note"] = "warning",
             where: str = "", heading: str = "", clause: str = "", **params: Any) -> Finding:
    en, cn = message(key, clause=clause, **params)
    if doc is None:
        return Finding(kind, en, cn, severity, where=where, heading=heading, clause=clause)
    return Finding(kind, en, cn, severity, doc.number, doc.title, doc.relpath, where, heading, clause)


@dataclass
class ClauseResult:
    """The verdict on one clause: status, the reason (exclusion or gap), and the references found."""

    clause: Clause
    indicator: Indicator
    status: Status
    reason: str = ""
    reason_cn: str = ""
    links: list[Link] = field(default_factory=list)
    declared_by: list[str] = field(default_factory=list)

    @property
    def numbers(self) -> list[str]:
        return list(dict.fromkeys(link.number for link in self.links))


@dataclass
class Coverage:
    """The coverage of one pack against one clause catalog."""

    standard: Standard
    info: PackInfo
    clauses: list[ClauseResult]
    findings: list[Finding]
    item_exclusions: dict[str, str] = field(default_factory=dict)
    cited: dict[str, set[str]] = field(default_factory=dict)
    items: dict[str, list[Link]] = field(default_factory=dict)

    @property
    def gaps(self) -> list[ClauseResult]:
        return [r for r in self.clauses if r.status == "uncovered"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def count(self, status: Status, indicator: str | None = None) -> int:
        return sum(1 for r in self.clauses if r.status == status and (indicator is None or r.indicator.id == indicator))

    def percent(self, indicator: str | None = None) -> float:
        """Covered ÷ applicable (not excluded) clauses × 100."""
        covered = self.count("covered", indicator)
        applicable = covered + self.count("uncovered", indicator)
        return round(covered / applicable * 100, 1) if applicable else 100.0

    def to_json(self) -> dict[str, Any]:
        std = self.standard
        titles = {d.number: d.title for d in self.info.documents}
        return {
            "standard": {"id": std.id, "code": std.code, "title": std.title},
            "summary": {
                "clauses": len(self.clauses),
                "covered": self.count("covered"),
                "excluded": self.count("excluded"),
                "uncovered": self.count("uncovered"),
                "covered_pct": self.percent(),
                "warnings": len(self.warnings),
                "notes": len(self.findings) - len(self.warnings),
                "indicators": [
                    {
                        "id": ind.id,
                        "title": ind.title,
                        "clauses": len(ind.clauses),
                        "covered": self.count("covered", ind.id),
                        "excluded": self.count("excluded", ind.id),
                        "uncovered": self.count("uncovered", ind.id),
                        "covered_pct": self.percent(ind.id),
                    }
                    for ind in std.indicators
                ],
            },
            "clauses": [
                {
                    "id": r.clause.id,
                    "title": r.clause.title,
                    "indicator": r.indicator.id,
                    "status": r.status,
                    "reason": r.reason,
                    "reason_cn": r.reason_cn,
                    "responsible": r.clause.responsible,
                    "declared_by": r.declared_by,
                    "documents": [{"number": n, "title": titles.get(n, ""), "headings": _headings(r.links, n)} for n in r.numbers],
                    "items": [
                        {
                            "id": it.id,
                            "title": it.title,
                            "excluded": self.item_exclusions.get(it.id),
                            "cited_by": list(dict.fromkeys(link.number for link in self.items.get(it.id, []))),
                        }
                        for it in r.clause.items
                    ],
                    "links": [asdict(link) for link in r.links],
                }
                for r in self.clauses
            ],
            "documents": [
                {**asdict(d), "declared": list(d.declared), "cited": sorted(self.cited.get(d.relpath, set()), key=_idkey)}
                for d in self.info.documents
            ],
            "findings": [asdict(f) for f in self.findings],
            "pack": self.info.to_json(),
        }


def _headings(links: list[Link], number: str) -> list[str]:
    return list(dict.fromkeys(link.heading for link in links if link.number == number))


def _idkey(clause_id: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in clause_id.split("."))


# ---------------------------------------------------------------------- the check
def compute(info: PackInfo, texts: dict[str, DocText], standard: Standard) -> Coverage:
    """Coverage of the documents in `texts` (relpath → text) against `standard`."""
    findings: list[Finding] = []
    present = [d for d in info.documents if d.relpath in texts and texts[d.relpath].error is None]
    for d in info.documents:
        if d.relpath not in texts:
            findings.append(_finding("missing_file", "missing_file", d, relpath=d.relpath))
        elif texts[d.relpath].error:
            findings.append(_finding("unreadable", "unreadable", d, relpath=d.relpath, error=texts[d.relpath].error))

    links = _links(present, texts, standard, findings)
    by_clause: dict[str, list[Link]] = defaultdict(list)
    cited: dict[str, set[str]] = defaultdict(set)
    items: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        by_clause[link.clause].append(link)
        cited[link.relpath].add(link.clause)
        if link.cited in standard.item_by_id:
            items[link.cited].append(link)

    declared = {d.relpath: set(d.declared) for d in info.documents} if standard.catalog_clauses else {}
    for d in present if standard.catalog_clauses else []:
        for cid in sorted(declared[d.relpath] - cited[d.relpath], key=_idkey):
            if cid in standard.clause_by_id:
                findings.append(_finding("declared_not_found", "declared_not_found", d, clause=cid, ctitle=standard.title_of(cid), code=standard.code))
        for cid in sorted(cited[d.relpath] - declared[d.relpath], key=_idkey):
            findings.append(_finding("found_not_declared", "found_not_declared", d, severity="note", clause=cid,
                                     ctitle=standard.title_of(cid), code=standard.code))

    exclusions, item_exclusions = _exclusions(info, standard, findings)
    results = []
    for ind in standard.indicators:
        for clause in ind.clauses:
            found = by_clause.get(clause.id, [])
            declared_by = [d.number for d in info.documents if clause.id in declared.get(d.relpath, ())]
            if clause.id in exclusions:
                reason = exclusions[clause.id]
                results.append(ClauseResult(clause, ind, "excluded", reason, reason, found, declared_by))
                unexplained = [link for link in found if not _states_exclusion(texts[link.relpath], link)]
                if unexplained:
                    docs = "、".join(dict.fromkeys(f"《{link.title}》（{link.number}）" for link in unexplained))
                    findings.append(_finding("excluded_but_cited", "excluded_but_cited", clause=clause.id, ctitle=clause.title, docs=docs))
            elif found:
                results.append(ClauseResult(clause, ind, "covered", "", "", found, declared_by))
            else:
                en, cn = _why(clause, info, present, standard)
                results.append(ClauseResult(clause, ind, "uncovered", en, cn, [], declared_by))

    findings += _dangling(info, present, texts)
    findings += _names(info, present, texts)
    findings += _responsibility(info, present, texts, standard, set(exclusions))
    return Coverage(standard, info, results, findings, item_exclusions, dict(cited), dict(items))


_EXCLUSION_WORDS = ("删减", "不适用", "不涉及")


def _states_exclusion(text: DocText, link: Link) -> bool:
    """Whether the paragraph citing an excluded clause, or its section, says the clause is excluded."""
    for block in text.blocks:
        if (block.where == link.where or (link.heading and block.heading == link.heading)) and any(
            w in block.text for w in _EXCLUSION_WORDS
        ):
            return True
    return False


def _links(present: list[DocInfo], texts: dict[str, DocText], standard: Standard, findings: list[Finding]) -> list[Link]:
    links: list[Link] = []
    seen: set[tuple[str, ...]] = set()
    unknown: set[tuple[str, str]] = set()
    for d in present:
        for block in texts[d.relpath].blocks:
            for cid, matched in standard.parse_references(block.text):
                target = standard.target_of(cid)
                if target is None:
                    if cid not in standard.known_ids and (d.relpath, cid) not in unknown:
                        unknown.add((d.relpath, cid))
                        findings.append(_finding("unknown_clause", "unknown_clause", d, where=block.where, heading=block.heading,
                                                 clause=cid, code=standard.code))
                    continue
                key = (target, cid, d.relpath, block.heading, block.where)
                if key not in seen:
                    seen.add(key)
                    links.append(Link(target, cid, d.number, d.title, d.relpath, block.heading, block.where, matched))
    return links


def _exclusions(info: PackInfo, standard: Standard, findings: list[Finding]) -> tuple[dict[str, str], dict[str, str]]:
    """The valid exclusions (clauses, items); invalid ones are findings and do not count."""
    clauses: dict[str, str] = {}
    items: dict[str, str] = {}
    for cid, reason in info.exclusions.items():
        if not reason.strip():
            findings.append(_finding("refused_exclusion", "exclusion_no_reason", clause=cid))
        elif cid not in standard.clause_by_id and cid not in standard.item_by_id:
            findings.append(_finding("refused_exclusion", "exclusion_unknown", clause=cid, code=standard.code))
        elif not standard.excludable(cid):
            findings.append(_finding("refused_exclusion", "exclusion_refused", clause=cid, ctitle=standard.title_of(cid), code=standard.code))
        elif cid in standard.clause_by_id:
            clauses[cid] = reason
        else:
            items[cid] = reason
    return clauses, items


def _why(clause: Clause, info: PackInfo, present: list[DocInfo], standard: Standard) -> tuple[str, str]:
    """Why nothing covers a clause: its document was left out, the reference was removed, or nothing is selected."""
    ref = f"{standard.code} {clause.id}"
    if not standard.catalog_clauses:
        return message("why_not_cited", ref=ref)
    reasons = []
    present_paths = {d.relpath for d in present}
    for d in info.documents:
        if clause.id in d.declared:
            if d.relpath in present_paths:
                reasons.append(message("why_removed", label=d.label, ref=ref))
            else:
                reasons.append(message("why_missing", label=d.label))
    for s in info.skipped:
        if clause.id in s.declared:
            reasons.append(message("why_left_out", title=s.title, when=s.when))
    if not reasons:
        reasons.append(message("why_none", clause=clause.id, ref=ref))
    return "; ".join(en for en, _ in reasons), "；".join(cn for _, cn in reasons)


# ---------------------------------------------------------------------- cross-checks
_BOOK = r"《([^《》\n]{1,80})》"


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _dangling(info: PackInfo, present: list[DocInfo], texts: dict[str, DocText]) -> list[Finding]:
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
                out.append(_finding("dangling_reference", key, d, where=block.where, heading=block.heading,
                                    title=title, number=number, real=real))
            for m in bare.finditer(block.text):
                s = skipped.get(_norm(m.group(1)))
                if s is not None and (s.title, "") not in seen:
                    seen.add((s.title, ""))
                    out.append(_finding("dangling_reference", "left_out", d, where=block.where, heading=block.heading,
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
    return {*info.departments, *info.people, *info.titles, *info.partners, *info.outlets, *ROLE_NAMES_CN.values(), *GENERIC_NAMES}


def _unknown_kind(name: str, info: PackInfo, known: set[str]) -> str | None:
    """'department' or 'person' when `name` looks like one and the profile has no such name."""
    if not name or name in known or any(name.startswith(d) for d in info.departments):
        return None
    if len(name) >= 2 and _HAN.match(name) and name.endswith(_DEPT_SUFFIXES):
        return "department"
    if 2 <= len(name) <= 3 and _HAN.match(name) and name[0] in SURNAMES and name[-1] not in _NOT_NAME_END:
        return "person"
    return None


def unknown_names(cell: str, info: PackInfo) -> list[tuple[str, str]]:
    """(kind, name) of every department or person named in a table cell that the profile does not know."""
    known = _known_names(info)
    out = []
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


def _names(info: PackInfo, present: list[DocInfo], texts: dict[str, DocText]) -> list[Finding]:
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
                        out.append(_finding("unknown_name", "unknown_name", d, where=f"table {table.index} row {r} cell {c + 1}",
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


def _responsible(row: list[str], header: list[str], layout: str, cols: list[int]) -> list[str]:
    if layout == "column":
        cell = row[cols[0]] if cols[0] < len(row) else ""
        return [p for p in (q.strip(_MARKS + "—-") for q in _NAME_SPLIT.split(cell)) if p and p not in GENERIC_NAMES]
    return [_norm(header[c]) for c in cols if c < len(row) and (set(row[c]) & _RESP_MARKS or _norm(row[c]) in {"主", "主责"})]


def _responsibility(info: PackInfo, present: list[DocInfo], texts: dict[str, DocText], standard: Standard,
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
                named = _responsible(row, table.rows[h], layout, cols)
                where = f"{table.sheet} row {r}" if table.sheet else f"table {table.index} row {r}"
                for cid in sorted(clauses, key=_idkey):
                    rows_for[cid] += 1
                    if len(named) == 1:
                        duty = standard.clause_by_id[cid].responsible
                        expected = info.duty_departments.get(duty or "", "")
                        if duty and expected and named[0] != expected and named[0] in departments:
                            out.append(_finding("responsibility", "duty_other", d, severity="note", where=where, heading=table.heading,
                                                clause=cid, ctitle=standard.title_of(cid), named=named[0], function=duty,
                                                function_cn=FUNCTION_NAMES_CN[duty], expected=expected))
                        continue
                    key = "duty_count" if named else "duty_none"
                    out.append(_finding("responsibility", key, d, where=where, heading=table.heading, clause=cid,
                                        ctitle=standard.title_of(cid), count=len(named), names="、".join(named)))
    if not found_table:
        if any(c.responsible for c in standard.clauses):
            out.append(_finding("responsibility", "duty_no_table", code=standard.code))
        return out
    for c in standard.clauses:
        if c.id not in excluded and not rows_for.get(c.id):
            out.append(_finding("responsibility", "duty_no_row", clause=c.id, ctitle=c.title))
    return out


# ---------------------------------------------------------------------- entry points
def check_rendered(pack: RenderedPack, standard: Standard, profile_path: str | Path | None = None) -> Coverage:
    """Coverage of a pack rendered in memory (the bytes that are about to be written)."""
    info = pack_info(pack, profile_path)
    texts = {rel: read_document(rel, data) for rel, data in pack.files.items()
             if rel.endswith((".docx", ".xlsx")) and rel != info.workbook}
    return compute(info, texts, standard)


_FOLDER_KINDS = {folder: kind for kind, folder in KIND_FOLDERS.items()}
_NUMBERED_NAME = re.compile(r"^(\S+)\s+(.+)$")


def _split_name(rel: str) -> tuple[str, str]:
    m = _NUMBERED_NAME.match(Path(rel).stem)
    return (m.group(1), m.group(2)) if m else ("", Path(rel).stem)


def _pack_files(root: Path, workbook: str) -> dict[str, Path]:
    """The documents of a pack folder: .docx/.xlsx, without Office lock files, hidden files and the coverage workbook."""
    files = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if not p.is_file() or p.suffix.lower() not in {".docx", ".xlsx"}:
            continue
        if any(part.startswith(("~$", ".")) for part in p.relative_to(root).parts):
            continue
        if rel == workbook or _split_name(rel)[1] == WORKBOOK_TITLE:
            continue
        files[rel] = p
    return files


def _catalog_info(profile: Profile, files: dict[str, Path]) -> PackInfo:
    """Pack info for a folder without coverage.json: documents matched to the built-in catalog by title."""
    from .context import profile_context

    entries = load_catalog(TemplateSet(builtin_templates()), require_files=False)
    ctx = profile_context(profile)
    by_title = {safe_filename(e.title): e for e in entries}
    docs, used = [], set()
    for rel in files:
        number, title = _split_name(rel)
        entry = by_title.get(title)
        if entry is not None:
            used.add(entry.id)
            docs.append(DocInfo(number, entry.title, rel, entry.kind, entry.id, tuple(entry.clauses)))
        else:
            docs.append(DocInfo(number, title, rel, _FOLDER_KINDS.get(rel.split("/")[0], "document")))
    skipped = [SkippedInfo(e.id, e.title, e.kind, e.when or "", tuple(e.clauses)) for e in entries
               if e.id not in used and not included(e, ctx)]
    return PackInfo("", "", None, "", docs, skipped)


def _reconcile(info: PackInfo, files: dict[str, Path]) -> PackInfo:
    """Match the folder's files to the recorded documents: by path, then by number (a renamed file); add new ones."""
    by_path = {d.relpath: d for d in info.documents}
    by_number = {d.number: d for d in info.documents if d.number}
    docs: list[DocInfo] = []
    matched: set[str] = set()
    for rel in files:
        if rel in by_path:
            docs.append(by_path[rel])
            matched.add(rel)
            continue
        number, title = _split_name(rel)
        old = by_number.get(number)
        if old is not None and old.relpath not in files and old.relpath not in matched:
            docs.append(DocInfo(old.number, old.title, rel, old.kind, old.id, old.declared))
            matched.add(old.relpath)
        else:
            docs.append(DocInfo(number, title, rel, _FOLDER_KINDS.get(rel.split("/")[0], "document")))
    docs += [d for d in info.documents if d.relpath not in matched and d.relpath not in files]
    info.documents = docs
    return info


def check_pack_dir(pack_dir: str | Path, profile_path: str | Path | None = None) -> Coverage:
    """Re-read a pack folder (as built, or edited by hand in Word/Excel) and check its coverage."""
    root = Path(pack_dir)
    if not root.is_dir():
        raise CoverageError([Problem("pack folder not found", file=str(root))])
    recorded = root / JSON_NAME
    info: PackInfo | None = None
    if recorded.is_file():
        try:
            info = PackInfo.from_json(json.loads(recorded.read_text(encoding="utf-8"))["pack"])
        except (ValueError, KeyError, TypeError) as exc:
            raise CoverageError([Problem(f"cannot read the pack record ({type(exc).__name__}: {exc}); pass --profile to check without it",
                                         file=str(recorded))]) from None
    files = _pack_files(root, info.workbook if info else "")
    if not files:
        raise CoverageError([Problem("no .docx or .xlsx documents in this folder", file=str(root))])
    profile = load_profile(profile_path) if profile_path else None
    if info is not None:
        info = _reconcile(info, files)
    elif profile is None:
        raise CoverageError([Problem(f"no {JSON_NAME} in the pack folder (docgen build writes it); pass --profile company.yaml",
                                     file=str(root))])
    else:
        info = _catalog_info(profile, files)
    if profile is not None:
        info = _with_profile(info, profile, profile_path)
        standard = standard_for(profile, profile_path)
    else:
        standard = _recorded_standard(info)
    texts = {rel: read_document(rel, path.read_bytes()) for rel, path in files.items()}
    return compute(info, texts, standard)


def _recorded_standard(info: PackInfo) -> Standard:
    if info.standard_file:
        return load_standard(info.standard_file)
    known = builtin_standards()
    if info.standard not in known:
        raise CoverageError([Problem(f"the pack was checked against {info.standard!r}, which is not built in; pass --profile",
                                     key="pack.standard")])
    return load_standard(known[info.standard])


def check_coverage(pack: RenderedPack | str | Path, profile_path: str | Path | None = None) -> Coverage:
    """The library entry point: coverage of a pack rendered in memory, or of a pack folder on disk."""
    if isinstance(pack, (str, Path)):
        return check_pack_dir(pack, profile_path)
    return check_rendered(pack, standard_for(pack.profile, profile_path), profile_path)


def files_for_pack(coverage: Coverage, when: Any) -> dict[str, bytes]:
    """The files coverage adds to a pack: the workbook and the JSON record (coverage.json)."""
    from .coverage_report import to_json_text, workbook_bytes

    return {coverage.info.workbook: workbook_bytes(coverage, when), JSON_NAME: to_json_text(coverage).encode("utf-8")}


__all__ = [
    "Coverage",
    "CoverageError",
    "check_coverage",
    "check_pack_dir",
    "check_rendered",
    "compute",
    "files_for_pack",
    "standard_for",
]
