"""The template context: the profile as plain data plus a few lookups every template needs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .profile import (
    COMPANY_TYPE_CN,
    FUNCTION_NAMES_CN,
    ROLE_NAMES_CN,
    SERVICE_NAMES_CN,
    Profile,
)

MODE_CN = {"in_house": "自营", "entrusted": "委托", "mixed": "自营与委托相结合"}
KIND_CN = {
    "manual": "售后服务手册",
    "procedure": "程序文件",
    "work_instruction": "作业指导书",
    "record": "记录表单",
    "project": "认证工作文件",
}


class DocRef(dict):
    """A document in the pack as templates see it: number, title, kind; str() gives 《title》（number）."""

    def __str__(self) -> str:
        return f"《{self['title']}》（{self['number']}）"

    def __html__(self) -> str:  # Jinja treats this as markup-safe only after escaping below
        from markupsafe import escape

        return str(escape(str(self)))


def profile_context(profile: Profile) -> dict[str, Any]:
    """Everything shared by all documents of one build (computed once per build)."""
    data = profile.model_dump(mode="python")
    people = data["people"]
    departments = data["departments"]
    dept_by_name = {d["name"]: d for d in departments}
    after_sales = next(d for d in departments if "after_sales" in d["functions"])

    def with_role(role: str) -> list[dict]:
        return [p for p in people if role in p["roles"]]

    def dept_for(function: str) -> dict:
        """The department responsible for a function (after_sales, hr, quality …), else after-sales."""
        for d in departments:
            if function in d["functions"]:
                return d
        return after_sales

    for p in people:
        p["roles_cn"] = [ROLE_NAMES_CN[r] for r in p["roles"]]
    for d in departments:
        d["functions_cn"] = [FUNCTION_NAMES_CN[f] for f in d["functions"]]
        d["members"] = [p for p in people if p["department"] == d["name"]]
        d["head_title"] = next((p["title"] for p in people if p["name"] == d["head"]), "负责人")

    services = {}
    for key, cn in SERVICE_NAMES_CN.items():
        svc = dict(data["services"][key])
        svc["key"] = key
        svc["name_cn"] = cn
        svc["mode_cn"] = MODE_CN[svc["mode"]]
        svc["in_house"] = svc["offered"] and svc["mode"] in {"in_house", "mixed"}
        svc["entrusted"] = svc["offered"] and svc["mode"] in {"entrusted", "mixed"}
        services[key] = svc

    outlets = data["outlets"]
    ctx = dict(data)
    ctx.update(
        services=services,
        company_type_cn=COMPANY_TYPE_CN[data["company"]["type"]],
        general_manager=with_role("general_manager")[0],
        management_representative=with_role("management_representative")[0],
        after_sales_head=with_role("after_sales_head")[0],
        service_managers=with_role("service_manager"),
        internal_auditors=with_role("internal_auditor"),
        after_sales_dept=after_sales,
        supervision_dept=dept_for("supervision"),
        own_outlets=[o for o in outlets if o["kind"] == "own"],
        entrusted_outlets=[o for o in outlets if o["kind"] == "entrusted"],
        outlet_staff_total=sum(o["staff"] for o in outlets),
        offered_services=[s for s in services.values() if s["offered"]],
        entrusted_services=[s for s in services.values() if s["entrusted"]],
        excluded_clauses={e["clause"]: e["reason"] for e in data["certification"]["excluded"]},
        role_names=ROLE_NAMES_CN,
        function_names=FUNCTION_NAMES_CN,
    )
    ctx["dept_by_name"] = dept_by_name
    ctx["with_role"] = with_role
    ctx["dept_for"] = dept_for
    return ctx


def cn_date(value: dt.date | None) -> str:
    """2026-09-01 → 2026年9月1日."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (0–99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def pct(value: float) -> str:
    """95.0 → 95%, 92.5 → 92.5%."""
    return f"{num(value)}%"


def months(n: int) -> str:
    """36 → 3年, 18 → 18个月."""
    if n and n % 12 == 0:
        return f"{n // 12}年"
    return f"{n}个月"


def num(value: float) -> str:
    """380.0 → 380, 12.50 → 12.5, 1234567 → 1234567 (never scientific notation)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text if text not in {"-0", ""} else "0"


FILTERS = {"cn_date": cn_date, "cn_number": cn_number, "pct": pct, "months": months, "num": num}
