"""The organisation: departments with their functions, people with their roles, the budget."""

from __future__ import annotations

from pydantic import Field

from ..vocab import FUNCTIONS, ROLES, FunctionKey, RoleKey
from .base import Model, Text, text_list


class Department(Model):
    """A department (部门)."""

    name: Text = Field(description="Department name (部门名称).")
    head: Text = Field(description="Head of department, a name from people (负责人).")
    duties: list[Text] = Field(min_length=1, description="Main after-sales duties (主要职责).")
    reports_to: str | None = Field(
        None, description="The person this department reports to, a name from people; default the general manager (上级)."
    )
    functions: list[FunctionKey] = text_list(
        "What the department is responsible for, from: "
        + FUNCTIONS.describe()
        + ". Exactly one department has after_sales (5.1.1.1)."
    )


class Person(Model):
    """A named person with a post and certification roles."""

    name: Text = Field(description="Full name (姓名).")
    department: Text = Field(description="Department name, from departments (部门).")
    title: Text = Field(description="Post title as used in the company, e.g. 售后服务部经理 (职务).")
    roles: list[RoleKey] = text_list(
        "Roles in the service system: " + ROLES.describe()
    )
    certificate: str | None = Field(None, description="Certificate number, e.g. for 售后服务管理师 (证书编号).")


class Budget(Model):
    """After-sales funding (5.1.3.1)."""

    annual_wan: float = Field(ge=0, description="Annual after-sales budget, 10,000 yuan (年度售后服务经费, 万元).")
    special_fund_wan: float = Field(ge=0, description="Special fund for specific problems, 10,000 yuan (专项资金, 万元).")
    insurance: str | None = Field(None, description="Product liability or other insurance held (保险).")
