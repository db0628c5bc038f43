"""Certification project kit: working-day calendar, project schedule, iCalendar and Gantt exports."""
