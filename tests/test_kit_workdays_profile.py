"""The profile's own working-day adjustments reach the project schedule."""

from __future__ import annotations

import datetime as dt

from docgen.kit.build import schedule_of
from docgen.profile import parse_profile

from .conftest import SAMPLE, sample_text


def test_workday_overrides_in_the_profile_move_the_schedule():
    plain = schedule_of(parse_profile(sample_text(), str(SAMPLE)))
    first = plain.milestones[0]
    day_off = first.start
    text = sample_text().replace("certification:\n", f"certification:\n  workdays:\n    {day_off.isoformat()}: false\n", 1)
    moved = schedule_of(parse_profile(text, str(SAMPLE)))
    assert moved.milestones[0].start > day_off  # the start moves to the next working day
    assert isinstance(moved.milestones[0].start, dt.date)
