"""Approval authority per document kind (编制 / 审核 / 批准): one rule, stated by the
document-control procedure and applied to every cover, always three different people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..profile import Person, Profile

# Who may fill each slot, in order of preference; a candidate already used on the same document
# is skipped, so 编制, 审核 and 批准 are always three different people.
RULES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "manual": (("after_sales_head", "owner_member", "document_controller"),
               ("management_representative",), ("general_manager",)),
    "procedure": (("owner_head", "owner_member", "document_controller"),
                  ("management_representative", "after_sales_head"), ("general_manager",)),
    "work_instruction": (("owner_member", "document_controller", "owner_head"),
                         ("owner_head", "after_sales_head", "management_representative"),
                         ("management_representative", "general_manager")),
    "record": (("owner_member", "document_controller", "owner_head"),
               ("owner_head", "after_sales_head", "management_representative"),
               ("management_representative", "general_manager")),
    "project": (("document_controller", "owner_member", "owner_head"),
                ("management_representative",), ("general_manager",)),
}
LABELS = {
    "after_sales_head": "售后服务负责人",
    "owner_head": "归口部门负责人",
    "owner_member": "归口部门经办人员",
    "document_controller": "文件管理员",
    "management_representative": "管理者代表",
    "general_manager": "总经理",
}


@dataclass(frozen=True)
class Approval:
    """The rule for one kind, in words: who prepares, reviews and approves."""

    prepared: str
    reviewed: str
    approved: str


def approvals(profile: Profile) -> dict[str, Approval]:
    """The rule of every kind as the document-control procedure states it."""
    dc = profile.document_control
    if dc.prepared_by:  # one fixed set of names given in the profile applies to every kind
        return {k: Approval(dc.prepared_by, dc.reviewed_by or "", dc.approved_by or "") for k in RULES}
    return {k: Approval(*(LABELS[slot[0]] for slot in rule)) for k, rule in RULES.items()}


def _candidate(profile: Profile, key: str, owner_function: str) -> Person | None:
    owner = profile.department_for(owner_function)
    if key == "owner_head":
        return next((p for p in profile.people if p.name == owner.head), None)
    if key == "owner_member":
        return next((p for p in profile.people if p.department == owner.name and p.name != owner.head), None)
    return next((p for p in profile.people if key in p.roles), None)


def signatories(profile: Profile, kind: str, owner_function: str) -> tuple[str, str, str]:
    """(编制, 审核, 批准) of one document: names given in the profile, else the kind's rule."""
    dc = profile.document_control
    if dc.prepared_by:
        return dc.prepared_by, dc.reviewed_by or "", dc.approved_by or ""
    used: list[str] = []
    for slot in reversed(RULES[kind]):  # 批准 first: the highest authority is never displaced
        person = None
        for key in slot:
            candidate = _candidate(profile, key, owner_function)
            if candidate is not None and candidate.name not in used:
                person = candidate
                break
        used.append(person.name if person else "")
    approved, reviewed, prepared = used
    return prepared, reviewed, approved
