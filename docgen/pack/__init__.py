"""Build orchestration: validate the profile, select and number documents, render them all in
memory, check their coverage, and only then write the pack atomically."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import Entry, TemplateSet, builtin_templates, load_catalog
from ..context import PackContext, build_context
from ..context.documents import render_each
from ..control import Document
from ..coverage import Coverage, DocInfo, SkippedInfo, check_rendered, pack_info
from ..errors import OutputError, ProfileError
from ..profile import Profile, load_profile
from ..render.toc import paginate
from ..render.xlsxmem import keep_worksheets_in_memory
from ..standards import Standard, standard_for
from ..trades import apply_documents
from .output import prepare, transaction, write_pack
from .rebuild import Change, Policy, plan_documents


@dataclass
class RenderedPack:
    """A pack rendered in memory: documents and their bytes by relative path."""

    profile: Profile
    documents: list[Document]
    files: dict[str, bytes]
    skipped: list[Entry] = field(default_factory=list)
    seconds: float = 0.0

    def counts(self) -> Counter[str]:
        return Counter(d.entry.kind for d in self.documents)

    def doc_infos(self) -> list[DocInfo]:
        """The documents as coverage reads them."""
        return [DocInfo(d.number, d.entry.title, d.relpath, d.entry.kind, d.entry.id, tuple(d.entry.clauses))
                for d in self.documents]

    def skipped_infos(self) -> list[SkippedInfo]:
        return [SkippedInfo(e.id, e.title, e.kind, e.when or "", tuple(e.clauses)) for e in self.skipped]


@dataclass
class BuiltPack(RenderedPack):
    """A pack rendered, checked and written: the files with their coverage and what the build
    did to each document of the pack it replaced."""

    coverage: Coverage = field(kw_only=True)
    changes: list[Change] = field(default_factory=list, kw_only=True)

    def changed(self, *actions: str) -> list[Change]:
        return [c for c in self.changes if c.action in actions]


def when_of(date: dt.date | None) -> dt.datetime:
    """The moment stamped into the files: noon of `date` (default today)."""
    day = date or dt.date.today()
    return dt.datetime(day.year, day.month, day.day, 12, 0, 0)


def render_documents(context: PackContext, templates: TemplateSet, when: dt.datetime,
                     documents: list[Document] | None = None) -> dict[str, bytes]:
    """Every document of the context rendered, with contents page numbers; TemplateError listing
    every template problem (docgen/context/documents.py)."""
    files = render_each(context.documents if documents is None else documents, context.document, templates, when)
    return paginate(files)[0]  # contents page numbers (docgen/render/toc.py)


def render_pack(
    profile: Profile,
    templates: TemplateSet | None = None,
    date: dt.date | None = None,
) -> RenderedPack:
    """Render every selected document; raise TemplateError listing every template problem."""
    start = time.perf_counter()
    keep_worksheets_in_memory()  # no openpyxl temporary files for a killed build to leave behind
    templates = templates or TemplateSet(builtin_templates())
    context = build_context(profile, apply_documents(load_catalog(templates), profile.trade))
    files = render_documents(context, templates, when_of(date))
    return RenderedPack(profile, context.documents, files, context.skipped, time.perf_counter() - start)


def build_pack(
    profile_path: str | Path,
    out: str | Path,
    *,
    date: dt.date | None = None,
    force: bool = False,
    templates_dir: str | Path | None = None,
    note: str = "",
    keep_edited: bool = False,
    release: bool = False,
) -> BuiltPack:
    """Validate, render and write a pack; the output folder changes only if all of it worked.

    Into an existing pack (one with a manifest) each document is kept byte for byte when its
    content is unchanged, revised when it changed, archived when it is no longer selected; a file
    edited by hand is never overwritten silently (EditedError), unless `keep_edited` (left as it is)
    or `force` (copied aside into 作废文件/替换前备份/<date>/ first)."""
    start = time.perf_counter()
    out = Path(out)
    keep = {"the profile": profile_path, "the templates": templates_dir}  # what OUT must not hold
    prepare(out, force, keep)
    templates = TemplateSet(builtin_templates(), Path(templates_dir) if templates_dir else None)
    profile = load_profile(profile_path, templates)
    standard = standard_for(profile, profile_path)  # the clause catalog; exclusions checked before rendering
    check_promises(profile)
    when = when_of(date)
    with transaction(out, keep) as target:
        built = _build_into(target, profile, templates, standard, when, profile_path,
                            "force" if force else "keep" if keep_edited else "refuse", note, release)
        write_pack(target, built.files, force, keep)
    built.seconds = time.perf_counter() - start
    return built


def check_promises(profile: Profile) -> None:
    """The published commitments agree with the facts the procedures state (ProfileError), and
    those tied to no fact are warned (profile.warnings)."""
    from ..consistency.commitments import commitment_problems

    errors, warnings = commitment_problems(profile)
    if errors:
        raise ProfileError(errors)
    profile.warnings.extend(w for w in warnings if w not in profile.warnings)


def _build_into(target: Path, profile: Profile, templates: TemplateSet, standard: Standard, when: dt.datetime,
                profile_path: str | Path, policy: Policy, note: str, release: bool = False) -> BuiltPack:
    """Everything the pack will hold, decided against the pack on disk (under its lock)."""
    from ..control.state import next_edition
    from .control_files import control_files, previous_pack

    keep_worksheets_in_memory()
    disk = previous_pack(target)
    if release and disk.manifest is None:
        raise OutputError(f"{target} holds no pack with a manifest to release a new edition of; build it first")
    edition = next_edition(disk.manifest.edition) if release and disk.manifest else None
    context = build_context(profile, apply_documents(load_catalog(templates), profile.trade))
    outcome = plan_documents(context, lambda docs: render_documents(context, templates, when, docs), disk,
                             when.date(), note, policy, edition)
    rendered = RenderedPack(profile, context.documents, {d.relpath: outcome.files[d.relpath] for d in context.documents},
                            context.skipped)
    # Coverage is read from the bytes about to be written; its workbook and coverage.json are part of the atomic
    # write. The pack is written even when clauses are uncovered: the CLI then exits 3 (see docs/coverage.md).
    info = pack_info(profile, rendered.doc_infos(), rendered.skipped_infos(), profile_path)
    coverage = check_rendered(info, rendered.files, standard)
    files = {**outcome.files, **control_files(profile, context, outcome, coverage, disk, when)}
    if disk.manifest is None and policy == "force":
        files.update(disk.backup_all(when.date()))
    return BuiltPack(profile, context.documents, files, context.skipped, coverage=coverage, changes=outcome.changes)
