"""The schedule as an iCalendar file: one all-day event per milestone, with reminders."""

from __future__ import annotations

import datetime as dt
import uuid

from icalendar import Alarm, Calendar, Event

from .schedule import STEPS, Milestone, Schedule

PRODID = "-//docgen//certification schedule//ZH"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "docgen:certification-schedule")
# Reminders at 09:00 local time: seven days before every milestone, one day before audits.
WEEK_BEFORE = -dt.timedelta(days=6, hours=15)
DAY_BEFORE = -dt.timedelta(hours=15)
_AUDITS = ("internal_audit", "document_review", "onsite_audit", "surveillance", "annual_internal_audit")


def milestone_uid(company_id: str, key: str) -> str:
    """A UID that stays the same for one company's milestone, so a re-import updates the event."""
    return f"{uuid.uuid5(_NAMESPACE, f'{company_id}/{key}')}@docgen"


def is_audit(milestone: Milestone) -> bool:
    """Whether a milestone is an audit (it gets a second reminder, one day before)."""
    return milestone.key.rstrip("_0123456789") in _AUDITS


def _alarm(summary: str, trigger: dt.timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", summary)
    alarm.add("trigger", trigger)
    return alarm


def _event(milestone: Milestone, company_id: str, stamp: dt.datetime) -> Event:
    event = Event()
    event.add("uid", milestone_uid(company_id, milestone.key))
    event.add("dtstamp", stamp)
    event.add("dtstart", milestone.start)
    event.add("dtend", milestone.end + dt.timedelta(days=1))
    event.add("summary", milestone.name_cn)
    lines = [milestone.work, milestone.note, f"对应步骤：{milestone.step} {STEPS[milestone.step]}"]
    event.add("description", "\n".join(line for line in lines if line))
    event.add("categories", ["售后服务认证"])
    event.add("transp", "TRANSPARENT")
    event.add_component(_alarm(milestone.name_cn, WEEK_BEFORE))
    if is_audit(milestone):
        event.add_component(_alarm(milestone.name_cn, DAY_BEFORE))
    return event


def schedule_to_ical(schedule: Schedule, *, company_id: str, calendar_name: str, stamp: dt.datetime) -> bytes:
    """The .ics bytes; `stamp` (UTC, or naive taken as UTC) is every DTSTAMP, so equal input gives equal bytes."""
    stamp = stamp.astimezone(dt.UTC) if stamp.tzinfo else stamp.replace(tzinfo=dt.UTC)
    stamp = stamp.replace(microsecond=0)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name)
    for milestone in schedule.milestones:
        cal.add_component(_event(milestone, company_id, stamp))
    return cal.to_ical()
