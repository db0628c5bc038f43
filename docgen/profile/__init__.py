"""The company profile (company.yaml), defined once: one module per section, every field
documented, validated with file/line/key errors, and exported as JSON Schema for editors."""

from __future__ import annotations

from typing import Any

from .base import Model, Text, check_text
from .certification import Certification, DocumentControl, Exclusion
from .company import Company, Fee, PartWarranty, Product, Warranty
from .load import load_profile, parse_profile
from .model import Profile
from .organisation import Budget, Department, Person
from .policy import Channels, Policy, Targets
from .services import Outlet, Partner, Service, Services


def json_schema() -> dict[str, Any]:
    """The profile's JSON Schema, with every field's description."""
    schema = Profile.model_json_schema()
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["title"] = "docgen company profile"
    return schema


__all__ = [
    "Budget", "Certification", "Channels", "Company", "Department", "DocumentControl", "Exclusion", "Fee",
    "Model", "Outlet", "PartWarranty", "Partner", "Person", "Policy", "Product", "Profile", "Service",
    "Services", "Targets", "Text", "Warranty", "check_text", "json_schema", "load_profile", "parse_profile",
]
