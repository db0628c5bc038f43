"""The services offered (5.2) and who performs them: partners and service outlets."""

from __future__ import annotations

from pydantic import Field

from ..vocab import SERVICE_CHANNELS, ModeKey, OutletKindKey, ServiceChannelKey
from .base import Model, Text, text_list


class Service(Model):
    """One kind of service: whether offered, and by whom."""

    offered: bool = Field(description="Whether the company offers this service at all.")
    mode: ModeKey = Field(
        "in_house", description="in_house | entrusted | mixed (自营 / 委托 / 自营与委托结合)."
    )
    partners: list[Text] = text_list("Names of entrusted partners, as in the partners list.")
    channels: list[ServiceChannelKey] = text_list(
        "How the service reaches the customer: " + SERVICE_CHANNELS.describe()
        + "; default onsite. A mail-in company never promises on-site times (服务方式)."
    )
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
    kind: OutletKindKey = Field(description="own | entrusted (自营 / 委托).")
    partner: str | None = Field(None, description="For entrusted outlets: the partner's name.")
    city: Text = Field(description="City (所在城市).")
    address: Text = Field(description="Address (地址).")
    phone: Text = Field(description="Phone (电话).")
    staff: int = Field(ge=0, description="Number of service staff (服务人员数).")
