"""The whole company profile, and the lookups every consumer of it shares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import Field, PrivateAttr

from ..errors import Problem
from ..vocab import Vocabulary, vocabulary
from ..yamlload import KeyPath, Location
from .base import Model, Text, text_list
from .certification import Certification, DocumentControl
from .company import Company, Fee, Product
from .facts import Facts
from .organisation import Budget, Department, Person
from .policy import Channels, Policy
from .services import SERVICES_DESCRIPTION, Outlet, Partner, Services

if TYPE_CHECKING:
    from ..trades import TradeModule


class Profile(Model):
    """A company profile: everything docgen needs to write the pack."""

    company: Company
    products: list[Product] = Field(min_length=1, description="Products or service lines (产品).")
    fees: list[Fee] = Field(min_length=1, description="Published fee schedule (收费标准).")
    policy: Policy
    channels: Channels
    services: Services = Field(description=SERVICES_DESCRIPTION)
    partners: list[Partner] = text_list("Entrusted service partners (受托服务商).")
    outlets: list[Outlet] = Field(min_length=1, description="Service outlets (服务网点).")
    departments: list[Department] = Field(min_length=2, description="Departments (组织机构).")
    people: list[Person] = Field(min_length=1, description="People with posts and roles (人员).")
    budget: Budget
    laws: list[Text] = text_list("Extra laws and standards specific to the trade (补充法规标准).")
    document_control: DocumentControl
    certification: Certification
    facts: Facts = Field(default_factory=Facts, description="Service rules stated in several documents (服务规范); defaults documented.")

    _source: str | None = PrivateAttr(None)
    _locations: dict[KeyPath, Location] = PrivateAttr(default_factory=dict)
    _warnings: list[Problem] = PrivateAttr(default_factory=list)
    _trade: Any = PrivateAttr(None)

    @property
    def source(self) -> str | None:
        """The file the profile was read from (None when built in code)."""
        return self._source

    @property
    def locations(self) -> dict[KeyPath, Location]:
        """Key path → (line, column) in the source file, for messages about profile facts."""
        return self._locations

    @property
    def trade(self) -> TradeModule:
        """The trade module of the profile (the neutral one when company.trade is left out)."""
        if self._trade is None:
            from ..catalog import TemplateSet, builtin_templates
            from ..trades import load_trade

            self._trade = load_trade(self.company.trade, TemplateSet(builtin_templates()))
        return self._trade

    def vocabulary(self, name: str) -> Vocabulary:
        """A vocabulary as this profile's trade extends it (services and roles)."""
        base = vocabulary(name)
        if name == "services":
            return base.extend(t.model_dump() for t in self.trade.services)
        if name == "roles":
            return base.extend(t.model_dump() for t in self.trade.roles)
        return base

    @property
    def warnings(self) -> list[Problem]:
        """What the role rules warn of (the profile is usable; an auditor would ask)."""
        return self._warnings

    def after_sales_department(self) -> Department:
        """The one department with the after_sales function (5.1.1.1)."""
        return next(d for d in self.departments if "after_sales" in d.functions)

    def department_for(self, function: str) -> Department:
        """The department responsible for a function (after_sales, hr, quality …); where no
        department carries it, the after-sales department."""
        for d in self.departments:
            if function in d.functions:
                return d
        return self.after_sales_department()
