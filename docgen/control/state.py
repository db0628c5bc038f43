"""A document's control state: edition, revision, dates and revision history, carried from one
build of a pack to the next through the manifest."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ..profile import Profile


@dataclass(frozen=True)
class Revision:
    """One line of a document's revision history (修订记录)."""

    date: dt.date
    version: str
    sections: str  # 全文, or the sections that changed
    summary: str  # 首次发布, 第1次修订：…, 按实际修订 …
    by: str
    approved_by: str

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "date": self.date.isoformat()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Revision:
        return cls(**{**data, "date": dt.date.fromisoformat(data["date"])})


@dataclass(frozen=True)
class ControlState:
    """Edition, revision, dates and history of one document."""

    edition: str
    revision: int
    issue_date: dt.date
    effective_date: dt.date
    history: tuple[Revision, ...] = field(default_factory=tuple)

    def version(self, pattern: str = "{edition}/{revision}") -> str:
        return pattern.format(edition=self.edition, revision=self.revision)

    def revised(self, date: dt.date, sections: str, note: str, by: str, approved_by: str, pattern: str) -> ControlState:
        """The next revision (A/0 → A/1), dated `date`, with its history line."""
        nxt = replace(self, revision=self.revision + 1, issue_date=date, effective_date=date)
        summary = f"第{nxt.revision}次修订" + (f"：{note}" if note else "")
        return replace(nxt, history=self.history + (Revision(date, nxt.version(pattern), sections, summary, by, approved_by),))

    def new_edition(self, edition: str, date: dt.date, note: str, by: str, approved_by: str, pattern: str) -> ControlState:
        """A new edition (A → B), revision 0, every earlier line of history kept."""
        nxt = ControlState(edition, 0, date, date, self.history)
        summary = "换版" + (f"：{note}" if note else "")
        return replace(nxt, history=self.history + (Revision(date, nxt.version(pattern), "全文", summary, by, approved_by),))

    def to_json(self) -> dict[str, Any]:
        return {"edition": self.edition, "revision": self.revision, "issue_date": self.issue_date.isoformat(),
                "effective_date": self.effective_date.isoformat(), "history": [r.to_json() for r in self.history]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ControlState:
        return cls(data["edition"], int(data["revision"]), dt.date.fromisoformat(data["issue_date"]),
                   dt.date.fromisoformat(data["effective_date"]), tuple(Revision.from_json(r) for r in data["history"]))


def first_state(profile: Profile, by: str, approved_by: str) -> ControlState:
    """The state of a document built for the first time: the profile's edition, revision and dates."""
    dc = profile.document_control
    version = dc.version_pattern.format(edition=dc.edition, revision=dc.revision)
    summary = "首次发布" if dc.revision == 0 else f"第{dc.revision}次修订"
    return ControlState(dc.edition, dc.revision, dc.issue_date, dc.effective_date,
                        (Revision(dc.issue_date, version, "全文", summary, by, approved_by),))


def next_edition(edition: str) -> str:
    """A → B … Z → AA; an edition that is a number counts up."""
    if edition.isdigit():
        return str(int(edition) + 1)
    if edition and edition[-1].isalpha() and edition[-1].upper() != "Z":
        return edition[:-1] + chr(ord(edition[-1]) + 1)
    return edition + "A"
