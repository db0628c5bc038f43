"""The certification project schedule: preparation to certificate, then three years of upkeep.

Durations are the defaults in ``DURATIONS``, in working days, as a consultant typically plans
them; they are not rules of GB/T 27922-2011 or of any certification body, and a caller can pass
its own (``durations=``). Default working days:

==========================  =====  ===========================================
启动准备与自我评价              10    two weeks: commitment, working group, self-assessment
文件编写与评审                  20    four weeks: manual, procedures, forms, internal review
全员培训                         3
文件发布                         1    the documents take effect; the trial run follows
试运行                            —    ``trial_months`` calendar months (1–3)
内部审核                         5    audit and corrective actions
管理评审                         2
认证申请                         5    application materials, acceptance by the body
文件审核                        10
现场审核                         2
整改与验证                      15    nonconformities corrected with evidence
获证                            15    review, certification decision, certificate
年度内部审核 / 年度管理评审      5 / 2
==========================  =====  ===========================================

After the certificate (the process's step 6) the rules the certification bodies publish apply:
surveillance within 12 months of the certificate and again by 24 months, a certificate valid
three years (expiry = certificate date + 3 years − 1 day), recertification applied for three
months before expiry. Each year's internal audit starts ``LEAD_MONTHS`` before the audit it
prepares (surveillance or recertification application), the management review a month later.

Dates are moved to working days: a start or plan date to the next working day, a due-by date
(surveillance, recertification application) to the previous one, so it stays inside its limit.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from .workdays import Overrides, add_workdays, count_workdays, next_workday, previous_workday

DURATIONS: dict[str, int] = {
    "prepare": 10,
    "documents": 20,
    "training": 3,
    "release": 1,
    "internal_audit": 5,
    "management_review": 2,
    "application": 5,
    "document_review": 10,
    "onsite_audit": 2,
    "rectification": 15,
    "certificate": 15,
    "annual_internal_audit": 5,
    "annual_management_review": 2,
}
LEAD_MONTHS = {"annual_internal_audit": 2, "annual_management_review": 1}
SURVEILLANCE_MONTHS = 12
VALIDITY_YEARS = 3
RECERT_LEAD_MONTHS = 3

STEPS = {1: "准备", 2: "文件编写与培训", 3: "试运行", 4: "内部审核与管理评审", 5: "认证申请与审核", 6: "获证后维护"}

# key, name (as a consultant writes it), step of the certification process
PHASES = (
    ("prepare", "启动准备与自我评价", 1),
    ("documents", "文件编写与评审", 2),
    ("training", "全员培训", 2),
    ("release", "文件发布", 2),
    ("trial", "试运行", 3),
    ("internal_audit", "内部审核", 4),
    ("management_review", "管理评审", 4),
    ("application", "认证申请", 5),
    ("document_review", "文件审核", 5),
    ("onsite_audit", "现场审核", 5),
    ("rectification", "整改与验证", 5),
    ("certificate", "获证", 5),
)
_ORDINALS = "一二三"

WORK: dict[str, str] = {
    "prepare": "管理层承诺；标准培训；成立认证工作小组；对照标准自我评价；制定整改计划",
    "documents": "编写售后服务手册、程序文件、作业指导书和记录表单；明确部门与岗位职责；内部评审",
    "training": "全员培训售后服务体系文件，保留培训记录",
    "release": "批准发布体系文件，文件生效",
    "trial": "按文件运行并保留记录；监督检查、顾客反馈与服务数据分析；纠正问题；协调会",
    "internal_audit": "内审员覆盖全部条款和部门，开具不符合项并跟踪整改",
    "management_review": "最高管理者评审内审结果、顾客反馈和服务质量数据，决定是否申请认证",
    "application": "准备并提交申请材料（营业执照、体系文件及清单、网点清单、删减条款说明等），机构受理",
    "document_review": "认证机构审核体系文件，按意见修改",
    "onsite_audit": "认证机构现场审核并评分，提供工单、投诉、满意度、回访等记录",
    "rectification": "在规定期限内整改不符合项并提交证据，机构验证",
    "certificate": "复核与认证决定，颁发证书",
    "surveillance": "认证机构监督审核",
    "annual_internal_audit": "年度内部审核，覆盖全部条款和部门",
    "annual_management_review": "年度管理评审",
    "recertification": "向认证机构提交再认证申请（可同时申请升级）",
}


@dataclass(frozen=True)
class Milestone:
    """One line of the schedule; a one-day event has start == end."""

    key: str
    name_cn: str
    start: dt.date
    end: dt.date
    step: int
    note: str = ""
    workdays: int = 0

    @property
    def work(self) -> str:
        """What is done in this line (工作内容)."""
        return WORK.get(self.key.rstrip("_0123456789"), "")


@dataclass(frozen=True)
class Schedule:
    """The whole plan: project milestones (steps 1–5) then maintenance (step 6)."""

    milestones: tuple[Milestone, ...]
    warnings: tuple[str, ...]
    certificate_date: dt.date
    expiry: dt.date

    def __getitem__(self, key: str) -> Milestone:
        for milestone in self.milestones:
            if milestone.key == key:
                return milestone
        raise KeyError(key)

    @property
    def project(self) -> tuple[Milestone, ...]:
        return tuple(m for m in self.milestones if m.step <= 5)

    @property
    def maintenance(self) -> tuple[Milestone, ...]:
        return tuple(m for m in self.milestones if m.step == 6)


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar-month arithmetic; a day past the end of the target month becomes its last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _fmt(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class _Planner:
    def __init__(self, overrides: Overrides | None, durations: Mapping[str, int]):
        self.overrides, self.durations = overrides, durations
        self.milestones: list[Milestone] = []
        self.warnings: list[str] = []

    def _warn(self, *warnings: str | None) -> None:
        self.warnings += [w for w in warnings if w and w not in self.warnings]

    def next(self, day: dt.date) -> dt.date:
        day, warning = next_workday(day, self.overrides)
        self._warn(warning)
        return day

    def add(self, key: str, name: str, step: int, start: dt.date, end: dt.date, note: str = "") -> Milestone:
        milestone = Milestone(key, name, start, end, step, note, count_workdays(start, end, self.overrides))
        self.milestones.append(milestone)
        return milestone

    def phase(self, key: str, name: str, step: int, day: dt.date, length_key: str | None = None) -> Milestone:
        start = self.next(day)
        end, warnings = add_workdays(start, self.durations[length_key or key], self.overrides)
        self._warn(*warnings)
        return self.add(key, name, step, start, end)

    def due(self, key: str, name: str, limit: dt.date, note: str) -> Milestone:
        day, warning = previous_workday(limit, self.overrides)
        self._warn(warning)
        return self.add(key, name, 6, day, day, f"{note}（最迟{_fmt(limit)}）")


def plan_schedule(
    start: dt.date,
    trial_months: int,
    *,
    certified_on: dt.date | None = None,
    overrides: Overrides | None = None,
    durations: Mapping[str, int] | None = None,
) -> Schedule:
    """Plan the project from `start` and the three certificate years after it.

    `certified_on` is the real certificate date once known; until then the plan's expected
    date is used. `overrides` maps dates to working (True) or not (False) and wins over the
    official calendar. `durations` replaces entries of ``DURATIONS``.
    """
    if not 1 <= trial_months <= 3:
        raise ValueError(f"trial_months must be 1–3, not {trial_months}")
    plan = _Planner(overrides, {**DURATIONS, **(durations or {})})
    day = start
    for key, name, step in PHASES:
        if key == "trial":
            first = plan.next(day)
            month_mark = add_months(first, trial_months)
            last = plan.next(month_mark - dt.timedelta(days=1))
            plan.add(key, name, step, first, last, f"试运行{trial_months}个月")
            day = max(last + dt.timedelta(days=1), month_mark)
            continue
        day = plan.phase(key, name, step, day).end + dt.timedelta(days=1)
    expected = plan.milestones[-1].end
    certificate = certified_on or expected
    note = f"预计获证日期：{_fmt(expected)}"
    if certified_on and certified_on != expected:
        note += f"；实际获证日期：{_fmt(certified_on)}"
    plan.milestones[-1] = replace(plan.milestones[-1], note=note)
    _plan_maintenance(plan, certificate)
    expiry = add_months(certificate, 12 * VALIDITY_YEARS) - dt.timedelta(days=1)
    return Schedule(tuple(plan.milestones), tuple(plan.warnings), certificate, expiry)


def _plan_maintenance(plan: _Planner, certificate: dt.date) -> None:
    expiry = add_months(certificate, 12 * VALIDITY_YEARS) - dt.timedelta(days=1)
    anchors = [add_months(certificate, SURVEILLANCE_MONTHS * n) for n in (1, 2)]
    anchors.append(add_months(expiry, -RECERT_LEAD_MONTHS))
    for year, anchor in enumerate(anchors, start=1):
        ordinal = _ORDINALS[year - 1]
        for kind, label in (("annual_internal_audit", "内部审核"), ("annual_management_review", "管理评审")):
            begin = add_months(anchor, -LEAD_MONTHS[kind])
            plan.phase(f"{kind}_{year}", f"第{ordinal}年度{label}", 6, begin, kind)
        if year < 3:
            plan.due(f"surveillance_{year}", f"第{ordinal}次监督审核", anchor,
                     f"获证后{SURVEILLANCE_MONTHS * year}个月内完成")
        else:
            plan.due("recertification", "再认证申请", anchor, f"证书有效期至{_fmt(expiry)}，到期前{RECERT_LEAD_MONTHS}个月申请")
