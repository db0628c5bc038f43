"""Role rules an auditor checks in the organisation: three different signatories on every
document, a supervision body independent of after-sales, auditors outside the department they
audit, complaint grades escalating to different people, and no one holding too many key roles."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import Problem
from ..vocab import FUNCTIONS, KINDS
from ..yamlload import KeyPath, dotted, locate
from .model import Profile

KEY_ROLES = ("management_representative", "after_sales_head", "internal_auditor", "supervisor",
             "document_controller", "complaint_handler")
MAX_KEY_ROLES = 2  # more key roles than this on one person is warned


class _Findings:
    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def _problem(self, loc: KeyPath, message: str) -> Problem:
        line, col = locate(self.profile.locations, loc)
        return Problem(message, file=self.profile.source, line=line, column=col, key=dotted(loc))

    def error(self, loc: KeyPath, message: str) -> None:
        self.errors.append(self._problem(loc, message))

    def warn(self, loc: KeyPath, message: str) -> None:
        self.warnings.append(self._problem(loc, message))


def _index(profile: Profile, name: str) -> int:
    return next(i for i, p in enumerate(profile.people) if p.name == name)


def _signatories(f: _Findings) -> None:
    """编制, 审核 and 批准 of every document are three different people."""
    from ..facts.approvals import signatories

    p = f.profile
    dc = p.document_control
    if dc.prepared_by:
        given = [dc.prepared_by or "", dc.reviewed_by or "", dc.approved_by or ""]
        if len(set(given)) < 3:
            f.error(("document_control", "reviewed_by"),
                    f"编制, 审核 and 批准 must be three different people, got {', '.join(given)}")
        preparer = next((x for x in p.people if x.name == dc.prepared_by), None)
        if preparer is not None:
            dept = next((d for d in p.departments if d.name == preparer.department), None)
            if dept is not None and "document_control" not in dept.functions:
                f.warn(("document_control", "prepared_by"),
                       f"{preparer.name} of {dept.name} prepares every document, but {dept.name} does not hold the "
                       "document_control function; leave prepared_by out so each document is prepared by its own department")
        return
    seen: set[tuple[str, str]] = set()
    for kind in KINDS:
        for function in FUNCTIONS:
            names = signatories(p, kind, function)
            key = (kind, "/".join(names))
            if key in seen:
                continue
            seen.add(key)
            if "" in names or len(set(names)) < 3:
                f.error(("people",), f"{KINDS.label(kind)} owned by {FUNCTIONS.label(function)} cannot be signed by three "
                                     f"different people (编制/审核/批准: {' / '.join(n or '—' for n in names)}); "
                                     "give the roles general_manager, management_representative and document_controller "
                                     "to three different people")
                return


def _supervision(f: _Findings) -> None:
    """The supervision department is neither headed by nor reporting to the person who runs after-sales."""
    p = f.profile
    sv = p.department_for("supervision")
    after = p.after_sales_department()
    runners = {after.head} | {x.name for x in p.people if "after_sales_head" in x.roles}
    i = p.departments.index(sv)
    if "supervision" not in sv.functions:
        f.error(("departments",), "no department holds the supervision function (5.1.5.1): give it to a department "
                                  f"other than {after.name}")
        return
    if sv.name == after.name:
        f.error(("departments", i, "functions"), f"{sv.name} both runs after-sales and supervises it (5.1.5.1); "
                                                 "give supervision to an independent department")
    elif sv.head in runners:
        f.error(("departments", i, "head"), f"the supervision department {sv.name} is headed by {sv.head}, who runs "
                                            "after-sales; supervision must be independent (5.1.5.1)")
    elif (sv.reports_to or _general_manager(p)) in runners:
        f.error(("departments", i, "reports_to"), f"the supervision department {sv.name} reports to {sv.reports_to}, who "
                                                  "runs after-sales; it must report to someone independent of it (5.1.5.1)")


def _general_manager(p: Profile) -> str:
    return next((x.name for x in p.people if "general_manager" in x.roles), "")


def _auditors(f: _Findings) -> None:
    """Every department can be audited by an internal auditor from another department."""
    p = f.profile
    auditors = [x for x in p.people if "internal_auditor" in x.roles]
    if not auditors:
        f.error(("people",), "expected at least one person with the role internal_auditor (内审员)")
        return
    for i, d in enumerate(p.departments):
        if not any(a.department != d.name for a in auditors):
            f.error(("departments", i, "name"), f"no internal auditor outside {d.name} can audit it; auditors never audit "
                                                "their own department: give internal_auditor to someone in another department")


def _grades(f: _Findings) -> None:
    from ..facts import resolve_facts

    grades = resolve_facts(f.profile).grades
    owners: dict[str, str] = {}
    for i, g in enumerate(grades):
        if g.escalate_to in owners:
            loc: KeyPath = ("facts", "complaint_grades", i, "escalate_to") if f.profile.facts.complaint_grades else ("people",)
            f.error(loc, f"complaint grades {owners[g.escalate_to]} and {g.name} both escalate to {g.escalate_to}; each grade "
                         "escalates to a different person (give management_representative and after_sales_head to two people, "
                         "or set facts.complaint_grades)")
        owners.setdefault(g.escalate_to, g.name)


def _key_roles(f: _Findings) -> None:
    for person in f.profile.people:
        held = [r for r in person.roles if r in KEY_ROLES]
        if len(held) > MAX_KEY_ROLES:
            f.warn(("people", _index(f.profile, person.name), "roles"),
                   f"{person.name} holds {len(held)} key roles ({', '.join(f.profile.vocabulary('roles').label(r) for r in held)}); an auditor asks "
                   f"how one person does them all (at most {MAX_KEY_ROLES} is usual)")


RULES: list[Callable[[_Findings], None]] = [_signatories, _supervision, _auditors, _grades, _key_roles]


def role_findings(profile: Profile) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) of the role rules, each with the profile's file and line."""
    f = _Findings(profile)
    for rule in RULES:
        rule(f)
    return f.errors, f.warnings
