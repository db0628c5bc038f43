"""Document control (numbering, approvals) and the certification project (level, dates, exclusions)."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, field_validator

from ..vocab import LevelKey
from .base import Model, Text, text_list


class DocumentControl(Model):
    """How documents are numbered and approved."""

    prefix: Text = Field(description="Number prefix, usually the company's initials, e.g. YH (文件编号前缀).")
    pattern: Text = Field(
        "{prefix}-{kind}-{seq:02d}",
        description="Number pattern; fields: prefix, kind (SC/CX/ZY/JL/GZ), seq, year.",
    )
    edition: Text = Field("A", description="Edition letter (版本), e.g. A.")
    version_pattern: Text = Field(
        "{edition}/{revision}", description="How a version is written; fields edition, revision (版本/修订状态), e.g. {edition}/{revision}."
    )
    revision: int = Field(0, ge=0, description="Revision number (修订状态), e.g. 0.")
    issue_date: dt.date = Field(description="Issue date (发布日期).")
    effective_date: dt.date = Field(description="Effective date (实施日期).")
    prepared_by: str | None = Field(
        None, description="One person who prepares every document (编制); leave out to apply the approval rule per document kind."
    )
    reviewed_by: str | None = Field(None, description="One person who reviews every document (审核), with prepared_by.")
    approved_by: str | None = Field(None, description="One person who approves every document (批准), with prepared_by.")
    retention_years: int = Field(3, ge=1, description="Default record retention, years (记录保存期限).")

    @field_validator("pattern")
    @classmethod
    def _pattern_ok(cls, value: str) -> str:
        try:
            value.format(prefix="X", kind="CX", seq=1, year=2026)
        except (KeyError, ValueError, IndexError) as exc:
            raise ValueError(
                f"is not a valid pattern ({exc}); use fields {{prefix}}, {{kind}}, {{seq}}, {{year}}"
            ) from None
        return value


class Exclusion(Model):
    """A clause excluded as not applicable (GB/T 27922 6.2.2)."""

    clause: Text = Field(description="Clause number, e.g. 5.2.6.")
    reason: Text = Field(description="Why it does not apply (删减理由).")


class Certification(Model):
    """The certification project."""

    standard: Text = Field("gbt27922-2011", description="Clause catalog to check against (standards/*.yaml).")
    target_level: LevelKey = Field(description="Target level (目标等级).")
    start_date: dt.date = Field(description="Project start (项目启动日期).")
    trial_run_months: int = Field(ge=1, le=3, description="Trial-run months, 1–3 (试运行月数).")
    body: Text = Field(description="Certification body (认证机构).")
    excluded: list[Exclusion] = text_list("Excluded clauses with reasons (删减条款).")
    workdays: dict[dt.date, bool] = Field(
        default_factory=dict,
        description="Days the official holiday calendar does not know yet, or that the company treats otherwise, "
        "for the project schedule: YYYY-MM-DD: true (a working day) or false (a day off) (工作日调整).",
    )
