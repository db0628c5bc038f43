"""Internal audit: every department gets an auditor from another department; an impossible plan says who and why."""

from __future__ import annotations

import datetime as dt

import pytest

from docgen.kit.audit import Visit, assign_auditors, check_independence, department_clauses, plan_visits
from docgen.kit.build import schedule_of
from docgen.kit.scoring import KitError
from docgen.profile import load_profile
from docgen.standards import standard_for

from .conftest import SAMPLES


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_no_auditor_audits_their_own_department(path):
    profile = load_profile(path)
    visits = plan_visits(profile, standard_for(profile, path), schedule_of(profile))
    home = {p.name: p.department for p in profile.people}
    assert {v.department for v in visits} == {d.name for d in profile.departments}
    for v in visits:
        assert home[v.auditor] != v.department
        assert "internal_auditor" in next(p for p in profile.people if p.name == v.auditor).roles
        assert v.clauses
    days = {v.day for v in visits}
    audit = schedule_of(profile)["internal_audit"]
    assert all(audit.start <= d <= audit.end for d in days)


def test_every_applicable_clause_is_audited_somewhere():
    profile = load_profile(SAMPLES[0])
    standard = standard_for(profile)
    audited = {c.id for lines in department_clauses(profile, standard).values() for c, _ in lines}
    excluded = {e.clause for e in profile.certification.excluded}
    assert audited == {c.id for c in standard.clauses} - excluded


def test_an_impossible_assignment_names_who_and_why():
    profile = load_profile(SAMPLES[0])
    only = [p.model_copy(update={"department": "售后服务部"}) for p in profile.people if "internal_auditor" in p.roles]
    with pytest.raises(KitError) as err:
        assign_auditors(profile.departments, only)
    message = str(err.value)
    assert "no internal auditor can audit 售后服务部" in message
    for person in only:
        assert f"{person.name}（售后服务部）" in message
    assert "never audits their own department" in message


def test_no_auditors_at_all_is_an_error():
    profile = load_profile(SAMPLES[0])
    with pytest.raises(KitError, match="no one holds the role internal_auditor"):
        assign_auditors(profile.departments, [])


def test_a_visit_to_the_auditors_own_department_is_refused():
    profile = load_profile(SAMPLES[0])
    person = next(p for p in profile.people if "internal_auditor" in p.roles)
    visit = Visit(dt.date(2027, 1, 12), "上午", person.department, "", person.name, ("5.1.1",))
    with pytest.raises(KitError, match=f"{person.name} cannot audit {person.department}.*belongs to {person.department}"):
        check_independence([visit], profile)


def test_the_work_is_shared():
    profile = load_profile(SAMPLES[0])
    auditors = [p for p in profile.people if "internal_auditor" in p.roles]
    load = list(assign_auditors(profile.departments, auditors).values())
    assert max(load.count(a.name) for a in auditors) - min(load.count(a.name) for a in auditors) <= 1
