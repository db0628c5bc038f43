"""Living with a pack over the years: what a rebuild would change (status), how two packs differ
(diff), and taking a file edited by hand as the controlled version (adopt)."""

from __future__ import annotations

import datetime as dt
import difflib
import os
from dataclasses import replace
from pathlib import Path

from ..catalog import TemplateSet, builtin_templates
from ..control.manifest import MANIFEST, TEXTS, Manifest, ManifestError, content_hash, read_manifest, sha, text_lines
from ..control.stamp import stamp_version
from ..errors import DocgenError, Problem
from ..profile import load_profile
from ..standards import standard_for
from .output import transaction
from .rebuild import Change


def pack_status(profile_path: str | Path, pack_dir: str | Path, *, templates_dir: str | Path | None = None,
                date: dt.date | None = None) -> list[Change]:
    """What a rebuild of PACK from PROFILE would do to each document, without writing anything."""
    from . import _build_into, when_of

    pack = Path(pack_dir)
    if read_manifest(pack) is None:
        raise ManifestError([Problem("no manifest.json: not a pack docgen built (or built before manifests); "
                                     "build it once, then status compares", file=str(pack))])
    templates = TemplateSet(builtin_templates(), Path(templates_dir) if templates_dir else None)
    profile = load_profile(profile_path, templates)
    standard = standard_for(profile, profile_path)
    built = _build_into(pack.resolve(), profile, templates, standard, when_of(date), profile_path, "report", "")
    return [c for c in built.changes if c.action != "unchanged"]


def _documents(pack: Path) -> dict[str, tuple[str, Path]]:
    """id (from the manifest; else the number) → (label, file) of each document of a pack."""
    manifest = read_manifest(pack)
    if manifest is not None:
        return {r.id: (f"{r.number} {r.title}", pack / r.path) for r in manifest.records
                if r.kind != "generated" and (pack / r.path).is_file()}
    out = {}
    for p in sorted(pack.rglob("*")):
        if p.suffix in {".docx", ".xlsx"} and not any(part.startswith(".") for part in p.relative_to(pack).parts):
            out[p.stem.split(" ")[0]] = (p.stem, p)
    return out


def diff_packs(a: str | Path, b: str | Path) -> list[str]:
    """Document by document, the text that differs between two packs (or a pack and its archive)."""
    left, right = _documents(Path(a)), _documents(Path(b))
    lines: list[str] = []
    for key in [*right, *(k for k in left if k not in right)]:  # in the order of the packs' documents
        if key not in right:
            lines.append(f"- {left[key][0]} (only in {a})")
            continue
        if key not in left:
            lines.append(f"+ {right[key][0]} (only in {b})")
            continue
        old = [x.split("\t", 1)[-1] for x in text_lines(left[key][1].name, left[key][1].read_bytes())]
        new = [x.split("\t", 1)[-1] for x in text_lines(right[key][1].name, right[key][1].read_bytes())]
        if old == new:
            continue
        lines.append(f"~ {right[key][0]}")
        lines += [f"    {ln}" for ln in difflib.unified_diff(old, new, lineterm="", n=0)
                  if not ln.startswith(("---", "+++", "@@"))]
    return lines


def adopt(pack_dir: str | Path, files: list[str | Path], *, note: str = "", date: dt.date | None = None) -> list[str]:
    """Take files edited by hand as the pack's controlled versions: next revision, history line
    按实际修订, their content recorded; later rebuilds keep them. Returns the lines to print."""
    pack = Path(pack_dir)
    day = date or dt.date.today()
    with transaction(pack) as target:
        manifest = read_manifest(target)
        if manifest is None:
            raise ManifestError([Problem("no manifest.json: not a pack docgen built", file=str(pack))])
        by_path = {r.path: r for r in manifest.records}
        problems, done = [], []
        records = list(manifest.records)
        for f in files:
            rel = Path(f).resolve().relative_to(target).as_posix() if Path(f).is_absolute() or Path(f).exists() else str(f)
            record = by_path.get(rel)
            if record is None or record.kind == "generated" or record.state is None:
                problems.append(Problem(f"not a document of this pack's manifest ({rel})", file=str(f)))
                continue
            state = record.state.revised(day, "按实际", note or "按实际修订", record.state.history[-1].by,
                                         record.state.history[-1].approved_by, "{edition}/{revision}")
            state = replace(state, history=state.history[:-1] + (replace(state.history[-1], summary="按实际修订"
                                                                             + (f"：{note}" if note else "")),))
            # the file says its new version too: cover and revision history (Word), form header (Excel)
            data = stamp_version(rel, (target / rel).read_bytes(), record.state.version(), state.version(),
                                 state.history[-1])
            _atomic(target / rel, data)
            new = replace(record, status="按实际", state=state, content_hash=content_hash(rel, data), file_hash=sha(data))
            records[records.index(record)] = new
            _atomic(target / TEXTS / f"{record.id}.txt", "\n".join(text_lines(rel, data)).encode("utf-8"))
            done.append(f"adopted {record.number} {record.title} as {state.version()} (按实际修订)")
        if problems:
            raise DocgenError(problems, title="adopt")
        _atomic(target / MANIFEST, Manifest(manifest.docgen_version, manifest.profile_hash, manifest.templates_hash,
                                            manifest.edition, records).to_text().encode("utf-8"))
    return done


def _atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)
