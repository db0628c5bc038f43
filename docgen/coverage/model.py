"""The coverage data model: documents, references, findings, verdicts, and their messages."""

from __future__ import annotations

import re
import string
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from ..standards import Clause, Indicator, Item, Standard
from ..vocab import KINDS

Status = Literal["covered", "partial", "excluded", "uncovered"]

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
    "why_partial": ("addressed by {docs} only: a clause is covered when the manual and at least one procedure or work "
                    "instruction address it ({missing}); record forms are the evidence listed with it",
                    "仅{docs}涉及本条款：条款须由售后服务手册和至少一份程序文件或作业指导书阐述（缺：{missing_cn}），记录表单只是证据"),
    "why_not_cited": ("no document in the pack cites {ref}", "本套文件中没有“{ref}”的引用"),
    "why_item_partial": ("item {item} {ititle} is addressed by {docs} only: an item is covered when the manual and at least one "
                         "procedure or work instruction cite it by its number ({missing}); record forms are the evidence listed with it",
                         "三级条款 {item} {ititle} 仅由{docs}涉及：须由售后服务手册和至少一份程序文件或作业指导书以条款号引用并阐述该项"
                         "（缺：{missing_cn}），记录表单只是证据"),
    "why_item_uncovered": ("item {item} {ititle}: no document cites {code} {item}; citing {clause} or its other items "
                           "does not address it",
                           "三级条款 {item} {ititle}：正文中没有“{code} {item}”的引用，引用所属条款 {clause} 或其他项目不能代替"),
    "why_items": ("covered by its own citations, but not every item is: {items}", "条款本身已阐述，但以下三级条款未完全覆盖：{items}"),
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
    facts: dict[str, Any] = field(default_factory=dict)  # the facts model as JSON, for the consistency check

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
            "kind": "(?:" + "|".join(KINDS[k].code for k in KINDS) + ")",
            "seq": r"\d+",
            "year": r"\d{4}",
        }.get(name, r"[^\s（）()]+?")
    return out


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


def finding(kind: str, key: str, doc: DocInfo | None = None, *, severity: Literal["warning", "note"] = "warning",
             where: str = "", heading: str = "", clause: str = "", **params: Any) -> Finding:
    en, cn = message(key, clause=clause, **params)
    if doc is None:
        return Finding(kind, en, cn, severity, where=where, heading=heading, clause=clause)
    return Finding(kind, en, cn, severity, doc.number, doc.title, doc.relpath, where, heading, clause)


@dataclass
class ItemResult:
    """The verdict on one third-level item, by the same rule as a clause: the manual and a procedure
    or work instruction must address it (cite it, or cite its clause); citing a sibling item does not."""

    item: Item
    status: Status
    reason: str = ""
    reason_cn: str = ""
    links: list[Link] = field(default_factory=list)

    @property
    def numbers(self) -> list[str]:
        return list(dict.fromkeys(link.number for link in self.links))


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
    items: list[ItemResult] = field(default_factory=list)

    @property
    def numbers(self) -> list[str]:
        return list(dict.fromkeys(link.number for link in self.links))

    @property
    def item_gaps(self) -> list[ItemResult]:
        """The items that make a clause partial although its own citations cover it."""
        return [i for i in self.items if i.status in {"partial", "uncovered"}] if self.status == "partial" else []


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
        return [r for r in self.clauses if r.status in {"uncovered", "partial"}]

    @property
    def inconsistencies(self) -> list[Finding]:
        """Statements of a service fact that disagree with the facts model (docgen.consistency)."""
        return [f for f in self.findings if f.kind == "inconsistent"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def count(self, status: Status, indicator: str | None = None) -> int:
        return sum(1 for r in self.clauses if r.status == status and (indicator is None or r.indicator.id == indicator))

    def percent(self, indicator: str | None = None) -> float:
        """Covered ÷ applicable (not excluded) clauses × 100."""
        covered = self.count("covered", indicator)
        applicable = covered + self.count("uncovered", indicator) + self.count("partial", indicator)
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
                "partial": self.count("partial"),
                "items": {status: sum(1 for r in self.clauses for i in r.items if i.status == status)
                          for status in ("covered", "partial", "excluded", "uncovered")},
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
                            "id": it.item.id,
                            "title": it.item.title,
                            "status": it.status,
                            "reason": it.reason,
                            "reason_cn": it.reason_cn,
                            "excluded": self.item_exclusions.get(it.item.id),
                            "cited_by": list(dict.fromkeys(link.number for link in self.items.get(it.item.id, []))),
                            "addressed_by": it.numbers,
                        }
                        for it in r.items
                    ],
                    "links": [asdict(link) for link in r.links],
                }
                for r in self.clauses
            ],
            "documents": [
                {**asdict(d), "declared": list(d.declared), "cited": sorted(self.cited.get(d.relpath, set()), key=idkey)}
                for d in self.info.documents
            ],
            "findings": [asdict(f) for f in self.findings],
            "pack": self.info.to_json(),
        }


def _headings(links: list[Link], number: str) -> list[str]:
    return list(dict.fromkeys(link.heading for link in links if link.number == number))


def idkey(clause_id: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (0, p) for p in clause_id.split("."))


