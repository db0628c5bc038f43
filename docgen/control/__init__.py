"""Document control: numbers and file names, and the control block every document carries
(version, approvals, dates, revision history)."""

from __future__ import annotations

from typing import Any

from ..facts.approvals import signatories
from ..profile import Profile
from ..vocab import KINDS
from .numbering import (
    Document,
    check_file_names,
    document_file_name,
    document_number,
    document_path,
    number_documents,
    safe_filename,
)
from .state import ControlState, Revision, first_state, next_edition


def signatories_of(profile: Profile, doc: Document) -> tuple[str, str, str]:
    """(编制, 审核, 批准) of one document."""
    return signatories(profile, doc.entry.kind, doc.entry.owner)


def control_block(doc: Document, profile: Profile, owner: str) -> dict[str, Any]:
    """What `doc` means inside a template: number, title, version, approvals, dates, history."""
    dc = profile.document_control
    prepared_by, reviewed_by, approved_by = signatories(profile, doc.entry.kind, doc.entry.owner)
    state = doc.state or first_state(profile, prepared_by, approved_by)
    version = state.version(dc.version_pattern)
    revisions = [{"version": r.version, "section": r.sections, "summary": r.summary, "by": r.by,
                  "approved_by": r.approved_by, "date": r.date} for r in state.history]
    return {
        "id": doc.entry.id,
        "number": doc.number,
        "title": doc.entry.title,
        "kind": doc.entry.kind,
        "kind_cn": KINDS.label(doc.entry.kind),
        "edition": state.edition,
        "revision": state.revision,
        "version": version,
        "control_status": "受控",
        "owner": owner,
        "prepared_by": prepared_by,
        "reviewed_by": reviewed_by,
        "approved_by": approved_by,
        "prepared_date": state.issue_date,
        "reviewed_date": state.issue_date,
        "approved_date": state.issue_date,
        "issue_date": state.issue_date,
        "effective_date": state.effective_date,
        "retention_years": dc.retention_years,
        "clauses": list(doc.entry.clauses),
        "revisions": revisions,
    }


__all__ = ["ControlState", "Document", "Revision", "check_file_names", "control_block", "document_file_name", "document_number", "document_path",
           "first_state", "next_edition", "number_documents", "safe_filename", "signatories_of"]
