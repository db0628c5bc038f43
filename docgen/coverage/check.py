"""Clause coverage read from the documents' text and compared with the catalog; the entry points."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Protocol

from ..catalog import TemplateSet, builtin_templates, included, load_catalog
from ..consistency import check_consistency
from ..control import document_number, document_path, safe_filename
from ..errors import CoverageError, Problem
from ..profile import Profile, load_profile
from ..standards import (
    Clause,
    Item,
    Standard,
    builtin_standards,
    is_standard_file,
    load_standard,
    resolve_standard,
    standard_for,
)
from ..vocab import FUNCTIONS, KINDS
from .checks import dangling, names, responsibility
from .model import (
    ClauseResult,
    Coverage,
    DocInfo,
    Finding,
    ItemResult,
    Link,
    PackInfo,
    SkippedInfo,
    finding,
    idkey,
    message,
    number_regex,
)
from .read import DocText, read_document
from .report import to_json_text, workbook_bytes

WORKBOOK_TITLE = "条款覆盖矩阵"
ARCHIVE = "作废文件"  # docgen.control.manifest.ARCHIVE: obsolete documents, not part of the pack's coverage
GENERATED_TITLES = {WORKBOOK_TITLE, "受控文件清单", "记录清单", "文件发放回收记录", "文件修订记录汇总"}  # docgen.control.lists
JSON_NAME = "coverage.json"


class RenderedDocuments(Protocol):
    """What coverage needs of a pack rendered in memory (docgen.pack.RenderedPack is one)."""

    profile: Profile
    files: dict[str, bytes]

    def doc_infos(self) -> list[DocInfo]: ...

    def skipped_infos(self) -> list[SkippedInfo]: ...


def _standard_file(profile: Profile, profile_path: str | Path | None) -> str | None:
    """The clause catalog's file when the profile names one (None for a built-in catalog)."""
    name = profile.certification.standard
    if not is_standard_file(name):
        return None
    base = Path(profile_path).resolve().parent if profile_path else None
    return str(resolve_standard(name, base).resolve())


def _with_profile(info: PackInfo, profile: Profile, profile_path: str | Path | None) -> PackInfo:
    """Fill the profile's part of the pack info (names, exclusions, numbering, standard)."""
    dc = profile.document_control
    info.company = profile.company.name
    info.standard = profile.certification.standard
    info.standard_file = _standard_file(profile, profile_path)
    info.number_regex = number_regex(dc.pattern, dc.prefix)
    info.departments = [d.name for d in profile.departments]
    info.people = [p.name for p in profile.people]
    info.titles = sorted({p.title for p in profile.people})
    info.partners = [p.name for p in profile.partners]
    info.outlets = [o.name for o in profile.outlets]
    info.exclusions = {e.clause.strip(): e.reason for e in profile.certification.excluded}
    info.duty_departments = {f: profile.department_for(f).name for f in FUNCTIONS}
    info.facts = facts_json(profile, info.documents)
    return info


def facts_json(profile: Profile, documents: list[DocInfo]) -> dict[str, Any]:
    """The facts the consistency check compares the text with (with each record's retention by title)."""
    from ..facts import resolve_facts
    from ..vocab import SERVICE_CHANNELS

    facts = resolve_facts(profile)
    data = facts.to_json()
    data["record_retention"] = {d.title: facts.records[d.id].years for d in documents
                                if d.id in facts.records and facts.records[d.id].years is not None}
    data["channels_cn"] = {k: [SERVICE_CHANNELS.label(c) for c in v] for k, v in facts.channels.items()}
    return data


def workbook_path(profile: Profile, documents: list[DocInfo]) -> str:
    """Where the coverage workbook goes: numbered as the next 认证工作文件 (GZ) of the pack."""
    seq = sum(1 for d in documents if d.kind == "project") + 1
    return document_path("project", document_number(profile.document_control, "project", seq), WORKBOOK_TITLE, ".xlsx")


def pack_info(profile: Profile, documents: list[DocInfo], skipped: list[SkippedInfo],
              profile_path: str | Path | None = None) -> PackInfo:
    """The pack info of a pack rendered in memory."""
    info = PackInfo("", "", None, "", documents, skipped, workbook=workbook_path(profile, documents))
    return _with_profile(info, profile, profile_path)


# ---------------------------------------------------------------------- the check
def compute(info: PackInfo, texts: dict[str, DocText], standard: Standard) -> Coverage:
    """Coverage of the documents in `texts` (relpath → text) against `standard`."""
    findings: list[Finding] = []
    present = [d for d in info.documents if d.relpath in texts and texts[d.relpath].error is None]
    for d in info.documents:
        if d.relpath not in texts:
            findings.append(finding("missing_file", "missing_file", d, relpath=d.relpath))
        elif texts[d.relpath].error:
            findings.append(finding("unreadable", "unreadable", d, relpath=d.relpath, error=texts[d.relpath].error))

    links = _links(present, texts, standard, findings)
    by_clause: dict[str, list[Link]] = defaultdict(list)
    cited: dict[str, set[str]] = defaultdict(set)
    items: dict[str, list[Link]] = defaultdict(list)
    for link in links:
        by_clause[link.clause].append(link)
        cited[link.relpath].add(link.clause)
        if link.cited in standard.item_by_id:
            items[link.cited].append(link)

    exclusions, item_exclusions = _exclusions(info, standard, findings)
    declared = {d.relpath: set(d.declared) for d in info.documents} if standard.catalog_clauses else {}
    for d in present if standard.catalog_clauses else []:
        for cid in sorted(declared[d.relpath] - cited[d.relpath], key=idkey):
            if cid in standard.clause_by_id and cid not in exclusions:
                findings.append(finding("declared_not_found", "declared_not_found", d, clause=cid, ctitle=standard.title_of(cid), code=standard.code))
        for cid in sorted(cited[d.relpath] - declared[d.relpath], key=idkey):
            findings.append(finding("found_not_declared", "found_not_declared", d, severity="note", clause=cid,
                                     ctitle=standard.title_of(cid), code=standard.code))

    kind_of = {d.relpath: d.kind for d in info.documents}
    results = []
    for ind in standard.indicators:
        for clause in ind.clauses:
            found = by_clause.get(clause.id, [])
            declared_by = [d.number for d in info.documents if clause.id in declared.get(d.relpath, ())]
            assigned = {kind_of[d.relpath] for d in present if clause.id in declared.get(d.relpath, ())}
            if clause.id in exclusions:
                reason = exclusions[clause.id]
                item_results = [ItemResult(it, "excluded", reason, reason) for it in clause.items]
                results.append(ClauseResult(clause, ind, "excluded", reason, reason, found, declared_by, item_results))
                unexplained = [link for link in found if not _states_exclusion(texts[link.relpath], link)]
                if unexplained:
                    docs = "、".join(dict.fromkeys(f"《{link.title}》（{link.number}）" for link in unexplained))
                    findings.append(finding("excluded_but_cited", "excluded_but_cited", clause=clause.id, ctitle=clause.title, docs=docs))
                continue
            item_results = [_item_result(it, clause, found, kind_of, assigned, item_exclusions, standard) for it in clause.items]
            if found and (short := _partial(found, kind_of, assigned)):
                en, cn = message("why_partial", docs=_docs(found), missing=", ".join(short), missing_cn=_missing_cn(short))
                results.append(ClauseResult(clause, ind, "partial", en, cn, found, declared_by, item_results))
            elif found and (lacking := [i for i in item_results if i.status in {"partial", "uncovered"}]):
                en, cn = message("why_items", items="; ".join(f"{i.item.id} {i.item.title} ({i.status})" for i in lacking))
                results.append(ClauseResult(clause, ind, "partial", en, cn, found, declared_by, item_results))
            elif found:
                results.append(ClauseResult(clause, ind, "covered", "", "", found, declared_by, item_results))
            else:
                en, cn = _why(clause, info, present, standard)
                results.append(ClauseResult(clause, ind, "uncovered", en, cn, [], declared_by, item_results))

    if info.facts:
        findings += check_consistency(present, texts, info.facts)
    findings += dangling(info, present, texts)
    findings += names(info, present, texts)
    findings += responsibility(info, present, texts, standard, set(exclusions))
    return Coverage(standard, info, results, findings, item_exclusions, dict(cited), dict(items))


def _docs(links: list[Link]) -> str:
    return "、".join(dict.fromkeys(f"《{link.title}》（{link.number}）" for link in links))


def _missing_cn(short: list[str]) -> str:
    return "、".join({"the manual": "售后服务手册", "a procedure or work instruction": "程序文件或作业指导书"}[m] for m in short)


def _item_result(item: Item, clause: Clause, found: list[Link], kind_of: dict[str, str], assigned: set[str],
                 item_exclusions: dict[str, str], standard: Standard) -> ItemResult:
    """A third-level item, checked as its clause is: addressed by the citations of the item itself
    (a citation of the clause or of a sibling item does not address it), which must include the
    manual and a procedure or work instruction where the catalog assigns the clause to them."""
    if item.id in item_exclusions:
        return ItemResult(item, "excluded", item_exclusions[item.id], item_exclusions[item.id])
    own = [link for link in found if link.cited == item.id]
    if not own:
        en, cn = message("why_item_uncovered", item=item.id, ititle=item.title, clause=clause.id, code=standard.code)
        return ItemResult(item, "uncovered", en, cn)
    if short := _partial(own, kind_of, assigned):
        en, cn = message("why_item_partial", item=item.id, ititle=item.title, docs=_docs(own), missing=", ".join(short),
                         missing_cn=_missing_cn(short))
        return ItemResult(item, "partial", en, cn, own)
    return ItemResult(item, "covered", "", "", own)


def _partial(found: list[Link], kind_of: dict[str, str], assigned: set[str]) -> list[str]:
    """What a clause's citations lack to cover it: the manual, and a procedure or work instruction,
    each where the catalog assigns the clause to documents of that kind (record forms never cover)."""
    kinds = {kind_of.get(link.relpath, "") for link in found}
    missing = []
    if "manual" in assigned and "manual" not in kinds:
        missing.append("the manual")
    if assigned & {"procedure", "work_instruction"} and not kinds & {"procedure", "work_instruction"}:
        missing.append("a procedure or work instruction")
    return missing


_EXCLUSION_WORDS = ("删减", "不适用", "不涉及")


def _states_exclusion(text: DocText, link: Link) -> bool:
    """Whether the paragraph citing an excluded clause, or its section, says the clause is excluded."""
    for block in text.blocks:
        if (block.where == link.where or (link.heading and block.heading == link.heading)) and any(
            w in block.text for w in _EXCLUSION_WORDS
        ):
            return True
    return False


def _links(present: list[DocInfo], texts: dict[str, DocText], standard: Standard, findings: list[Finding]) -> list[Link]:
    links: list[Link] = []
    seen: set[tuple[str, ...]] = set()
    unknown: set[tuple[str, str]] = set()
    for d in present:
        for block in texts[d.relpath].blocks:
            for cid, matched in standard.parse_references(block.text):
                target = standard.target_of(cid)
                if target is None:
                    if cid not in standard.known_ids and (d.relpath, cid) not in unknown:
                        unknown.add((d.relpath, cid))
                        findings.append(finding("unknown_clause", "unknown_clause", d, where=block.where, heading=block.heading,
                                                 clause=cid, code=standard.code))
                    continue
                key = (target, cid, d.relpath, block.heading, block.where)
                if key not in seen:
                    seen.add(key)
                    links.append(Link(target, cid, d.number, d.title, d.relpath, block.heading, block.where, matched))
    return links


def _exclusions(info: PackInfo, standard: Standard, findings: list[Finding]) -> tuple[dict[str, str], dict[str, str]]:
    """The valid exclusions (clauses, items); invalid ones are findings and do not count."""
    clauses: dict[str, str] = {}
    items: dict[str, str] = {}
    for cid, reason in info.exclusions.items():
        refused = standard.exclusion_refused(cid, reason)
        if refused == "no_reason":
            findings.append(finding("refused_exclusion", "exclusion_no_reason", clause=cid))
        elif refused == "unknown":
            findings.append(finding("refused_exclusion", "exclusion_unknown", clause=cid, code=standard.code))
        elif refused == "refused":
            findings.append(finding("refused_exclusion", "exclusion_refused", clause=cid, ctitle=standard.title_of(cid), code=standard.code))
        elif cid in standard.clause_by_id:
            clauses[cid] = reason
        else:
            items[cid] = reason
    return clauses, items


def _why(clause: Clause, info: PackInfo, present: list[DocInfo], standard: Standard) -> tuple[str, str]:
    """Why nothing covers a clause: its document was left out, the reference was removed, or nothing is selected."""
    ref = f"{standard.code} {clause.id}"
    if not standard.catalog_clauses:
        return message("why_not_cited", ref=ref)
    reasons = []
    present_paths = {d.relpath for d in present}
    for d in info.documents:
        if clause.id in d.declared:
            if d.relpath in present_paths:
                reasons.append(message("why_removed", label=d.label, ref=ref))
            else:
                reasons.append(message("why_missing", label=d.label))
    for s in info.skipped:
        if clause.id in s.declared:
            reasons.append(message("why_left_out", title=s.title, when=s.when))
    if not reasons:
        reasons.append(message("why_none", clause=clause.id, ref=ref))
    return "; ".join(en for en, _ in reasons), "；".join(cn for _, cn in reasons)


# ---------------------------------------------------------------------- entry points
def check_rendered(info: PackInfo, files: dict[str, bytes], standard: Standard) -> Coverage:
    """Coverage of a pack rendered in memory (the bytes that are about to be written)."""
    texts = {rel: read_document(rel, data) for rel, data in files.items()
             if rel.endswith((".docx", ".xlsx")) and rel != info.workbook}
    return compute(info, texts, standard)


_FOLDER_KINDS = {KINDS[kind].folder: kind for kind in KINDS}
_NUMBERED_NAME = re.compile(r"^(\S+)\s+(.+)$")


def _split_name(rel: str) -> tuple[str, str]:
    m = _NUMBERED_NAME.match(Path(rel).stem)
    return (m.group(1), m.group(2)) if m else ("", Path(rel).stem)


def _pack_files(root: Path, workbook: str) -> dict[str, Path]:
    """The documents of a pack folder: .docx/.xlsx, without Office lock files, hidden files and the coverage workbook."""
    files = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if not p.is_file() or p.suffix.lower() not in {".docx", ".xlsx"}:
            continue
        if any(part.startswith(("~$", ".")) for part in p.relative_to(root).parts) or rel.startswith(f"{ARCHIVE}/"):
            continue
        if rel == workbook or _split_name(rel)[1] in GENERATED_TITLES:
            continue
        files[rel] = p
    return files


def _catalog_info(profile: Profile, files: dict[str, Path]) -> PackInfo:
    """Pack info for a folder without coverage.json: documents matched to the built-in catalog by title."""
    from ..context import profile_context, template_renderer

    entries = load_catalog(TemplateSet(builtin_templates()), require_files=False)
    ctx = profile_context(profile)
    env = template_renderer()
    by_title = {safe_filename(e.title): e for e in entries}
    docs, used = [], set()
    for rel in files:
        number, title = _split_name(rel)
        entry = by_title.get(title)
        if entry is not None:
            used.add(entry.id)
            docs.append(DocInfo(number, entry.title, rel, entry.kind, entry.id, tuple(entry.clauses)))
        else:
            docs.append(DocInfo(number, title, rel, _FOLDER_KINDS.get(rel.split("/")[0], "document")))
    skipped = [SkippedInfo(e.id, e.title, e.kind, e.when or "", tuple(e.clauses)) for e in entries
               if e.id not in used and not included(e, ctx, env)]
    return PackInfo("", "", None, "", docs, skipped)


def _reconcile(info: PackInfo, files: dict[str, Path]) -> PackInfo:
    """Match the folder's files to the recorded documents: by path, then by number (a renamed file); add new ones."""
    by_path = {d.relpath: d for d in info.documents}
    by_number = {d.number: d for d in info.documents if d.number}
    docs: list[DocInfo] = []
    matched: set[str] = set()
    for rel in files:
        if rel in by_path:
            docs.append(by_path[rel])
            matched.add(rel)
            continue
        number, title = _split_name(rel)
        old = by_number.get(number)
        if old is not None and old.relpath not in files and old.relpath not in matched:
            docs.append(DocInfo(old.number, old.title, rel, old.kind, old.id, old.declared))
            matched.add(old.relpath)
        else:
            docs.append(DocInfo(number, title, rel, _FOLDER_KINDS.get(rel.split("/")[0], "document")))
    docs += [d for d in info.documents if d.relpath not in matched and d.relpath not in files]
    info.documents = docs
    return info


def check_pack_dir(pack_dir: str | Path, profile_path: str | Path | None = None) -> Coverage:
    """Re-read a pack folder (as built, or edited by hand in Word/Excel) and check its coverage."""
    root = Path(pack_dir)
    if not root.is_dir():
        raise CoverageError([Problem("pack folder not found", file=str(root))])
    recorded = root / JSON_NAME
    info: PackInfo | None = None
    if recorded.is_file():
        try:
            info = PackInfo.from_json(json.loads(recorded.read_text(encoding="utf-8"))["pack"])
        except (ValueError, KeyError, TypeError) as exc:
            raise CoverageError([Problem(f"cannot read the pack record ({type(exc).__name__}: {exc}); pass --profile to check without it",
                                         file=str(recorded))]) from None
    files = _pack_files(root, info.workbook if info else "")
    if not files:
        raise CoverageError([Problem("no .docx or .xlsx documents in this folder", file=str(root))])
    profile = load_profile(profile_path) if profile_path else None
    if info is not None:
        info = _reconcile(info, files)
    elif profile is None:
        raise CoverageError([Problem(f"no {JSON_NAME} in the pack folder (docgen build writes it); pass --profile company.yaml",
                                     file=str(root))])
    else:
        info = _catalog_info(profile, files)
    if profile is not None:
        info = _with_profile(info, profile, profile_path)
        standard = standard_for(profile, profile_path)
    else:
        standard = _recorded_standard(info)
    texts = {rel: read_document(rel, path.read_bytes()) for rel, path in files.items()}
    return compute(info, texts, standard)


def _recorded_standard(info: PackInfo) -> Standard:
    if info.standard_file:
        return load_standard(info.standard_file)
    known = builtin_standards()
    if info.standard not in known:
        raise CoverageError([Problem(f"the pack was checked against {info.standard!r}, which is not built in; pass --profile",
                                     key="pack.standard")])
    return load_standard(known[info.standard])


def check_coverage(pack: RenderedDocuments | str | Path, profile_path: str | Path | None = None) -> Coverage:
    """The library entry point: coverage of a pack rendered in memory, or of a pack folder on disk."""
    if isinstance(pack, (str, Path)):
        return check_pack_dir(pack, profile_path)
    info = pack_info(pack.profile, pack.doc_infos(), pack.skipped_infos(), profile_path)
    return check_rendered(info, pack.files, standard_for(pack.profile, profile_path))


def files_for_pack(coverage: Coverage, when: Any) -> dict[str, bytes]:
    """The files coverage adds to a pack: the workbook and the JSON record (coverage.json)."""
    return {coverage.info.workbook: workbook_bytes(coverage, when), JSON_NAME: to_json_text(coverage).encode("utf-8")}


__all__ = [
    "RenderedDocuments",
    "check_coverage",
    "check_pack_dir",
    "check_rendered",
    "compute",
    "files_for_pack",
    "standard_for",
]
