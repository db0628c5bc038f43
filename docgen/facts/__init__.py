"""The facts model: every figure or rule that more than one document states, resolved once per
build from the profile (its facts: section, targets, services, outlets, people) over documented
defaults by company type; templates take them from here and never state one as a literal."""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..vocab import SERVICES
from .approvals import Approval, approvals
from .records import RECORDS, Keeping, record_keeping

if TYPE_CHECKING:
    from ..profile import Profile

DEFAULTS_FILE = Path(__file__).with_name("defaults.yaml")
FIRST_FIX_WINDOW_DAYS = 30  # a repair that holds 30 days is a first-time fix (the 三包 rule's repair hold)
_PROVINCE = re.compile(r"^(.{2,7}?(?:省|自治区|特别行政区)|北京市|上海市|天津市|重庆市)")


@dataclass(frozen=True)
class AreaFact:
    name: str
    cities: tuple[str, ...]
    onsite_hours: int


@dataclass(frozen=True)
class GradeFact:
    name: str
    definition: str
    response_hours: int
    close_days: int
    escalate_to: str  # a person's name
    escalate_title: str  # that person's post


@dataclass(frozen=True)
class Kpi:
    key: str
    name: str
    numerator: str
    denominator: str
    target_pct: float
    frequency: str
    owner: str  # department name

    @property
    def formula(self) -> str:
        return f"{self.name}＝{self.numerator}÷{self.denominator}×100%"


@dataclass
class ServiceFacts:
    """The facts of one profile, as templates (`facts.*`) and the consistency check read them."""

    areas: list[AreaFact]
    province: str
    emergency: dict[str, Any]
    grades: list[GradeFact]
    survey: dict[str, str]
    frequencies: dict[str, str]
    budget: dict[str, str]
    training: dict[str, int]
    retention: dict[str, int]
    kpis: list[Kpi]
    approvals: dict[str, Approval]
    records: dict[str, Keeping]
    channels: dict[str, list[str]]
    default_keeper: str
    limits: dict[str, int] = field(default_factory=dict)
    own_onsite: bool = False  # whether the company's own staff go to the customer's site (not only partners)
    emergency_services: list[str] = field(default_factory=list)  # offered services answered at emergency speed
    # offered services without the area times of ordinary visits: a trade's own services (by
    # appointment or contract, as the manual states them) and those at emergency speed
    untimed_services: list[str] = field(default_factory=list)

    def keeping(self, record_id: str) -> Keeping:
        """Who keeps a record form and how long (the record-control procedure's table); a form
        the table does not name (a trade's own) is kept by after-sales for the default period."""
        if record_id in self.records:
            return self.records[record_id]
        years = self.retention["default_years"]
        return Keeping(self.default_keeper, years, f"{years}年")

    @property
    def onsite(self) -> bool:
        """Whether any offered service goes to the customer's site."""
        return any("onsite" in c for c in self.channels.values())

    @property
    def onsite_text(self) -> str:
        """绍兴、杭州、宁波市区4小时内、浙江省内其他地区24小时内、浙江省外48小时内 (then 上门 or 到达)."""
        return "、".join(f"{a.name}{a.onsite_hours}小时内" for a in self.areas)

    @staticmethod
    def target_text(value: float) -> str:
        """A rate target as a sentence states it: 不低于95%, or 达到100%."""
        shown = f"{value:g}%"
        return f"达到{shown}" if value >= 100 else f"不低于{shown}"

    def grade(self, name: str) -> GradeFact:
        return next(g for g in self.grades if g.name == name)

    @property
    def grade_names(self) -> list[str]:
        return [g.name for g in self.grades]

    @property
    def major(self) -> GradeFact:
        """The most serious grade (the last one)."""
        return self.grades[-1]

    def kpi(self, key: str) -> Kpi:
        return next(k for k in self.kpis if k.key == key)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["approvals"] = {k: asdict(v) for k, v in self.approvals.items()}
        data["onsite"] = self.onsite
        return data


@cache
def _defaults() -> dict[str, Any]:
    return yaml.safe_load(DEFAULTS_FILE.read_text(encoding="utf-8"))


def _merged(section: str, profile: Profile, given: dict[str, Any]) -> dict[str, Any]:
    """Defaults for a section (common, the company type's, the trade's), overlaid by what the profile gives."""
    data = _defaults()
    out = dict(data["common"].get(section) or {})
    out.update((data.get("types", {}).get(profile.company.type) or {}).get(section) or {})
    out.update(profile.trade.facts.get(section) or {})
    out.update({k: v for k, v in given.items() if v not in (None, [], {})})
    return out


def province_of(address: str) -> str:
    """浙江省 from 浙江省绍兴市…; '' when the address does not start with a province."""
    m = _PROVINCE.match(address.strip())
    return m.group(1) if m else ""


def _areas(profile: Profile) -> list[AreaFact]:
    given = profile.facts.areas
    if given:
        return [AreaFact(a.name, tuple(a.cities), a.onsite_hours) for a in given]
    t = profile.policy.targets
    cities = tuple(dict.fromkeys(o.city for o in profile.outlets if o.kind == "own")) or tuple(
        dict.fromkeys(o.city for o in profile.outlets))
    province = province_of(profile.company.address)
    city_name = "、".join(cities) + "市区"
    return [
        AreaFact(city_name, cities, t.onsite_hours_city),
        AreaFact(f"{province}内其他地区" if province else "省内其他地区", (), t.onsite_hours_region),
        AreaFact(f"{province}外" if province else "省外", (), t.onsite_hours_remote),
    ]


def _grades(profile: Profile) -> list[GradeFact]:
    people = {p.name: p for p in profile.people}
    t = profile.policy.targets
    if profile.facts.complaint_grades:
        return [GradeFact(g.name, g.definition, g.response_hours, g.close_days, g.escalate_to,
                          people[g.escalate_to].title if g.escalate_to in people else "")
                for g in profile.facts.complaint_grades]
    grades = []
    for g in profile.trade.facts.get("complaint_grades") or _defaults()["common"]["complaint_grades"]:
        holder = next(p for p in profile.people if g["escalate"] in p.roles)
        grades.append(GradeFact(g["name"], g["definition"], int(g.get("response_hours", t.complaint_response_hours)),
                                int(g.get("close_days", t.complaint_close_days)), holder.name, holder.title))
    return grades


def _retention(profile: Profile) -> dict[str, int]:
    given = profile.facts.retention.model_dump()
    if given.get("default_years") is None:
        given["default_years"] = profile.document_control.retention_years
    r = _merged("retention", profile, given)
    longest = max([p.warranty.whole_months for p in profile.products]
                  + [part.months for p in profile.products for part in p.warranty.main_parts] + [0])
    r["longest_warranty_months"] = longest
    r["service_years"] = max(int(r["default_years"]), math.ceil(longest / 12) + int(r["after_warranty_years"]))
    return r


def _kpis(profile: Profile, frequency: str) -> list[Kpi]:
    t = profile.policy.targets
    sv = profile.department_for("supervision").name
    cs = profile.department_for("customer_service").name
    return [
        Kpi("satisfaction", "顾客满意率", "评价为“很满意”或“满意”的有效样本数", "有效样本总数", t.satisfaction_pct, frequency, sv),
        Kpi("timely", "服务及时率", "在承诺时限内响应并到达（或完成）的服务单数", "同期服务单总数", t.timely_rate_pct, frequency, sv),
        Kpi("first_fix", "一次修复率", f"首次服务即修复、且{FIRST_FIX_WINDOW_DAYS}日内未因同一故障再次报修的维修单数",
            "同期完成的维修单总数", t.first_fix_rate_pct, frequency, sv),
        Kpi("complaint_closed", "投诉按时办结率", "在规定时限内办结的投诉件数", "同期受理的有效投诉件数",
            t.complaint_resolution_pct, frequency, sv),
        Kpi("followup", "回访率", "已回访的服务单数", "同期完成的服务单总数", t.followup_rate_pct, frequency, cs),
    ]


def _channels(profile: Profile) -> dict[str, list[str]]:
    """How each offered service reaches the customer (default: on site)."""
    return {key: list(svc.channels) or ["onsite"] for key, svc in profile.services.items()
            if svc.offered and key not in {"delivery", "spare_parts", "returns", "recall"}}


def resolve_facts(profile: Profile) -> ServiceFacts:
    """The facts of a profile: its own facts: section over the defaults, plus what is derived."""
    f = profile.facts
    channels = _channels(profile)
    frequencies = _merged("frequencies", profile, f.frequencies.model_dump())
    survey = _merged("survey", profile, f.survey.model_dump())
    survey.setdefault("analyst", profile.department_for("supervision").name)
    if not survey.get("analyst"):
        survey["analyst"] = profile.department_for("supervision").name
    emergency = _merged("emergency", profile, f.emergency.model_dump())
    areas = _areas(profile)
    emergency.setdefault("onsite_minutes", None)
    t = profile.policy.targets
    retention = _retention(profile)
    return ServiceFacts(
        areas=areas,
        province=province_of(profile.company.address),
        emergency=emergency,
        grades=_grades(profile),
        survey={k: str(v) for k, v in survey.items()},
        frequencies={k: str(v) for k, v in frequencies.items()},
        budget={k: str(v) for k, v in _merged("budget_calendar", profile, f.budget_calendar.model_dump()).items()},
        training={k: int(v) for k, v in _merged("training", profile, f.training.model_dump()).items()},
        retention=retention,
        kpis=_kpis(profile, frequencies["kpi_report"]),
        approvals=approvals(profile),
        records={rid: record_keeping(profile, retention, rid)
                 for rid in [*RECORDS, *(e.id for e in profile.trade.documents.add if e.kind == "record")]},
        channels=channels,
        untimed_services=[t.key for t in profile.trade.services if t.key not in SERVICES
                          and (svc := profile.services.get(t.key)) is not None and svc.offered],
        emergency_services=[t.key for t in profile.trade.services
                            if t.emergency and (svc := profile.services.get(t.key)) is not None and svc.offered],
        own_onsite=any("onsite" in ch and profile.services[key].mode in {"in_house", "mixed"}
                       for key, ch in channels.items()),
        default_keeper=profile.department_for("after_sales").name,
        limits={"response_minutes": t.response_minutes, "repair_days": t.repair_days, "followup_days": t.followup_days,
                "spare_parts_days": t.spare_parts_days, "first_fix_window_days": FIRST_FIX_WINDOW_DAYS},
    )


__all__ = ["AreaFact", "Approval", "GradeFact", "Kpi", "ServiceFacts", "province_of", "resolve_facts"]
