"""The `facts:` section: the service rules that several documents state (areas and their time
limits, emergency response, complaint grades, the satisfaction survey, record retention, check
frequencies, the budget calendar, training hours). Every key is optional: what is left out takes
the documented default for the company type (docgen/facts/defaults.yaml) or is derived from the
rest of the profile."""

from __future__ import annotations

from pydantic import Field

from .base import Model, Text, text_list


class Area(Model):
    """A service area with its own on-site time limit (服务区域)."""

    name: Text = Field(description="Area as the commitment names it, e.g. 绍兴、杭州、宁波市区 (区域名称).")
    cities: list[Text] = text_list("Cities the area takes in (for 市区-type areas); empty for 省内其他地区 / 省外.")
    onsite_hours: int = Field(ge=1, le=720, description="On-site time limit in this area, hours (上门时限).")


class Emergency(Model):
    """How fast an emergency (安全事故、人身伤害、群体事件 …) is answered: never at routine repair limits."""

    response_minutes: int | None = Field(None, ge=1, le=240, description="First response after the report, minutes (应急响应时限).")
    onsite_minutes: int | None = Field(None, ge=1, le=1440, description="Arrival on site in the nearest area, minutes (应急到场时限).")
    report_hours: int | None = Field(None, ge=1, le=72, description="Report to the general manager and, where the law requires, the authority, hours (报告时限).")
    scenarios: list[Text] = text_list("Emergencies this company plans for (应急情形), e.g. 燃气泄漏, 困人.")


class ComplaintGrade(Model):
    """One grade of complaint (投诉等级) with its definition, time limits and who it escalates to."""

    name: Text = Field(description="Grade name as every document and form uses it, e.g. 重大投诉 (等级名称).")
    definition: Text = Field(description="What makes a complaint this grade, one sentence (定义).")
    response_hours: int = Field(ge=1, le=72, description="First contact with the complainant, hours (响应时限).")
    close_days: int = Field(ge=1, le=90, description="Closure time limit, days (办结时限).")
    escalate_to: Text = Field(description="Who handles and approves at this grade, a name from people (升级责任人).")


class Survey(Model):
    """How satisfaction is measured (满意度测评)."""

    frequency: Text | None = Field(None, description="e.g. 每季度 (测评频次).")
    sample: Text | None = Field(None, description="Sample rule, e.g. 每个服务网点每次不少于30份 (样本量).")
    method: Text | None = Field(None, description="e.g. 电话回访和问卷调查 (测评方式).")
    analyst: Text | None = Field(None, description="Department that analyses and reports, a name from departments (分析部门).")


class Frequencies(Model):
    """How often recurring checks happen (频次)."""

    own_outlet_inspection: Text | None = Field(None, description="Inspection of own outlets, e.g. 每季度 (自营网点巡检).")
    entrusted_outlet_inspection: Text | None = Field(None, description="Inspection of entrusted outlets (委托网点巡检).")
    partner_evaluation: Text | None = Field(None, description="Evaluation of entrusted partners (委托服务商评价).")
    internal_audit: Text | None = Field(None, description="Internal audit (内部审核).")
    management_review: Text | None = Field(None, description="Management review (管理评审).")
    emergency_drill: Text | None = Field(None, description="Emergency drill (应急演练).")
    kpi_report: Text | None = Field(None, description="Service-indicator statistics (服务指标统计).")


class BudgetCalendar(Model):
    """When the after-sales budget is drawn up and approved (经费预算)."""

    prepare_by: Text | None = Field(None, description="e.g. 每年12月10日前 (编制时间).")
    approve_by: Text | None = Field(None, description="e.g. 每年12月31日前 (批准时间).")


class Training(Model):
    """Training hours (培训学时)."""

    induction_hours: int | None = Field(None, ge=1, le=400, description="Induction before working alone, hours (岗前培训).")
    annual_hours: int | None = Field(None, ge=1, le=400, description="Per person per year, hours (年度培训).")


class Retention(Model):
    """Record retention (记录保存期限)."""

    default_years: int | None = Field(None, ge=1, le=30, description="Records in general, years (一般记录).")
    after_warranty_years: int | None = Field(
        None, ge=0, le=10,
        description="Service records of a product: kept at least the longest warranty plus this many years (保修类记录).",
    )


class Facts(Model):
    """Service rules stated in more than one document, defined once."""

    areas: list[Area] = text_list("Service areas with on-site limits; default: own-outlet cities, the province, elsewhere.")
    emergency: Emergency = Emergency()
    complaint_grades: list[ComplaintGrade] = text_list("Complaint grades, mildest first; default 一般投诉 and 重大投诉.")
    survey: Survey = Survey()
    frequencies: Frequencies = Frequencies()
    budget_calendar: BudgetCalendar = BudgetCalendar()
    training: Training = Training()
    retention: Retention = Retention()
