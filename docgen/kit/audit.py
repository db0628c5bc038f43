"""Internal audit: programme, plan (departments × clauses × dates × auditors, never their own department), checklists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook

from ..coverage import Coverage
from ..profile import Profile
from ..profile.organisation import Department, Person
from ..standards import Clause, Standard
from ..trades.wording import rewording
from . import sheets as sh
from .schedule import Schedule
from .scoring import KitError, Row
from .selfassess import evidence_text
from .workdays import is_workday

VERDICTS = ("符合", "不符合", "观察项", "不适用")
_GENERAL = ("5.1.1", "5.1.4")  # every department: its duties, and working to the documents


@dataclass(frozen=True)
class Visit:
    """One line of the audit plan."""

    day: dt.date
    slot: str
    department: str
    auditee: str
    auditor: str
    clauses: tuple[str, ...]


def department_clauses(profile: Profile, standard: Standard) -> dict[str, list[tuple[Clause, str]]]:
    """Per department the applicable clauses it leads (主责: 牵头) or supports (相关: 配合) (catalog functions → profile.department_for)."""
    excluded = {e.clause.strip() for e in profile.certification.excluded}
    out: dict[str, list[tuple[Clause, str]]] = {d.name: [] for d in profile.departments}
    for clause in standard.clauses:
        if clause.id in excluded:
            continue
        seen: set[str] = set()
        for function, role in [(clause.responsible, "牵头")] + [(f, "配合") for f in clause.related]:
            if function is None:
                continue
            name = profile.department_for(function).name
            if name not in seen:
                seen.add(name)
                out[name].append((clause, role))
    for name, lines in out.items():
        if not lines:
            out[name] = [(standard.clause_by_id[c], "配合") for c in _GENERAL if c in standard.clause_by_id and c not in excluded]
    return out


def assign_auditors(departments: Sequence[Department], auditors: Sequence[Person]) -> dict[str, str]:
    """An internal auditor per department, never one of its own, the work shared evenly; KitError naming who and why."""
    if not auditors:
        raise KitError("the internal audit cannot be planned: no one holds the role internal_auditor (内审员)")
    load = {a.name: 0 for a in auditors}
    out: dict[str, str] = {}
    for dept in departments:
        candidates = [a for a in auditors if a.department != dept.name]
        if not candidates:
            names = "、".join(f"{a.name}（{a.department}）" for a in auditors)
            raise KitError(f"no internal auditor can audit {dept.name}: the only internal auditors, {names}, belong to "
                           f"{dept.name}, and an auditor never audits their own department; give the role internal_auditor "
                           "to someone in another department")
        chosen = min(candidates, key=lambda a: (load[a.name], auditors.index(a)))
        load[chosen.name] += 1
        out[dept.name] = chosen.name
    return out


def check_independence(visits: Sequence[Visit], profile: Profile) -> None:
    """Every visit is made by an auditor from another department; KitError naming who and why."""
    home = {p.name: p.department for p in profile.people}
    for v in visits:
        if home.get(v.auditor) == v.department:
            raise KitError(f"{v.auditor} cannot audit {v.department} on {v.day.isoformat()}: {v.auditor} belongs to "
                           f"{v.department}, and an auditor never audits their own department")


def audit_days(schedule: Schedule, key: str = "internal_audit") -> list[dt.date]:
    m = schedule[key]
    days, day = [], m.start
    while day <= m.end:
        if is_workday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days or [m.start]


def plan_visits(profile: Profile, standard: Standard, schedule: Schedule) -> list[Visit]:
    """The audit plan: the first day opens, the departments follow two a half-day, the last day closes."""
    clauses = department_clauses(profile, standard)
    auditors = [p for p in profile.people if "internal_auditor" in p.roles]
    assigned = assign_auditors(profile.departments, auditors)
    days = audit_days(schedule)
    working = days[:-1] or days
    slots = [(d, s) for d in working for s in ("上午", "下午")]
    visits = []
    for i, dept in enumerate(profile.departments):
        day, slot = slots[min(i * len(slots) // max(len(profile.departments), 1), len(slots) - 1)]
        visits.append(Visit(day, slot, dept.name, dept.head, assigned[dept.name], tuple(c.id for c, _ in clauses[dept.name])))
    check_independence(visits, profile)
    return visits


def build_programme(profile: Profile, standard: Standard, schedule: Schedule, number: str, when: dt.datetime) -> bytes:
    """内部审核方案及计划: the year's audits (programme) and the trial-run audit's plan."""
    wb = Workbook()
    ws = wb.active
    ws.title = "审核方案"
    rep = next((p for p in profile.people if "management_representative" in p.roles), None)
    auditors = [p for p in profile.people if "internal_auditor" in p.roles]
    header = ["序号", "审核", "时间", "审核范围", "审核准则", "审核组", "备注"]
    widths = [6, 16, 26, 36, 30, 28, 20]
    sh.titled_sheet(ws, profile.company.name, number, "内部审核方案", header, widths,
                    f"审核方案由管理者代表{rep.name if rep else ''}组织编制，经总经理批准后实施")
    audits = [m for m in schedule.milestones if m.key == "internal_audit" or m.key.startswith("annual_internal_audit")]
    team = "、".join(f"{a.name}（{a.department}）" for a in auditors)
    scope = f"全部部门（{'、'.join(d.name for d in profile.departments)}）及GB/T 27922-2011《商品售后服务评价体系》全部适用条款"
    data = [[i, m.name_cn, f"{m.start:%Y-%m-%d} 至 {m.end:%Y-%m-%d}", scope, "GB/T 27922-2011、售后服务手册、程序文件、作业指导书及适用法律法规",
             team, m.note] for i, m in enumerate(audits, start=1)]
    sh.rows(ws, data, center=(1,), widths=widths)
    plan = wb.create_sheet("审核计划")
    header = ["序号", "日期", "时段", "受审核部门", "部门负责人", "审核条款", "内审员", "内审员所在部门"]
    widths = [6, 14, 8, 16, 12, 40, 12, 16]
    first = schedule["internal_audit"]
    sh.titled_sheet(plan, profile.company.name, number, "内部审核计划", header, widths,
                    f"审核时间：{first.start:%Y年%m月%d日}至{first.end:%Y年%m月%d日}；首日上午首次会议，末日末次会议并提交审核报告；"
                    "内审员不审核本部门的工作")
    home = {p.name: p.department for p in profile.people}
    visits = plan_visits(profile, standard, schedule)
    days = audit_days(schedule)
    data = [[1, days[0], "上午", "首次会议", rep.name if rep else "", "审核目的、范围、准则和日程", "全体内审员", ""]]
    for v in visits:
        data.append([len(data) + 1, v.day, v.slot, v.department, v.auditee,
                     "、".join(f"{c} {standard.clause_by_id[c].title}" for c in v.clauses), v.auditor, home.get(v.auditor, "")])
    data.append([len(data) + 1, days[-1], "下午", "末次会议", rep.name if rep else "", "通报审核发现，确认不符合项，布置纠正措施",
                 "全体内审员", ""])
    sh.rows(plan, data, center=(1, 2, 3), widths=widths)
    return sh.save(wb, profile.company.name, "内部审核方案及计划", when)


def _questions(clause: Clause, coverage: Coverage | None = None, worded: Callable[[str], str] = str
               ) -> list[tuple[str, str, str]]:
    """(id, question, evidence to see) per item of the clause, or for the clause itself. The
    evidence is the pack's own record forms citing the item (else its clause); only a pack without
    a coverage result falls back to the catalog's generic names."""
    lines = []
    parts = [(i.id, i.requirement, i.evidence) for i in clause.items] or [(clause.id, clause.requirement, clause.evidence)]
    for ident, requirement, own in parts:
        forms = _pack_records(coverage, ident, clause.id)
        if forms:
            seen = "、".join(forms)
        else:
            evidence = own if (own.documents or own.records) else clause.evidence
            seen = worded("、".join(evidence.records or evidence.documents))
        lines.append((ident, f"是否做到：{requirement or clause.requirement}", seen))
    return lines


def _pack_records(coverage: Coverage | None, ident: str, clause_id: str, limit: int = 5) -> list[str]:
    """The pack's record forms (number and title) that cite the item, else the clause."""
    if coverage is None:
        return []
    records = {d.number for d in coverage.info.documents if d.kind == "record"}
    clause_links = next((r.links for r in coverage.clauses if r.clause.id == clause_id), [])
    for links in (coverage.items.get(ident, []) if ident != clause_id else [], clause_links):
        out: list[str] = []
        for link in links:
            shown = f"{link.number}《{link.title}》"
            if link.number in records and shown not in out:
                out.append(shown)
        if out:
            return out[:limit]
    return []


def build_checklists(profile: Profile, standard: Standard, coverage: Coverage | None, number: str,
                     when: dt.datetime) -> bytes:
    """内部审核检查表: a sheet per department, questions from the clauses it is 主责 or 相关 for."""
    wb = Workbook()
    wb.remove(wb.active)
    header = ["序号", "条款", "本部门", "审核内容（问题）", "审核依据（文件及章节）", "查阅的证据", "审核记录", "结论", "不符合报告编号"]
    widths = [6, 9, 6, 36, 34, 24, 26, 9, 12]
    heads = {d.name: d.head for d in profile.departments}
    worded = rewording(profile.trade.wording) or str  # the catalog's generic names, as the trade says them
    for dept, lines in department_clauses(profile, standard).items():
        ws = wb.create_sheet(sh.safe_sheet_name(dept, wb.sheetnames))
        sh.titled_sheet(ws, profile.company.name, number, f"内部审核检查表（{dept}）", header, widths,
                        f"受审核部门：{dept}　负责人：{heads[dept]}　内审员：________　审核日期：________")
        data: list[list[object]] = []
        for clause, role in lines:
            for ident, question, seen in _questions(clause, coverage, worded):
                row = Row(ident, 3 if ident != clause.id else 2, "", 0, "", clause.id, True)
                data.append([len(data) + 1, ident, role, question, evidence_text(coverage, row, limit=4), seen, "", "", ""])
        end = sh.rows(ws, data, center=(1, 2, 3, 8), widths=widths)
        if data:
            sh.dropdown(ws, VERDICTS, f"H{sh.FIRST_ROW}:H{end - 1}")
    return sh.save(wb, profile.company.name, "内部审核检查表", when)
