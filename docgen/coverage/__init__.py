"""Coverage of the standard, read from the rendered documents: the data model, the reader of
Word and Excel text, the checks, the verdict per clause, and the reports."""

from __future__ import annotations

from .check import (
    JSON_NAME,
    RenderedDocuments,
    check_coverage,
    check_pack_dir,
    check_rendered,
    compute,
    files_for_pack,
    pack_info,
    workbook_path,
)
from .model import ClauseResult, Coverage, DocInfo, Finding, PackInfo, SkippedInfo

__all__ = [
    "JSON_NAME", "ClauseResult", "Coverage", "DocInfo", "Finding", "PackInfo", "RenderedDocuments", "SkippedInfo",
    "check_coverage", "check_pack_dir", "check_rendered", "compute", "files_for_pack", "pack_info", "workbook_path",
]
