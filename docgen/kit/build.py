"""The certification project kit: every working paper, numbered in the pack's GZ series, as {relative path: bytes}."""

from __future__ import annotations

import datetime as dt
import functools
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..catalog import Entry, TemplateSet, builtin_templates, included, load_catalog
from ..context import PackContext, build_context, template_renderer
from ..context.documents import render_each
from ..control import Document, document_number, document_path
from ..control.lists import LISTS
from ..coverage import Coverage
from ..errors import CatalogError, Problem
from ..facts import resolve_facts
from ..profile import Profile
from ..standards import Standard, standard_for
from . import audit, papers
from .gantt import build_gantt
from .ical import schedule_to_ical
from .schedule import Schedule, plan_schedule
from .selfassess import TITLE as SELFASSESS_TITLE
from .selfassess import Owner, build_selfassess

KIT_CATALOG = "kit/catalog.yaml"
# The kit in its number order (steps 1 to 6): catalog ids of template papers, or keys of papers made in code.
ORDER = ("kit_working_group", "selfassess", "training", "kit_coordination_minutes", "monthly", "audit_programme",
         "audit_checklists", "kit_nonconformity", "kit_audit_report", "kit_review_plan", "review_inputs",
         "kit_review_minutes", "kit_review_report", "dossier", "parts_prices", "aux_prices", "kit_special_fund",
         "kit_recall_plan", "capa_tracker", "gantt", "ical")
TITLES = {"selfassess": SELFASSESS_TITLE, "training": "认证培训计划及签到表", "monthly": "试运行服务数据月报",
          "audit_programme": "内部审核方案及计划", "audit_checklists": "内部审核检查表", "review_inputs": "管理评审输入清单",
          "dossier": "认证申请材料清单", "parts_prices": "配件价格表", "aux_prices": "辅材价格表",
          "capa_tracker": "认证审核不符合项整改跟踪表", "gantt": "认证进度计划", "ical": "认证进度日历"}
STEP_OF = {"kit_working_group": 1, "selfassess": 1, "training": 1, "kit_coordination_minutes": 3, "monthly": 3,
           "audit_programme": 4, "audit_checklists": 4, "kit_nonconformity": 4, "kit_audit_report": 4, "kit_review_plan": 4,
           "review_inputs": 4, "kit_review_minutes": 4, "kit_review_report": 4, "dossier": 5, "parts_prices": 5,
           "aux_prices": 5, "kit_special_fund": 5, "kit_recall_plan": 5, "capa_tracker": 5, "gantt": 6, "ical": 6}


def load_kit_catalog(templates: TemplateSet) -> list[Entry]:
    """The kit's catalog (templates/kit/catalog.yaml, an overlay's first), read as docgen.catalog reads the main one."""
    kit = TemplateSet(templates.builtin / "kit", templates.overlay / "kit" if templates.overlay else None)
    entries = load_catalog(kit, require_files=False)
    missing = [Problem(f"template file {e.template!r} not found", file=KIT_CATALOG, key=e.id)
               for e in entries if not templates.path(e.template).is_file()]
    if missing:
        raise CatalogError(missing)
    wrong = [Problem(f"kit documents are of kind project, not {e.kind}", file=KIT_CATALOG, key=e.id)
             for e in entries if e.kind != "project"]
    if wrong:
        raise CatalogError(wrong)
    return entries


def first_kit_seq(context: PackContext) -> int:
    """The kit follows the pack's own 认证工作文件, the coverage workbook and the document-control lists."""
    return sum(1 for d in context.documents if d.entry.kind == "project") + 2 + len(LISTS)


def schedule_of(profile: Profile) -> Schedule:
    cert = profile.certification
    return plan_schedule(cert.start_date, cert.trial_run_months, overrides=cert.workdays)


def _phases(schedule: Schedule) -> dict[str, dict[str, dt.date]]:
    return {m.key: {"start": m.start, "end": m.end} for m in schedule.milestones}


def _render(kit_ctx: PackContext, templates: TemplateSet, docs: list[Document], extra: dict[str, Any],
            when: dt.datetime) -> dict[str, bytes]:
    return render_each(docs, lambda doc: {**kit_ctx.document(doc), **extra}, templates, when)


def kit_numbers(profile: Profile, context: PackContext, entries: list[Entry]) -> dict[str, tuple[str, str]]:
    """key → (number, title) of every paper the profile calls for, in ORDER."""
    by_id = {e.id: e for e in entries}
    env = template_renderer()
    seq = first_kit_seq(context)
    out: dict[str, tuple[str, str]] = {}
    for key in ORDER:
        entry = by_id.get(key)
        if key.startswith("kit_") and (entry is None or not included(entry, context.shared, env)):
            continue
        out[key] = (document_number(profile.document_control, "project", seq), entry.title if entry else TITLES[key])
        seq += 1
    return out


_REF = re.compile(r"""ref\(\s*['"]([a-z][a-z0-9_]*)['"]""")


@functools.lru_cache(maxsize=64)
def _refs(path: Path) -> frozenset[str]:
    """The document ids a kit template names with ref()."""
    try:
        with zipfile.ZipFile(path) as zf:
            text = "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith(".xml"))
    except (OSError, zipfile.BadZipFile):
        return frozenset()
    return frozenset(_REF.findall(re.sub(r"<[^>]+>", "", text)))


def kit_files(profile: Profile, context: PackContext, coverage: Coverage | None, when: dt.datetime,
              templates: TemplateSet | None = None, standard: Standard | None = None) -> dict[str, bytes]:
    """Every working paper of the kit, by its path in the pack ("05 认证工作文件/…")."""
    templates = templates or TemplateSet(builtin_templates())
    standard = standard or (coverage.standard if coverage else standard_for(profile))
    entries = load_kit_catalog(templates)
    numbers = kit_numbers(profile, context, entries)
    schedule = schedule_of(profile)
    facts = resolve_facts(profile)
    docs = papers.DocIndex({d.entry.id: (d.number, d.entry.title) for d in context.documents}
                           | {k: v for k, v in numbers.items() if k.startswith("kit_")})
    labels = {k: f"{n} {t}" for k, (n, t) in numbers.items()}  # as the file is named: generated papers are not catalog documents
    dc = profile.document_control
    labels["master_list"] = f"{document_number(dc, 'project', first_kit_seq(context) - len(LISTS))} {LISTS[0][1]}"

    def path(key: str, ext: str = ".xlsx") -> str:
        number, title = numbers[key]
        return document_path("project", number, title, ext)

    present = {d.entry.id for d in context.documents} | {e.id for e in entries}
    # a paper that names a document this pack's catalog lacks (a consultant's own catalog) is left out
    kit_docs = [Document(e, numbers[e.id][0], 0) for e in entries
                if e.id in numbers and _refs(templates.path(e.template)) <= present]
    kit_ctx = build_context(profile, context.entries + entries, context.documents + kit_docs)
    files = _render(kit_ctx, templates, kit_docs, {"kit": {"phase": _phases(schedule)}}, when)
    deadline = schedule["documents"].end
    owners = {c.id: Owner(profile.department_for(c.responsible or "after_sales").name,
                          profile.department_for(c.responsible or "after_sales").head, deadline) for c in standard.clauses}
    company = profile.company
    makers: dict[str, Callable[[str], bytes]] = {
        "selfassess": lambda n: build_selfassess(profile, standard, coverage, n, owners, when),
        "training": lambda n: papers.build_training(profile, schedule, docs, facts, n, when),
        "monthly": lambda n: papers.build_monthly(profile, schedule, facts, n, when),
        "audit_programme": lambda n: audit.build_programme(profile, standard, schedule, n, when),
        "audit_checklists": lambda n: audit.build_checklists(profile, standard, coverage, n, when),
        "review_inputs": lambda n: papers.build_review_inputs(profile, schedule, docs, facts, n, when),
        "dossier": lambda n: papers.build_dossier(profile, docs, labels, n, when),
        "capa_tracker": lambda n: papers.build_capa_tracker(profile, standard, n, when),
        "gantt": lambda n: build_gantt(schedule, company_name=company.name, stamp=when),
    }
    for key, make in makers.items():
        files[path(key)] = make(numbers[key][0])
    for (_title, data), key in zip(papers.build_price_lists(profile, docs, (numbers["parts_prices"][0], numbers["aux_prices"][0]), when),
                                  ("parts_prices", "aux_prices")):
        files[path(key)] = data
    files[path("ical", ".ics")] = schedule_to_ical(schedule, company_id=company.credit_code or company.name,
                                                   calendar_name=f"{company.short_name}售后服务认证", stamp=when)
    return files


def build_kit(profile_path: str | Path, templates_dir: str | Path | None = None,
              date: dt.date | None = None) -> tuple[Profile, dict[str, bytes], Coverage]:
    """The kit alone for a profile file: the pack rendered in memory (for numbers and coverage), then the papers."""
    from ..coverage import check_rendered, pack_info
    from ..profile import load_profile
    from ..trades import apply_documents

    templates = TemplateSet(builtin_templates(), Path(templates_dir) if templates_dir else None)
    profile = load_profile(profile_path, templates)
    standard = standard_for(profile, profile_path)
    day = date or dt.date.today()
    when = dt.datetime(day.year, day.month, day.day, 12, 0, 0)
    context = build_context(profile, apply_documents(load_catalog(templates), profile.trade))
    from ..render.xlsxmem import keep_worksheets_in_memory

    keep_worksheets_in_memory()
    pack = _render(context, templates, context.documents, {}, when)
    from ..coverage import DocInfo, SkippedInfo

    infos = [DocInfo(d.number, d.entry.title, d.relpath, d.entry.kind, d.entry.id, tuple(d.entry.clauses)) for d in context.documents]
    skipped = [SkippedInfo(e.id, e.title, e.kind, e.when or "", tuple(e.clauses)) for e in context.skipped]
    coverage = check_rendered(pack_info(profile, infos, skipped, profile_path), pack, standard)
    return profile, kit_files(profile, context, coverage, when, templates, standard), coverage
