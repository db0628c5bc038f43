"""docgen.kit: working days, the certification schedule, its .ics and its Gantt workbook."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from icalendar import Calendar

from docgen.kit.gantt import DATE_FORMAT, build_gantt
from docgen.kit.ical import PRODID, milestone_uid, schedule_to_ical
from docgen.kit.schedule import PHASES, add_months, plan_schedule
from docgen.kit.workdays import (
    add_workdays,
    count_workdays,
    is_workday,
    next_workday,
    previous_workday,
    workday_status,
)
from docgen.render.cells import set_text

D = dt.date
STAMP = dt.datetime(2026, 3, 1, 8, 30, tzinfo=dt.UTC)


# --- working days -------------------------------------------------------------------------------

def test_spring_festival_2026_holiday_and_make_up_days():
    holiday = [D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)]  # 2026-02-15 .. 2026-02-23
    assert holiday[-1] == D(2026, 2, 23)
    assert not any(is_workday(day) for day in holiday)
    assert is_workday(D(2026, 2, 14)) and D(2026, 2, 14).weekday() == 5  # Saturday make-up day
    assert is_workday(D(2026, 2, 28)) and D(2026, 2, 28).weekday() == 5  # Saturday make-up day
    assert next_workday(D(2026, 2, 15)) == (D(2026, 2, 24), None)
    assert previous_workday(D(2026, 2, 23)) == (D(2026, 2, 14), None)
    assert count_workdays(D(2026, 2, 13), D(2026, 2, 28)) == 7


def test_national_day_2026():
    assert not is_workday(D(2026, 10, 1))
    assert next_workday(D(2026, 10, 1)) == (D(2026, 10, 8), None)
    assert is_workday(D(2026, 10, 10))  # Saturday make-up day
    assert not is_workday(D(2026, 10, 11))
    assert previous_workday(D(2026, 10, 7)) == (D(2026, 9, 30), None)


def test_a_workday_stays_put():
    assert next_workday(D(2026, 3, 6)) == (D(2026, 3, 6), None)
    assert previous_workday(D(2026, 3, 6)) == (D(2026, 3, 6), None)


def test_year_without_holiday_data_falls_back_to_weekdays_with_a_warning():
    day, warning = next_workday(D(2031, 1, 4))  # a Saturday
    assert day == D(2031, 1, 6)
    assert warning and "2031" in warning
    assert is_workday(D(2031, 10, 1))  # a Wednesday: no holiday data, so a working day
    assert not is_workday(D(2031, 10, 4))
    working, warning = workday_status(D(2031, 10, 1))
    assert working and "2031" in warning
    assert workday_status(D(2026, 10, 1)) == (False, None)


def test_overrides_win_over_the_package():
    assert next_workday(D(2026, 10, 1), {D(2026, 10, 8): False}) == (D(2026, 10, 9), None)
    assert next_workday(D(2026, 10, 1), {D(2026, 10, 3): True}) == (D(2026, 10, 3), None)
    assert not is_workday(D(2026, 3, 6), {D(2026, 3, 6): False})
    assert is_workday(D(2026, 10, 1), {D(2026, 10, 1): True})
    # an override decides the day, so the fallback is not needed and gives no warning
    assert next_workday(D(2031, 1, 4), {D(2031, 1, 4): True}) == (D(2031, 1, 4), None)


def test_add_workdays_counts_the_start_as_day_one():
    assert add_workdays(D(2026, 3, 6), 1) == (D(2026, 3, 6), [])
    assert add_workdays(D(2026, 3, 6), 2) == (D(2026, 3, 9), [])
    end, warnings = add_workdays(D(2030, 12, 30), 5)
    assert end == D(2031, 1, 3)
    assert any("2030" in w for w in warnings) and any("2031" in w for w in warnings)
    with pytest.raises(ValueError):
        add_workdays(D(2026, 3, 6), 0)


def test_add_months_clamps_to_month_end():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2028, 1, 31), 1) == D(2028, 2, 29)
    assert add_months(D(2026, 3, 31), 1) == D(2026, 4, 30)
    assert add_months(D(2026, 12, 31), 2) == D(2027, 2, 28)
    assert add_months(D(2026, 3, 31), -1) == D(2026, 2, 28)
    assert add_months(D(2026, 1, 15), -13) == D(2024, 12, 15)
    assert add_months(D(2028, 2, 29), 12) == D(2029, 2, 28)


# --- the schedule -------------------------------------------------------------------------------

def _assert_chained(schedule):
    project = schedule.project
    assert [m.key for m in project] == [key for key, _name, _step in PHASES]
    for before, after in zip(project, project[1:]):
        assert after.start > before.end
        assert count_workdays(before.end, after.start) == 2, (before.key, after.key)  # nothing idle between
    for m in project:
        assert m.start <= m.end
        assert is_workday(m.start) and is_workday(m.end), m.key


def test_start_on_a_friday():
    schedule = plan_schedule(D(2026, 3, 6), 3)
    prepare, documents = schedule["prepare"], schedule["documents"]
    assert (prepare.start, prepare.end, prepare.workdays) == (D(2026, 3, 6), D(2026, 3, 19), 10)
    assert prepare.end.weekday() == 3  # Thursday: ten working days from a Friday
    assert documents.start == D(2026, 3, 20)
    assert documents.end == D(2026, 4, 17)  # 20 working days, 清明 2026-04-04..06 skipped
    assert [m.step for m in schedule.project] == [1, 2, 2, 2, 3, 4, 4, 5, 5, 5, 5, 5]
    assert schedule["certificate"].name_cn == "获证"
    _assert_chained(schedule)


def test_start_on_a_non_working_month_end():
    schedule = plan_schedule(D(2026, 1, 31), 1)  # a Saturday
    assert schedule["prepare"].start == D(2026, 2, 2)
    assert schedule["documents"].start == D(2026, 2, 14)  # Saturday make-up day before the Spring Festival
    _assert_chained(schedule)


def test_start_just_before_the_spring_festival():
    schedule = plan_schedule(D(2026, 2, 13), 2)
    assert (schedule["prepare"].start, schedule["prepare"].end) == (D(2026, 2, 13), D(2026, 3, 4))
    assert plan_schedule(D(2026, 2, 16), 2)["prepare"].start == D(2026, 2, 24)


@pytest.mark.parametrize(("months", "end", "audit"), [(1, D(2026, 5, 25), D(2026, 5, 26)),
                                                     (3, D(2026, 7, 23), D(2026, 7, 24))])
def test_trial_run_of_one_and_three_months(months, end, audit):
    schedule = plan_schedule(D(2026, 3, 6), months)
    trial = schedule["trial"]
    assert trial.start == D(2026, 4, 24)
    assert trial.end == end  # 1 month: 2026-05-23 is a Saturday, so the trial ends on Monday
    assert trial.end >= add_months(trial.start, months) - dt.timedelta(days=1)
    assert schedule["internal_audit"].start == audit
    assert schedule["internal_audit"].start >= add_months(trial.start, months)
    assert trial.workdays == count_workdays(trial.start, trial.end)
    assert f"{months}个月" in trial.note


def test_trial_run_starting_at_a_month_end():
    schedule = plan_schedule(D(2025, 12, 12), 1)
    trial = schedule["trial"]
    assert trial.start == D(2026, 1, 30)
    assert trial.end == D(2026, 2, 27)  # one month from Jan 30 is Feb 28, the last trial day before it
    assert schedule["internal_audit"].start == D(2026, 2, 28)  # a Saturday make-up day


def test_trial_months_out_of_range():
    for months in (0, 4):
        with pytest.raises(ValueError):
            plan_schedule(D(2026, 3, 6), months)


def test_maintenance_uses_the_expected_certificate_date():
    schedule = plan_schedule(D(2026, 3, 6), 3)
    assert schedule.certificate_date == schedule["certificate"].end == D(2026, 10, 13)
    assert schedule.expiry == D(2029, 10, 12)
    assert "2026年10月13日" in schedule["certificate"].note
    keys = [m.key for m in schedule.maintenance]
    assert keys == ["annual_internal_audit_1", "annual_management_review_1", "surveillance_1",
                    "annual_internal_audit_2", "annual_management_review_2", "surveillance_2",
                    "annual_internal_audit_3", "annual_management_review_3", "recertification"]
    assert schedule["surveillance_1"].name_cn == "第一次监督审核"
    assert schedule["recertification"].name_cn == "再认证申请"
    for n in (1, 2, 3):
        audit, review = schedule[f"annual_internal_audit_{n}"], schedule[f"annual_management_review_{n}"]
        assert audit.end < review.start
    assert schedule["annual_management_review_1"].end < schedule["surveillance_1"].start
    assert schedule["annual_management_review_3"].end < schedule["recertification"].start


@pytest.mark.parametrize(("certified", "first"), [
    (D(2025, 10, 8), D(2026, 10, 8)),   # the limit is a working day
    (D(2025, 10, 5), D(2026, 9, 30)),   # the limit falls in the National Day holiday: back to Sep 30
    (D(2025, 10, 11), D(2026, 10, 10)),  # a Sunday limit: back to the Saturday make-up day
])
def test_first_surveillance_within_twelve_months(certified, first):
    schedule = plan_schedule(D(2025, 1, 6), 1, certified_on=certified)
    surveillance = schedule["surveillance_1"]
    assert schedule.certificate_date == certified
    assert surveillance.start == surveillance.end == first
    assert surveillance.end <= add_months(certified, 12)
    assert schedule["surveillance_2"].end <= add_months(certified, 24)
    assert "实际获证日期" in schedule["certificate"].note


def test_leap_day_certificate():
    schedule = plan_schedule(D(2027, 3, 1), 1, certified_on=D(2028, 2, 29))
    assert schedule["surveillance_1"].end == D(2029, 2, 28)
    assert schedule.expiry == D(2031, 2, 27)


@pytest.mark.parametrize(("certified", "expiry", "apply_by"), [
    (D(2026, 6, 15), D(2029, 6, 14), D(2029, 3, 14)),
    (D(2026, 6, 19), D(2029, 6, 18), D(2029, 3, 16)),  # 2029-03-18 is a Sunday: back to Friday
])
def test_recertification_three_months_before_expiry(certified, expiry, apply_by):
    schedule = plan_schedule(D(2025, 11, 3), 1, certified_on=certified)
    assert schedule.expiry == expiry == add_months(certified, 36) - dt.timedelta(days=1)
    recert = schedule["recertification"]
    assert recert.end == apply_by
    assert recert.end <= add_months(expiry, -3)
    assert (add_months(expiry, -3) - recert.end).days < 3
    assert "证书有效期至" in recert.note


def test_warnings_name_each_uncovered_year_once():
    schedule = plan_schedule(D(2026, 3, 6), 3)
    years = [y for y in range(2026, 2032) if any(str(y) in w for w in schedule.warnings)]
    assert years == [2027, 2028, 2029]
    assert len(schedule.warnings) == 3
    late = plan_schedule(D(2031, 3, 3), 1)
    assert late["prepare"].start == D(2031, 3, 3)
    assert any("2031" in w for w in late.warnings)
    assert all(m.start.weekday() < 5 and m.end.weekday() < 5 for m in late.milestones)


def test_overrides_move_the_plan():
    plain = plan_schedule(D(2026, 3, 6), 1)
    moved = plan_schedule(D(2026, 3, 6), 1, overrides={D(2026, 3, 6): False})
    assert plain["prepare"].start == D(2026, 3, 6)
    assert moved["prepare"].start == D(2026, 3, 9)
    extra = plan_schedule(D(2026, 3, 7), 1, overrides={D(2026, 3, 7): True})
    assert extra["prepare"].start == D(2026, 3, 7)


# --- iCalendar ----------------------------------------------------------------------------------

def _ics(schedule, stamp=STAMP, company="91310000MA1FL0001X"):
    return schedule_to_ical(schedule, company_id=company, calendar_name="示例公司售后服务认证", stamp=stamp)


def test_ics_parses_back_with_one_event_per_milestone():
    schedule = plan_schedule(D(2026, 3, 6), 3)
    cal = Calendar.from_ical(_ics(schedule))
    events = cal.walk("VEVENT")
    assert len(events) == len(schedule.milestones) == 21
    assert str(cal["PRODID"]) == PRODID
    assert str(cal["X-WR-CALNAME"]) == "示例公司售后服务认证"
    first = events[0]
    assert str(first["SUMMARY"]) == "启动准备与自我评价"
    assert first.decoded("DTSTART") == D(2026, 3, 6)
    assert first.decoded("DTEND") == D(2026, 3, 20)  # exclusive: the day after 2026-03-19
    assert not isinstance(first.decoded("DTSTART"), dt.datetime)
    assert first.decoded("DTSTAMP") == STAMP
    one_day = events[[m.key for m in schedule.milestones].index("surveillance_1")]
    assert one_day.decoded("DTEND") - one_day.decoded("DTSTART") == dt.timedelta(days=1)


def test_ics_uids_are_stable_and_alarms_present():
    schedule = plan_schedule(D(2026, 3, 6), 3)
    first = Calendar.from_ical(_ics(schedule)).walk("VEVENT")
    later = Calendar.from_ical(_ics(schedule, stamp=dt.datetime(2026, 5, 1))).walk("VEVENT")
    uids = [str(e["UID"]) for e in first]
    assert uids == [str(e["UID"]) for e in later]
    assert len(set(uids)) == len(uids)
    assert uids[0] == milestone_uid("91310000MA1FL0001X", "prepare")
    other = Calendar.from_ical(_ics(schedule, company="91440300MA5XXXXX0Y")).walk("VEVENT")
    assert not set(uids) & {str(e["UID"]) for e in other}
    by_key = dict(zip((m.key for m in schedule.milestones), first))
    for key, event in by_key.items():
        alarms = event.walk("VALARM")
        audit = key in ("internal_audit", "document_review", "onsite_audit", "surveillance_1", "surveillance_2") \
            or key.startswith("annual_internal_audit")
        assert len(alarms) == (2 if audit else 1), key
        assert alarms[0].decoded("TRIGGER") == -dt.timedelta(days=6, hours=15)
        assert str(alarms[0]["ACTION"]) == "DISPLAY"
    assert by_key["onsite_audit"].walk("VALARM")[1].decoded("TRIGGER") == -dt.timedelta(hours=15)


def test_ics_is_deterministic():
    schedule = plan_schedule(D(2026, 3, 6), 3)
    assert _ics(schedule) == _ics(plan_schedule(D(2026, 3, 6), 3))
    assert _ics(schedule) != _ics(schedule, stamp=dt.datetime(2026, 5, 1))


# --- Gantt workbook -----------------------------------------------------------------------------

NAME = '=HYPERLINK("http://example.invalid","x")有限公司'


def _gantt(schedule):
    return build_gantt(schedule, company_name=NAME, stamp=dt.datetime(2026, 3, 1, 8, 30))


def test_set_text_keeps_formula_like_text():
    ws = openpyxl.Workbook().active
    set_text(ws["A1"], "=1+1")
    assert ws["A1"].data_type == "s" and ws["A1"].value == "=1+1"


def test_gantt_reopens_with_text_and_dates():
    schedule = plan_schedule(D(2026, 3, 6), 3)
    wb = openpyxl.load_workbook(io.BytesIO(_gantt(schedule)))
    assert wb.sheetnames == ["进度计划", "获证后维护"]
    ws = wb["进度计划"]
    assert ws["A1"].value.startswith(NAME) and ws["A1"].data_type == "s"
    header = [ws.cell(2, c).value for c in range(1, 9)]
    assert header == ["序号", "阶段", "工作内容", "开始日期", "完成日期", "工作日数", "对应步骤", "备注"]
    assert ws["B3"].value == "启动准备与自我评价" and ws["G3"].value.startswith("1 ")
    start, end = ws["D3"], ws["E3"]
    assert start.is_date and start.value.date() == D(2026, 3, 6)
    assert end.is_date and end.value.date() == D(2026, 3, 19)
    assert start.number_format == DATE_FORMAT
    assert ws["F3"].value == 10 and ws["A3"].value == 1
    assert ws.max_row == 2 + len(schedule.project)
    assert ws["B3"].font.name == "宋体" and ws["B3"].font.charset == 134
    assert ws.freeze_panes == "C3"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert ws.print_title_rows == "$1:$2"
    upkeep = wb["获证后维护"]
    assert upkeep["B3"].value == "第一年度内部审核"
    assert upkeep.max_row == 2 + len(schedule.maintenance)
    assert upkeep["A1"].data_type == "s" and upkeep["A1"].value.startswith("=")


def test_gantt_fills_the_active_weeks():
    schedule = plan_schedule(D(2026, 3, 6), 3)
    ws = openpyxl.load_workbook(io.BytesIO(_gantt(schedule)))["进度计划"]
    weeks = {ws.cell(2, c).value.date(): c for c in range(9, ws.max_column + 1)}
    assert min(weeks) == D(2026, 3, 2)  # the Monday of the start week
    filled = [ws.cell(3, c).fill.fill_type == "solid" for c in range(9, ws.max_column + 1)]
    assert filled[:3] == [True, True, True]  # 2026-03-06..03-19 touches three weeks
    assert not any(filled[3:])
    release = [ws.cell(6, c).fill.fill_type == "solid" for c in weeks.values()]
    assert release.count(True) == 1 and ws["B6"].value == "文件发布"
    upkeep = openpyxl.load_workbook(io.BytesIO(_gantt(schedule)))["获证后维护"]
    months = [upkeep.cell(2, c).value.date() for c in range(9, upkeep.max_column + 1)]
    assert months[0] == D(2026, 10, 1) and months[-1] == D(2029, 10, 1)


def test_gantt_is_deterministic():
    schedule = plan_schedule(D(2026, 3, 6), 3)
    data = _gantt(schedule)
    assert data == _gantt(plan_schedule(D(2026, 3, 6), 3))
    props = openpyxl.load_workbook(io.BytesIO(data)).properties
    assert props.created == props.modified == dt.datetime(2026, 3, 1, 8, 30)
