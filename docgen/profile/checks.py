"""Checks that span profile sections: names that must refer to people, departments and partners
that exist and are given once, the roles every pack needs, and the one after-sales department."""

from __future__ import annotations

import difflib
from collections.abc import Callable

from ..errors import Problem
from ..vocab import ROLES
from ..yamlload import KeyPath, Location, dotted, locate
from .model import Profile


class _Report:
    """Collects problems located in the profile file."""

    def __init__(self, locations: dict[KeyPath, Location], filename: str | None) -> None:
        self.locations = locations
        self.filename = filename
        self.problems: list[Problem] = []

    def add(self, loc: KeyPath, message: str) -> None:
        line, col = locate(self.locations, loc)
        self.problems.append(Problem(message, file=self.filename, line=line, column=col, key=dotted(loc)))

    def need(self, names: set[str], value: str, loc: KeyPath, what: str) -> None:
        """`value` must be one of `names` (the names of the people, departments … of the profile)."""
        if value not in names:
            close = difflib.get_close_matches(value, sorted(names), n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            self.add(loc, f"expected the name of one of the {what}, got {value!r}{hint}")


def _names(profile: Profile, r: _Report) -> None:
    people = {p.name for p in profile.people}
    depts = {d.name for d in profile.departments}
    for i, d in enumerate(profile.departments):
        r.need(people, d.head, ("departments", i, "head"), "people")
    for i, p in enumerate(profile.people):
        r.need(depts, p.department, ("people", i, "department"), "departments")
    dc = profile.document_control
    given = [k for k in ("prepared_by", "reviewed_by", "approved_by") if getattr(dc, k)]
    if given and len(given) < 3:
        r.add(("document_control",), "give all of prepared_by, reviewed_by and approved_by, or none of them "
                                     "(then each document kind follows the approval rule of the document-control procedure)")
    for key in given:
        r.need(people, getattr(dc, key), ("document_control", key), "people")
    for i, d in enumerate(profile.departments):
        if d.reports_to is not None:
            r.need(people, d.reports_to, ("departments", i, "reports_to"), "people")
    for i, g in enumerate(profile.facts.complaint_grades):
        r.need(people, g.escalate_to, ("facts", "complaint_grades", i, "escalate_to"), "people")
    if profile.facts.survey.analyst is not None:
        r.need(depts, profile.facts.survey.analyst, ("facts", "survey", "analyst"), "departments")


def _partners(profile: Profile, r: _Report) -> None:
    partners = {p.name for p in profile.partners}
    for i, o in enumerate(profile.outlets):
        if o.kind != "entrusted":
            continue
        if not o.partner:
            r.add(("outlets", i, "kind"), "an entrusted outlet needs partner: (the partner's name)")
        else:
            r.need(partners, o.partner, ("outlets", i, "partner"), "partners")
    for name, svc in profile.services.items():
        for j, partner in enumerate(svc.partners):
            r.need(partners, partner, ("services", name, "partners", j), "partners")
        if svc.offered and svc.mode in {"entrusted", "mixed"} and not svc.partners:
            r.add(("services", name, "mode"), f"an {svc.mode} service needs partners: (at least one name)")
    for i, p in enumerate(profile.partners):
        for j, s in enumerate(p.services):
            if s not in profile.services:
                r.add(("partners", i, "services", j), f"expected one of the services of the profile ({', '.join(profile.services)}), got {s!r}")


def _roles(profile: Profile, r: _Report) -> None:
    for role in ("general_manager", "management_representative", "after_sales_head"):
        if not any(role in p.roles for p in profile.people):
            r.add(("people",), f"expected one person with the role {role} ({ROLES.label(role)})")
    if not any("service_manager" in p.roles for p in profile.people):
        r.add(("people",), "expected at least one person with the role service_manager (售后服务管理师, 5.1.2.2)")
    owners = [d.name for d in profile.departments if "after_sales" in d.functions]
    if len(owners) != 1:
        r.add(
            ("departments",),
            "expected exactly one department with after_sales in its functions (5.1.1.1), "
            f"got {len(owners)}" + (f": {', '.join(owners)}" if owners else ""),
        )


def _exclusions_listed_once(profile: Profile, r: _Report) -> None:
    seen: set[str] = set()
    for i, ex in enumerate(profile.certification.excluded):
        if ex.clause in seen:
            r.add(("certification", "excluded", i, "clause"), f"clause {ex.clause} is excluded twice")
        seen.add(ex.clause)


def _names_unique(profile: Profile, r: _Report) -> None:
    """Names that other entries refer to, or that head a table row, are given once per list."""
    lists: list[tuple[str, str, list[str]]] = [
        ("departments", "department", [d.name for d in profile.departments]),
        ("people", "person", [p.name for p in profile.people]),
        ("partners", "partner", [p.name for p in profile.partners]),
        ("outlets", "outlet", [o.name for o in profile.outlets]),
        ("products", "product", [p.name for p in profile.products]),
    ]
    for section, what, names in lists:
        first: dict[str, int] = {}
        for i, name in enumerate(names):
            if name in first:
                line = locate(r.locations, (section, first[name], "name"))[0]
                r.add((section, i, "name"), f"duplicate {what} name {name!r} (first on line {line})")
            else:
                first[name] = i


CHECKS: list[Callable[[Profile, _Report], None]] = [
    _names, _names_unique, _partners, _roles, _exclusions_listed_once,
]


def cross_check(profile: Profile, locations: dict[KeyPath, Location], filename: str | None) -> list[Problem]:
    """Every cross-section problem of the profile, in file order."""
    report = _Report(locations, filename)
    for check in CHECKS:
        check(profile, report)
    return sorted(report.problems, key=lambda p: (p.line or 0, p.column or 0))
