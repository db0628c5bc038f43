"""The services offered (5.2) and who performs them: partners and service outlets."""

from __future__ import annotations

from pydantic import Field

from ..vocab import SERVICE_CHANNELS, SERVICES, ModeKey, OutletKindKey, ServiceChannelKey, ServiceKey
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


SERVICES_DESCRIPTION = (
    "Which services are offered and how (5.2), by service key: " + SERVICES.describe()
    + "; a trade module adds its own (e.g. maintenance 维保, rescue 困人救援). A service left out is not offered."
)


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


Services = dict[ServiceKey, Service]
