"""Build orchestration: validate the profile, select and number documents, render them all in
memory, and only then write the pack atomically."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .catalog import Entry, TemplateSet, builtin_templates, included, load_catalog
from .context import profile_context
from .control import Document, Registry, doc_context, number_documents
from .coverage import check_rendered, files_for_pack
from .errors import Problem, TemplateError
from .output import prepare, write_pack
from .profile import Profile, load_profile
from .render.excel import render_xlsx
from .render.word import PartError, load_base, render_docx
from .standards import standard_for
from .visuals import visuals
from .xlsxmem import keep_worksheets_in_memory

BASE_TEMPLATE = "_base/base.docx"


@dataclass
class RenderedPack:
    """A pack rendered in memory: documents and their bytes by relative path."""

    profile: Profile
    documents: list[Document]
    files: dict[str, bytes]
    skipped: list[Entry] = field(default_factory=list)
    seconds: float = 0.0
    coverage: Any = None  # docgen.coverage.Coverage, set by build_pack

    def counts(self) -> Counter:
        return Counter(d.entry.kind for d in self.documents)


def _when(date: dt.date | None) -> dt.datetime:
    day = date or dt.date.today()
    return dt.datetime(day.year, day.month, day.day, 12, 0, 0)


def select(
    profile: Profile, entries: list[Entry], context: dict[str, Any]
) -> tuple[list[Document], list[Entry]]:
    """The documents this profile calls for, numbered; and the entries its conditions leave out."""
    chosen = [e for e in entries if included(e, context)]
    skipped = [e for e in entries if e not in chosen]
    return number_documents(chosen, profile), skipped


def render_pack(
    profile: Profile,
    templates: TemplateSet | None = None,
    date: dt.date | None = None,
) -> RenderedPack:
    """Render every selected document; raise TemplateError listing every template problem."""
    start = time.perf_counter()
    keep_worksheets_in_memory()  # no openpyxl temporary files for a killed build to leave behind
    templates = templates or TemplateSet(builtin_templates())
    base_ctx = profile_context(profile)
    entries = load_catalog(templates)
    docs, skipped = select(profile, entries, base_ctx)
    registry = Registry(docs, {e.id for e in entries}, lambda function: base_ctx["dept_for"](function)["name"])
    base_ctx.update(registry.functions())
    base_ctx.update(visuals(base_ctx))
    when = _when(date)
    base = None
    problems: list[Problem] = []
    files: dict[str, bytes] = {}
    for doc in docs:
        owner = base_ctx["dept_for"](doc.entry.owner)["name"]
        ctx = dict(base_ctx)
        ctx["doc"] = doc_context(doc, profile, owner)
        path = templates.path(doc.entry.template)
        label = doc.entry.template
        try:
            if doc.extension == ".docx":
                if base is None:
                    base = load_base(templates.path(BASE_TEMPLATE))
                files[doc.relpath] = render_docx(base, path, ctx, when)
            else:
                files[doc.relpath] = render_xlsx(path, ctx, when, doc.entry.title)
        except PartError as exc:
            problems.append(exc.problem(label))
        except ExceptionGroup as group:
            for e in group.exceptions:
                if not isinstance(e, PartError):
                    raise
                problems.append(e.problem(label))
    if problems:
        raise TemplateError(problems)
    return RenderedPack(profile, docs, files, skipped, time.perf_counter() - start)


def build_pack(
    profile_path: str | Path,
    out: str | Path,
    *,
    date: dt.date | None = None,
    force: bool = False,
    templates_dir: str | Path | None = None,
) -> RenderedPack:
    """Validate, render and write a pack; the output folder changes only if all of it worked."""
    start = time.perf_counter()
    out = Path(out)
    keep = {"the profile": profile_path, "the templates": templates_dir}  # what OUT must not hold
    prepare(out, force, keep)
    profile = load_profile(profile_path)
    standard = standard_for(profile, profile_path)  # the clause catalog; exclusions checked before rendering
    templates = TemplateSet(builtin_templates(), Path(templates_dir) if templates_dir else None)
    pack = render_pack(profile, templates, date)
    # Coverage is read from the rendered bytes; its workbook and coverage.json are part of the atomic write.
    # The pack is written even when clauses are uncovered: the CLI then exits 3 (see docs/coverage.md).
    pack.coverage = check_rendered(pack, standard, profile_path)
    pack.files.update(files_for_pack(pack.coverage, _when(date)))
    write_pack(out, pack.files, force, keep)
    pack.seconds = time.perf_counter() - start
    return pack
