"""Service philosophy, policy, measurable targets and time limits, commitments and channels."""

from __future__ import annotations

from pydantic import Field

from .base import Model, Text


class Targets(Model):
    """Measurable service targets (服务目标) and time limits (时限)."""

    satisfaction_pct: float = Field(ge=0, le=100, description="Customer satisfaction target, % (顾客满意度).")
    complaint_resolution_pct: float = Field(ge=0, le=100, description="Complaint resolution rate, % (投诉处理率/办结率).")
    timely_rate_pct: float = Field(ge=0, le=100, description="Service timeliness rate, % (服务及时率).")
    first_fix_rate_pct: float = Field(ge=0, le=100, description="First-time fix rate, % (一次修复率).")
    followup_rate_pct: float = Field(ge=0, le=100, description="Follow-up rate, % (回访率).")
    response_minutes: int = Field(ge=1, description="Time to answer a request, minutes (响应时限).")
    onsite_hours_city: int = Field(ge=1, description="On-site time within the city, hours (市区上门时限).")
    onsite_hours_region: int = Field(ge=1, description="On-site time elsewhere in the province, hours (省内上门时限).")
    onsite_hours_remote: int = Field(ge=1, description="On-site time across provinces, hours (省外上门时限).")
    repair_days: int = Field(ge=1, description="Normal repair completion time, days (维修完成时限).")
    complaint_response_hours: int = Field(ge=1, description="Complaint first response, hours (投诉响应时限).")
    complaint_close_days: int = Field(ge=1, description="Complaint closure time limit, days (投诉办结时限).")
    followup_days: int = Field(ge=1, description="Follow-up call within N days after service (回访时限).")
    spare_parts_days: int = Field(ge=1, description="Spare part delivery time, days (配件供应时限).")


class Policy(Model):
    """Service philosophy, policy, targets and commitments."""

    philosophy: Text = Field(description="Service philosophy (服务理念).")
    policy: Text = Field(description="Service policy (服务方针).")
    targets: Targets = Field(description="Measurable targets and time limits (服务目标).")
    commitments: list[Text] = Field(min_length=1, description="Service commitments as published (服务承诺).")


class Channels(Model):
    """How customers reach the company."""

    hotline: Text = Field(description="Service hotline (服务热线).")
    hotline_hours: Text = Field(description="Hotline hours, e.g. 每天 8:00—20:00 (服务时间).")
    supervision_hotline: Text = Field(description="Supervision/complaint line to management (监督电话).")
    online: str | None = Field(None, description="Online service: website or shop customer service (在线客服).")
    wechat: str | None = Field(None, description="WeChat official account or service number (微信公众号).")
    email: str | None = Field(None, description="Service e-mail (服务邮箱).")
