"""The company profile model (company.yaml), defined once: every field documented, validated
with file/line/key errors, and exported as JSON Schema for editor completion."""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import Problem, ProfileError
from .yamlload import XML_ILLEGAL, KeyPath, dotted, load_yaml, read_text


def _check_text(value: str) -> str:
    bad = XML_ILLEGAL.search(value)
    if bad:
        raise ValueError(
            f"contains the control character U+{ord(bad.group()):04X} at position "
            f"{bad.start() + 1}, which Word and Excel files cannot hold; remove it"
        )
    return value


class Model(BaseModel):
    """Base for every profile section: unknown keys are errors, text is checked for XML safety."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _xml_safe(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for value in data.values():
                if isinstance(value, str):
                    _check_text(value)
        return data


Text = Annotated[str, Field(min_length=1)]


def _text_list(description: str, **kw: Any) -> Any:
    return Field(default_factory=list, description=description, **kw)


CompanyType = Literal["manufacturer", "distributor_retailer", "ecommerce", "service_provider"]


COMPANY_TYPE_CN = {
    "manufacturer": "生产制造企业",
    "distributor_retailer": "经销/零售企业",
    "ecommerce": "电子商务企业",
    "service_provider": "服务提供企业",
}


class Company(Model):
    """The legal entity that seeks certification."""

    name: Text = Field(description="Full legal name as on the business licence (企业名称).")
    short_name: Text = Field(description="Short name used in running text (企业简称).")
    credit_code: str | None = Field(None, description="Unified social credit code (统一社会信用代码).")
    address: Text = Field(description="Registered or main business address (地址).")
    legal_representative: Text = Field(description="Legal representative (法定代表人).")
    founded: dt.date = Field(description="Founding date, YYYY-MM-DD (成立日期).")
    business_scope: Text = Field(description="Business scope as on the licence (经营范围).")
    industry: Text = Field(description="Industry in plain words, e.g. 家用电器制造 (所属行业).")
    type: CompanyType = Field(
        description="manufacturer | distributor_retailer | ecommerce | service_provider (企业类型)."
    )
    headcount: int = Field(ge=1, description="Number of employees (员工总数).")
    phone: str | None = Field(None, description="Switchboard phone (总机).")
    website: str | None = Field(None, description="Website address (网址).")
    profile: Text = Field(description="Two to five sentences about the company for 公司概况.")
    certifications: list[Text] = _text_list(
        "Management-system, brand or safety certificates held, e.g. ISO 9001 (5.1.6.3)."
    )
    honours: list[Text] = _text_list("Honours and awards (荣誉).")


class PartWarranty(Model):
    """Warranty period of a named part."""

    name: Text = Field(description="Part name, e.g. 压缩机 (部件名称).")
    months: int = Field(ge=0, le=240, description="Warranty period in months (保修期, 月).")


class Warranty(Model):
    """Warranty terms of a product."""

    whole_months: int = Field(ge=0, le=240, description="Whole-product warranty in months (整机保修期).")
    main_parts: list[PartWarranty] = _text_list("Main parts with their own periods (主要部件).")
    wearing_parts: list[PartWarranty] = _text_list("Wearing parts with their periods (易损件).")


class Product(Model):
    """A product line or a service line."""

    name: Text = Field(description="Product or service line name (产品名称).")
    category: Text = Field(description="Category, e.g. 家用电器 (类别).")
    models: list[Text] = _text_list("Representative models (型号).")
    warranty: Warranty = Field(description="Warranty terms (保修条款).")
    sanbao: str | None = Field(
        None, description="Applicable 三包 rule by exact name, e.g. 《家用汽车产品修理更换退货责任规定》."
    )
    service_life_years: int | None = Field(None, ge=1, le=50, description="Design service life (使用寿命, 年).")


class Fee(Model):
    """One line of the published fee schedule (收费标准)."""

    item: Text = Field(description="Service item, e.g. 上门检测费 (收费项目).")
    unit: Text = Field(description="Unit, e.g. 次, 台 (单位).")
    price: Text = Field(description="Price as published, e.g. 50 or 按配件价格表 (价格, 元).")
    note: str | None = Field(None, description="Conditions, e.g. 保修期内免收 (说明).")


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


class Service(Model):
    """One kind of service: whether offered, and by whom."""

    offered: bool = Field(description="Whether the company offers this service at all.")
    mode: Literal["in_house", "entrusted", "mixed"] = Field(
        "in_house", description="in_house | entrusted | mixed (自营 / 委托 / 自营与委托结合)."
    )
    partners: list[Text] = _text_list("Names of entrusted partners, as in the partners list.")
    note: str | None = Field(None, description="How it is done, in one or two sentences (说明).")


class Services(Model):
    """Which services are offered and how (5.2)."""

    delivery: Service = Field(description="Delivery (配送), 5.2.3.")
    installation: Service = Field(description="Installation and commissioning (安装调试), 5.2.2.")
    technical_support: Service = Field(description="Technical support and training (技术支持与培训), 5.2.2.")
    repair: Service = Field(description="Repair and maintenance (维修), 5.2.4.")
    spare_parts: Service = Field(description="Spare-parts supply (配件供应), 5.2.4.")
    returns: Service = Field(description="Returns and exchanges, 三包 (退换货), 5.2.5.")
    recall: Service = Field(description="Recall of defective products (召回), 5.2.5.")
    recycling: Service = Field(description="End-of-life take-back and recycling (废弃商品回收), 5.2.6.")


SERVICE_NAMES_CN = {
    "delivery": "配送",
    "installation": "安装调试",
    "technical_support": "技术支持与培训",
    "repair": "维修",
    "spare_parts": "配件供应",
    "returns": "退换货",
    "recall": "召回",
    "recycling": "废弃商品回收",
}


class Partner(Model):
    """An entrusted service partner (受托方)."""

    name: Text = Field(description="Partner's legal name (受托方名称).")
    services: list[Text] = Field(min_length=1, description="Service keys it performs, e.g. [delivery].")
    contact: str | None = Field(None, description="Contact person (联系人).")
    phone: str | None = Field(None, description="Phone (电话).")
    contract_no: str | None = Field(None, description="Service agreement number (合同编号).")


class Outlet(Model):
    """A service outlet (服务网点)."""

    name: Text = Field(description="Outlet name (网点名称).")
    kind: Literal["own", "entrusted"] = Field(description="own | entrusted (自营 / 委托).")
    partner: str | None = Field(None, description="For entrusted outlets: the partner's name.")
    city: Text = Field(description="City (所在城市).")
    address: Text = Field(description="Address (地址).")
    phone: Text = Field(description="Phone (电话).")
    staff: int = Field(ge=0, description="Number of service staff (服务人员数).")


FUNCTION_NAMES_CN = {
    "after_sales": "售后服务",
    "supervision": "服务监督",
    "management": "综合管理",
    "hr": "人力资源",
    "finance": "财务",
    "quality": "质量管理",
    "sales": "销售",
    "production": "生产",
    "purchasing": "采购",
    "warehouse": "仓储物流",
    "rnd": "技术研发",
    "customer_service": "客户服务",
    "document_control": "文件管理",
}

Function = Literal[
    "after_sales",
    "supervision",
    "management",
    "hr",
    "finance",
    "quality",
    "sales",
    "production",
    "purchasing",
    "warehouse",
    "rnd",
    "customer_service",
    "document_control",
]


class Department(Model):
    """A department (部门)."""

    name: Text = Field(description="Department name (部门名称).")
    head: Text = Field(description="Head of department, a name from people (负责人).")
    duties: list[Text] = Field(min_length=1, description="Main after-sales duties (主要职责).")
    functions: list[Function] = _text_list(
        "What the department is responsible for, from: "
        + ", ".join(f"{k} ({v})" for k, v in FUNCTION_NAMES_CN.items())
        + ". Exactly one department has after_sales (5.1.1.1)."
    )


ROLE_NAMES_CN = {
    "general_manager": "总经理",
    "management_representative": "管理者代表",
    "after_sales_head": "售后服务负责人",
    "service_manager": "售后服务管理师",
    "internal_auditor": "内审员",
    "document_controller": "文件管理员",
    "complaint_handler": "投诉专员",
    "engineer": "服务工程师",
    "customer_service": "客服专员",
    "supervisor": "服务监督员",
}

Role = Literal[
    "general_manager",
    "management_representative",
    "after_sales_head",
    "service_manager",
    "internal_auditor",
    "document_controller",
    "complaint_handler",
    "engineer",
    "customer_service",
    "supervisor",
]


class Person(Model):
    """A named person with a post and certification roles."""

    name: Text = Field(description="Full name (姓名).")
    department: Text = Field(description="Department name, from departments (部门).")
    title: Text = Field(description="Post title as used in the company, e.g. 售后服务部经理 (职务).")
    roles: list[Role] = _text_list(
        "Roles in the service system: " + ", ".join(f"{k} ({v})" for k, v in ROLE_NAMES_CN.items())
    )
    certificate: str | None = Field(None, description="Certificate number, e.g. for 售后服务管理师 (证书编号).")


class Budget(Model):
    """After-sales funding (5.1.3.1)."""

    annual_wan: float = Field(ge=0, description="Annual after-sales budget, 10,000 yuan (年度售后服务经费, 万元).")
    special_fund_wan: float = Field(ge=0, description="Special fund for specific problems, 10,000 yuan (专项资金, 万元).")
    insurance: str | None = Field(None, description="Product liability or other insurance held (保险).")


class DocumentControl(Model):
    """How documents are numbered and approved."""

    prefix: Text = Field(description="Number prefix, usually the company's initials, e.g. YH (文件编号前缀).")
    pattern: Text = Field(
        "{prefix}-{kind}-{seq:02d}",
        description="Number pattern; fields: prefix, kind (SC/CX/ZY/JL/GZ), seq, year.",
    )
    edition: Text = Field("A", description="Edition letter (版本), e.g. A.")
    revision: int = Field(0, ge=0, description="Revision number (修订状态), e.g. 0.")
    issue_date: dt.date = Field(description="Issue date (发布日期).")
    effective_date: dt.date = Field(description="Effective date (实施日期).")
    prepared_by: Text = Field(description="Who prepares documents, a name from people (编制).")
    reviewed_by: Text = Field(description="Who reviews, a name from people (审核).")
    approved_by: Text = Field(description="Who approves, a name from people (批准).")
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
    target_level: Literal["达标", "三星", "四星", "五星"] = Field(description="Target level (目标等级).")
    start_date: dt.date = Field(description="Project start (项目启动日期).")
    trial_run_months: int = Field(ge=1, le=3, description="Trial-run months, 1–3 (试运行月数).")
    body: Text = Field(description="Certification body (认证机构).")
    excluded: list[Exclusion] = _text_list("Excluded clauses with reasons (删减条款).")


class Profile(Model):
    """A company profile: everything docgen needs to write the pack."""

    company: Company
    products: list[Product] = Field(min_length=1, description="Products or service lines (产品).")
    fees: list[Fee] = Field(min_length=1, description="Published fee schedule (收费标准).")
    policy: Policy
    channels: Channels
    services: Services
    partners: list[Partner] = _text_list("Entrusted service partners (受托服务商).")
    outlets: list[Outlet] = Field(min_length=1, description="Service outlets (服务网点).")
    departments: list[Department] = Field(min_length=2, description="Departments (组织机构).")
    people: list[Person] = Field(min_length=1, description="People with posts and roles (人员).")
    budget: Budget
    laws: list[Text] = _text_list("Extra laws and standards specific to the trade (补充法规标准).")
    document_control: DocumentControl
    certification: Certification


def load_profile(path: str | Path) -> Profile:
    """Read, parse and validate a company profile; raise ProfileError with every problem."""
    path = Path(path)
    text = read_text(path)
    return parse_profile(text, str(path))


def parse_profile(text: str, filename: str = "<profile>") -> Profile:
    """Validate profile text; all problems are reported at once with line numbers."""
    structural: list[Problem] = []
    data, locations = load_yaml(text, filename, problems=structural)
    if not isinstance(data, dict):
        raise ProfileError(
            structural
            + [Problem("expected a mapping of sections (company:, products:, …) at the top", file=filename, line=1)]
        )
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        flagged = {p.key for p in structural}
        found = [p for p in _problems(exc, data, locations, filename) if p.key not in flagged]
        raise ProfileError(_sorted(structural + found)) from None
    problems = structural + _cross_check(profile, locations, filename)
    if problems:
        raise ProfileError(_sorted(problems))
    return profile


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.line or 0, p.column or 0))


def _location(locations: dict[KeyPath, tuple[int, int]], loc: KeyPath) -> tuple[int | None, int | None]:
    for n in range(len(loc), -1, -1):
        if loc[:n] in locations:
            return locations[loc[:n]]
    return None, None


def _model_at(loc: KeyPath) -> type[BaseModel] | None:
    model: Any = Profile
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return None
        ann = field.annotation
        args = getattr(ann, "__args__", ())
        candidates = [ann, *args]
        model = next((c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None)
        if model is None:
            return None
    return model


def _found(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _problems(exc: ValidationError, data: Any, locations: dict, filename: str) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        loc: KeyPath = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        # Drop union/enum branch markers pydantic adds (e.g. 'str', 'date').
        loc = tuple(p for p in loc if not (isinstance(p, str) and p in {"str", "date", "int"} and loc and p != loc[-1]))
        line, col = _location(locations, loc)
        kind = err["type"]
        if kind == "extra_forbidden":
            parent = _model_at(loc[:-1])
            known = list(parent.model_fields) if parent else []
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; expected one of: {', '.join(known)}"
            message = f"unknown key {loc[-1]!r}{hint}"
        elif kind == "missing":
            message = "required key is missing"
            parent_loc = loc[:-1]
            line, col = _location(locations, parent_loc)
        else:
            message = _expected(err) + f", got {_found(err.get('input'))}"
        problems.append(Problem(message, file=filename, line=line, column=col, key=dotted(loc) or None))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


_EXPECTED = {
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "bool_parsing": "expected true or false",
    "date_from_datetime_parsing": "expected a date as YYYY-MM-DD",
    "date_parsing": "expected a date as YYYY-MM-DD",
    "date_from_datetime_inexact": "expected a date as YYYY-MM-DD",
    "string_type": "expected text",
    "list_type": "expected a list",
    "model_type": "expected a mapping",
    "dict_type": "expected a mapping",
    "string_too_short": "expected non-empty text",
}


def _expected(err: dict) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    if kind in {"enum", "literal_error"}:
        return f"expected one of {ctx.get('expected', '')}".replace("'", "")
    if kind == "too_short":
        return f"expected at least {ctx.get('min_length')} item(s)"
    if kind in {"greater_than_equal", "less_than_equal", "greater_than", "less_than"}:
        bound = {"greater_than_equal": "≥", "less_than_equal": "≤", "greater_than": ">", "less_than": "<"}[kind]
        limit = next(iter(ctx.values()), "")
        return f"expected a number {bound} {limit}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return "expected " + err["msg"][0].lower() + err["msg"][1:]


def _cross_check(profile: Profile, locations: dict, filename: str) -> list[Problem]:
    """Checks that span sections: names must refer to people, departments and partners that exist."""
    problems: list[Problem] = []

    def add(loc: KeyPath, message: str) -> None:
        line, col = _location(locations, loc)
        problems.append(Problem(message, file=filename, line=line, column=col, key=dotted(loc)))

    people = {p.name for p in profile.people}
    depts = {d.name for d in profile.departments}
    partners = {p.name for p in profile.partners}

    def need(names: set[str], value: str, loc: KeyPath, what: str) -> None:
        if value not in names:
            close = difflib.get_close_matches(value, sorted(names), n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            add(loc, f"expected the name of one of the {what}, got {value!r}{hint}")

    for i, d in enumerate(profile.departments):
        need(people, d.head, ("departments", i, "head"), "people")
    for i, p in enumerate(profile.people):
        need(depts, p.department, ("people", i, "department"), "departments")
    for key in ("prepared_by", "reviewed_by", "approved_by"):
        need(people, getattr(profile.document_control, key), ("document_control", key), "people")
    for i, o in enumerate(profile.outlets):
        if o.kind == "entrusted":
            if not o.partner:
                add(("outlets", i, "kind"), "an entrusted outlet needs partner: (the partner's name)")
            else:
                need(partners, o.partner, ("outlets", i, "partner"), "partners")
    for name in SERVICE_NAMES_CN:
        svc: Service = getattr(profile.services, name)
        for j, partner in enumerate(svc.partners):
            need(partners, partner, ("services", name, "partners", j), "partners")
        if svc.offered and svc.mode in {"entrusted", "mixed"} and not svc.partners:
            add(("services", name, "mode"), f"an {svc.mode} service needs partners: (at least one name)")
    for i, p in enumerate(profile.partners):
        for j, s in enumerate(p.services):
            if s not in SERVICE_NAMES_CN:
                add(("partners", i, "services", j), f"expected one of {', '.join(SERVICE_NAMES_CN)}, got {s!r}")
    for role in ("general_manager", "management_representative", "after_sales_head"):
        if not any(role in p.roles for p in profile.people):
            add(("people",), f"expected one person with the role {role} ({ROLE_NAMES_CN[role]})")
    if not any("service_manager" in p.roles for p in profile.people):
        add(("people",), "expected at least one person with the role service_manager (售后服务管理师, 5.1.2.2)")
    owners = [d.name for d in profile.departments if "after_sales" in d.functions]
    if len(owners) != 1:
        add(
            ("departments",),
            "expected exactly one department with after_sales in its functions (5.1.1.1), "
            f"got {len(owners)}" + (f": {', '.join(owners)}" if owners else ""),
        )
    seen: set[str] = set()
    for i, ex in enumerate(profile.certification.excluded):
        if ex.clause in seen:
            add(("certification", "excluded", i, "clause"), f"clause {ex.clause} is excluded twice")
        seen.add(ex.clause)
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


def json_schema() -> dict[str, Any]:
    """The profile's JSON Schema, with every field's description."""
    schema = Profile.model_json_schema()
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["title"] = "docgen company profile"
    return schema
