"""The company, its products with their warranties, and the published fee schedule."""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from ..vocab import CompanyTypeKey
from .base import Model, Text, text_list


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
    trade: str | None = Field(
        None, description="Trade module (行业模块) whose services, laws, regimes and documents the pack uses, e.g. "
        "appliances, gas_appliances, lifts, ecommerce, furniture, automotive; leave out for neutral text."
    )
    type: CompanyTypeKey = Field(
        description="manufacturer | distributor_retailer | ecommerce | service_provider (企业类型)."
    )
    headcount: int = Field(ge=1, description="Number of employees (员工总数).")
    distance_selling: bool | None = Field(
        None, description="Whether the company sells online, by phone, TV or mail (消保法第二十五条: seven-day no-reason "
        "return); default: true for ecommerce, false otherwise (远程销售)."
    )
    phone: str | None = Field(None, description="Switchboard phone (总机).")
    website: str | None = Field(None, description="Website address (网址).")
    profile: Text = Field(description="Two to five sentences about the company for 公司概况.")
    certifications: list[Text] = text_list(
        "Management-system, brand or safety certificates held, e.g. ISO 9001 (5.1.6.3)."
    )
    honours: list[Text] = text_list("Honours and awards (荣誉).")


class PartWarranty(Model):
    """Warranty period of a named part."""

    name: Text = Field(description="Part name, e.g. 压缩机 (部件名称).")
    months: int = Field(ge=0, le=240, description="Warranty period in months (保修期, 月).")


class Warranty(Model):
    """Warranty terms of a product."""

    whole_months: int = Field(ge=0, le=240, description="Whole-product warranty in months (整机保修期).")
    main_parts: list[PartWarranty] = text_list("Main parts with their own periods (主要部件).")
    wearing_parts: list[PartWarranty] = text_list("Wearing parts with their periods (易损件).")


class Product(Model):
    """A product line or a service line."""

    name: Text = Field(description="Product or service line name (产品名称).")
    category: Text = Field(description="Category, e.g. 家用电器 (类别).")
    models: list[Text] = text_list("Representative models (型号).")
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
