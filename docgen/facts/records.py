"""Who keeps each record form and for how long: one table, stated by the record-control
procedure, the 记录清单 and each form's own note, and checked against the rendered text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..profile import Profile

# record id → (function of the keeping department, retention rule)
RECORDS: dict[str, tuple[str, str]] = {
    "rec_staffing_eval": ("hr", "default"), "rec_personnel": ("hr", "employment"),
    "rec_training_plan": ("hr", "default"), "rec_training": ("hr", "default"),
    "rec_budget": ("finance", "default"), "rec_document_distribution": ("document_control", "default"),
    "rec_laws_list": ("management", "current"), "rec_supplier_eval": ("purchasing", "contract"),
    "rec_inspection": ("supervision", "default"), "rec_self_assessment": ("quality", "default"),
    "rec_target_assessment": ("supervision", "default"), "rec_performance": ("supervision", "default"),
    "rec_capa": ("quality", "default"), "rec_contract_review": ("sales", "default"),
    "rec_product_info": ("rnd", "current"), "rec_delivery_log": ("warehouse", "delivery"),
    "rec_spare_parts_ledger": ("warehouse", "default"), "rec_old_part_tag": ("warehouse", "service"), "rec_recall_disposal": ("quality", "permanent"),
    "rec_customer_file": ("customer_service", "personal"), "rec_user_card": ("customer_service", "service"),
    "rec_followup": ("customer_service", "default"), "rec_satisfaction_survey": ("supervision", "default"),
    "rec_opinion_letter": ("supervision", "default"), "rec_complaint_register": ("customer_service", "default"),
    "rec_fee_schedule": ("after_sales", "current"), "rec_sanbao_policy": ("after_sales", "current"),
    "rec_outlet_list": ("after_sales", "current"), "rec_facilities_ledger": ("after_sales", "asset"),
    "rec_warranty_card": ("after_sales", "service"), "rec_repair_record": ("after_sales", "service"),
    "rec_field_report": ("after_sales", "service"), "rec_installation_acceptance": ("after_sales", "service"),
    "rec_service_order": ("after_sales", "transaction"), "rec_returns_log": ("after_sales", "transaction"),
    "rec_facility_maintenance": ("after_sales", "asset"), "rec_recycling_log": ("after_sales", "default"),
    "rec_emergency_drill": ("after_sales", "default"),
}


# the retention rules a record may be kept by (record_keeping below states each)
RULES = ("default", "service", "transaction", "delivery", "current", "employment", "asset", "contract", "permanent",
         "personal")


@dataclass(frozen=True)
class Keeping:
    """How one record is kept: by which department, for how many years (None: no fixed term), in words."""

    department: str
    years: int | None
    text: str


def record_keeping(profile: Profile, retention: dict[str, int], record_id: str) -> Keeping:
    """The keeping of one record form under the profile's retention facts."""
    function, rule = RECORDS.get(record_id, ("after_sales", "default"))
    docs = profile.trade.documents  # a trade's own forms, and the owner it gives a common one
    added = next((e for e in docs.add if e.id == record_id), None)
    if added is not None:
        function = added.owner
    function = docs.owner.get(record_id, function)
    rule = docs.keep.get(record_id, rule)
    r = retention["default_years"]
    service = retention["service_years"]
    online = profile.company.type == "ecommerce"
    transaction = max(service, 3) if online else service
    years: int | None
    years, text = {
        "default": (r, f"{r}年"),
        "service": (service, f"{service}年"),
        "transaction": (transaction, f"{transaction}年"),
        "delivery": (max(r, 3) if online else r, f"{max(r, 3) if online else r}年"),
        "current": (None, f"现行版本长期保存，作废版本保存{r}年"),
        "employment": (None, f"员工在职期间及离职后{r}年"),
        "asset": (None, f"设施设备使用期间及报废后{r}年"),
        "contract": (None, f"合作期间及合作终止后{r}年"),
        "permanent": (None, "长期"),
        "personal": (service, f"{service}年，期满删除或匿名化处理"),
    }[rule]
    return Keeping(profile.department_for(function).name, years, text)
