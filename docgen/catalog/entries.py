"""The template catalog (catalog.yaml): which documents exist, their kind, template, declared
clauses, owner, and the profile condition that includes them; and where template files are found."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import CatalogError, Problem
from ..render.env import TEXT_SUFFIX, Renderer
from ..validation import validation_problems
from ..vocab import FunctionKey, KindKey
from ..yamlload import load_yaml, read_text


class Entry(BaseModel):
    """One document of the catalog."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Stable identifier used by ref('…').")
    kind: KindKey
    title: str = Field(min_length=1)
    template: str = Field(description="Path under templates/, e.g. procedures/document_control.docx.")
    clauses: list[str] = Field(default_factory=list, description="Clauses the document declares it covers.")
    owner: FunctionKey = Field("after_sales", description="Owning function (department with that function).")
    when: str | None = Field(None, description="Jinja expression over the profile; the document is included when true.")
    renamed_from: str | None = Field(None, description="Set by docgen, not in a catalog: the title the template was "
                                     "written with, when a trade retitles the document (a form's sheet follows).")


class CatalogFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    documents: list[Entry]


@dataclass(frozen=True)
class TemplateSet:
    """Built-in templates with an optional consultant overlay laid over them by relative path."""

    builtin: Path
    overlay: Path | None = None

    def path(self, relative: str) -> Path:
        if self.overlay is not None:
            candidate = self.overlay / relative
            if candidate.is_file():
                return candidate
        return self.builtin / relative

    def all_files(self) -> dict[str, Path]:
        files: dict[str, Path] = {}
        for root in (self.builtin, self.overlay):
            if root is None:
                continue
            for p in sorted(root.rglob("*")):
                if p.is_file() and p.suffix in {".docx", ".xlsx"} and not p.name.startswith("~$"):
                    files[p.relative_to(root).as_posix()] = p
        return files


def builtin_templates() -> Path:
    """The templates shipped with docgen (inside the wheel, or the source tree's templates/)."""
    here = Path(__file__).resolve().parents[1]  # the docgen package
    for candidate in (here / "templates", here.parent / "templates"):
        if (candidate / "catalog.yaml").is_file():
            return candidate
    raise CatalogError("docgen's built-in templates are missing (no templates/catalog.yaml); reinstall docgen")


def load_catalog(templates: TemplateSet, require_files: bool = True) -> list[Entry]:
    path = templates.path("catalog.yaml")
    text = read_text(path, "catalog", CatalogError)
    data, locations = load_yaml(text, str(path), CatalogError)
    try:
        parsed = CatalogFile.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(validation_problems(exc, locations, str(path), CatalogFile)) from None
    problems = []
    seen: set[str] = set()
    for i, e in enumerate(parsed.documents):
        line = locations.get(("documents", i), (None, None))[0]
        if e.id in seen:
            problems.append(Problem(f"duplicate document id {e.id!r}", file=str(path), line=line, key=f"documents[{i}].id"))
        seen.add(e.id)
        if require_files and not templates.path(e.template).is_file():
            problems.append(Problem(f"template file {e.template!r} not found", file=str(path), line=line, key=f"documents[{i}].template"))
    if problems:
        raise CatalogError(problems)
    return parsed.documents


def included(entry: Entry, context: dict[str, Any], env: Renderer) -> bool:
    """Evaluate the entry's `when` condition against the profile context."""
    if not entry.when:
        return True
    source = "{% if " + entry.when + " %}1{% endif %}"
    try:
        return env.template(source, TEXT_SUFFIX).render(context) == "1"
    except jinja2.TemplateError as exc:
        raise CatalogError([Problem(f"condition {entry.when!r} of {entry.id!r} failed: {exc}", file="catalog.yaml", key=f"{entry.id}.when")]) from None
