"""Clause catalogs (standards/*.yaml): the model, the loader with file/line errors, and profile checks."""

from __future__ import annotations

import difflib
import re
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import CatalogError, Problem, ProfileError
from ..profile import Profile
from ..validation import validation_problems
from ..vocab import FunctionKey
from ..yamlload import KeyPath, dotted, load_yaml, locate, read_text

HERE = Path(__file__).resolve().parent
_ID = r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(_Model):
    """What an auditor asks to see for a clause."""

    documents: list[str] = Field(default_factory=list, description="Documents: manual sections, procedures, rules.")
    records: list[str] = Field(default_factory=list, description="Records: forms, registers, reports, certificates.")


class Item(_Model):
    """A third-level item of a clause (e.g. 5.1.2.2); a reference to it counts for its clause."""

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    requirement: str = Field("", description="The requirement in our own words.")
    evidence: Evidence = Field(default_factory=Evidence)
    points: float | None = Field(None, ge=0, description="Points, where known.")
    excludable: bool = Field(False, description="Whether the item may be excluded as not applicable.")


class Clause(_Model):
    """A clause the pack must cover (GB/T 27922: a second-level indicator such as 5.3.2)."""

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    requirement: str = Field(min_length=1, description="The requirement in our own words.")
    evidence: Evidence = Field(default_factory=Evidence)
    points: float | None = Field(None, ge=0, description="Points, where known (null: not published).")
    responsible: FunctionKey | None = Field(None, description="Function of the department that is 主责.")
    related: list[FunctionKey] = Field(default_factory=list, description="Functions of the 相关 departments.")
    excludable: bool = Field(False, description="Whether a company may exclude it as not applicable (6.2.2).")
    items: list[Item] = Field(default_factory=list, description="Third-level items, where known.")

    @model_validator(mode="after")
    def _items_inside(self) -> Clause:
        for item in self.items:
            if not item.id.startswith(self.id + "."):
                raise ValueError(f"item {item.id} does not belong to clause {self.id} (expected {self.id}.N)")
        if self.responsible and self.responsible in self.related:
            raise ValueError(f"{self.responsible} is both responsible and related")
        return self


class Indicator(_Model):
    """A first-level group of clauses (GB/T 27922: 5.1, 5.2, 5.3)."""

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)
    points: float | None = Field(
        None, ge=0, description="Total points of the indicator, where known; its clause points are weights scaled to it."
    )
    clauses: list[Clause] = Field(min_length=1)


class Level(_Model):
    """A level awarded at or above a score (达标, 三星 …)."""

    name: str = Field(min_length=1)
    min_score: float = Field(ge=0, le=100)


class LevelScheme(_Model):
    """Another published set of level thresholds, kept for reference and selectable by id."""

    id: str = Field(pattern=r"^[a-z0-9_-]+$")
    name: str = Field(min_length=1)
    levels: list[Level] = Field(min_length=1)
    note: str = ""


class Reference(_Model):
    """A clause outside the coverage target that documents may cite (e.g. 6.2.2)."""

    id: str = Field(pattern=_ID)
    title: str = Field(min_length=1)


def _ascending(levels: list[Level]) -> list[Level]:
    scores = [lv.min_score for lv in levels]
    if scores != sorted(scores) or len(set(scores)) != len(scores):
        raise ValueError("levels must be listed from the lowest threshold to the highest, each higher than the last")
    return levels


class Standard(_Model):
    """A clause catalog: what a pack is checked against."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", description="Name used in the profile's certification.standard.")
    code: str = Field(min_length=1, description="The code as written before a clause number, e.g. GB/T 27922-2011.")
    title: str = Field(min_length=1)
    note: str = ""
    catalog_clauses: bool = Field(
        False, description="True when the `clauses:` lists of templates/catalog.yaml refer to this catalog."
    )
    levels: list[Level] = Field(default_factory=list, description="Level thresholds, lowest first.")
    level_variants: list[LevelScheme] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list, description="Other citable clauses.")
    indicators: list[Indicator] = Field(min_length=1)

    @field_validator("levels")
    @classmethod
    def _levels_ok(cls, value: list[Level]) -> list[Level]:
        return _ascending(value)

    @field_validator("level_variants")
    @classmethod
    def _variants_ok(cls, value: list[LevelScheme]) -> list[LevelScheme]:
        for scheme in value:
            _ascending(scheme.levels)
        return value

    @model_validator(mode="after")
    def _unique_ids(self) -> Standard:
        seen: set[str] = set()
        for node in self._all_nodes():
            if node in seen:
                raise ValueError(f"clause id {node} is listed twice")
            seen.add(node)
        return self

    def _all_nodes(self) -> list[str]:
        ids = [r.id for r in self.references]
        for ind in self.indicators:
            ids.append(ind.id)
            for c in ind.clauses:
                ids.append(c.id)
                ids.extend(i.id for i in c.items)
        return ids

    # ------------------------------------------------------------------ lookups
    @cached_property
    def clauses(self) -> list[Clause]:
        """Every coverage target, in catalog order."""
        return [c for ind in self.indicators for c in ind.clauses]

    @cached_property
    def clause_by_id(self) -> dict[str, Clause]:
        return {c.id: c for c in self.clauses}

    @cached_property
    def indicator_of(self) -> dict[str, Indicator]:
        return {c.id: ind for ind in self.indicators for c in ind.clauses}

    @cached_property
    def item_by_id(self) -> dict[str, tuple[Clause, Item]]:
        return {i.id: (c, i) for c in self.clauses for i in c.items}

    @cached_property
    def known_ids(self) -> set[str]:
        return set(self._all_nodes())

    def target_of(self, ref: str) -> str | None:
        """The coverage target a cited id counts for: the clause itself, or the clause of an item."""
        if ref in self.clause_by_id:
            return ref
        if ref in self.item_by_id:
            return self.item_by_id[ref][0].id
        return None

    def title_of(self, ref: str) -> str:
        if ref in self.clause_by_id:
            return self.clause_by_id[ref].title
        if ref in self.item_by_id:
            return self.item_by_id[ref][1].title
        for ind in self.indicators:
            if ind.id == ref:
                return ind.title
        return next((r.title for r in self.references if r.id == ref), "")

    def excludable(self, ref: str) -> bool:
        if ref in self.clause_by_id:
            return self.clause_by_id[ref].excludable
        if ref in self.item_by_id:
            return self.item_by_id[ref][1].excludable
        return False

    def exclusion_refused(self, ref: str, reason: str) -> str | None:
        """The one rule for an exclusion: None when allowed, else why not ('no_reason': none
        given; 'unknown': not a clause or item of this catalog; 'refused': the catalog requires it
        of every company, GB/T 27922 6.2.2)."""
        if not reason.strip():
            return "no_reason"
        if ref not in self.clause_by_id and ref not in self.item_by_id:
            return "unknown"
        if not self.excludable(ref):
            return "refused"
        return None

    @cached_property
    def reference_pattern(self) -> re.Pattern[str]:
        """Matches the code followed by one clause number, a list (5.1.1、5.1.2) or a range (5.1.1～5.1.3)."""
        parts = re.split(r"(\s+|-|/)", self.code.strip())
        code = ""
        for part in parts:
            if not part:
                continue
            if part.isspace():
                code += r"\s*"
            elif part == "-":
                code += r"\s*[-－—–]\s*"
            elif part == "/":
                code += r"\s*[/／]\s*"
            else:
                code += re.escape(part)
        num = r"\d+(?:\.\d+)*"
        sep = r"\s*(?:、|，|,|；|;|和|及|与|～|~|〜|—|至|到)\s*"
        return re.compile(code + r"\s*(?:第\s*)?(" + num + r"(?:" + sep + num + r")*)(?![\d.]*\d)")

    @cached_property
    def _order(self) -> list[str]:
        return self._all_nodes()

    @cached_property
    def _probe(self) -> str:
        """A fragment every reference contains (the longest run of digits or letters in the code)."""
        runs = re.findall(r"[0-9A-Za-z]+", self.code)
        return max(runs, key=len) if runs else ""

    def parse_references(self, text: str) -> list[tuple[str, str]]:
        """(cited id, matched text) for every clause cited in `text`; ranges expand over catalog order."""
        out: list[tuple[str, str]] = []
        if self._probe not in text:
            return out
        order = self._order
        for m in self.reference_pattern.finditer(text):
            tokens = re.split(r"\s*(、|，|,|；|;|和|及|与|～|~|〜|—|至|到)\s*", m.group(1))
            ids = tokens[0::2]
            seps = tokens[1::2]
            cited = [ids[0]]
            for sep, nxt in zip(seps, ids[1:], strict=True):
                if sep in {"～", "~", "〜", "—", "至", "到"} and cited[-1] in order and nxt in order:
                    a, b = order.index(cited[-1]), order.index(nxt)
                    depth = cited[-1].count(".")
                    cited.extend(x for x in order[a + 1 : b + 1] if x.count(".") == depth)
                else:
                    cited.append(nxt)
            out.extend((c, m.group(0)) for c in cited)
        return out

    # ------------------------------------------------------------------ scoring
    def level_for(self, score: float, variant: str | None = None) -> str | None:
        """The level a score reaches (None below the lowest threshold)."""
        levels = self.levels
        if variant:
            scheme = next((s for s in self.level_variants if s.id == variant), None)
            if scheme is None:
                raise CatalogError(f"{self.id}: no level variant {variant!r}")
            levels = scheme.levels
        reached = [lv.name for lv in levels if score >= lv.min_score]
        return reached[-1] if reached else None

    def score(self, got: dict[str, float], excluded: frozenset[str] | set[str] = frozenset()) -> float:
        """Points got ÷ points of the applicable clauses × 100 (excluded clauses drop out)."""
        applicable = [c for c in self.clauses if c.id not in excluded and c.points]
        total = sum(c.points or 0 for c in applicable)
        if not total:
            raise CatalogError(f"{self.id}: the catalog gives no points to score with")
        return round(sum(min(got.get(c.id, 0), c.points or 0) for c in applicable) / total * 100, 2)


# ---------------------------------------------------------------------- loading
def builtin_standards() -> dict[str, Path]:
    """The catalogs shipped with docgen, by id (file stem)."""
    return {p.stem: p for p in sorted(HERE.glob("*.yaml"))}


def load_standard(path: str | Path) -> Standard:
    """Read and validate one clause catalog; raise CatalogError naming file, line and key (cached per file version)."""
    path = Path(path)
    try:
        st = path.resolve().stat()
    except OSError:
        return _load_standard(path, 0, 0)
    return _load_standard(path.resolve(), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=16)
def _load_standard(path: Path, mtime_ns: int, size: int) -> Standard:
    text = read_text(path, "clause catalog", CatalogError)
    data, locations = load_yaml(text, str(path), CatalogError)
    if not isinstance(data, dict):
        raise CatalogError([Problem("expected a mapping (id:, code:, indicators: …) at the top", file=str(path), line=1)])
    try:
        return Standard.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(validation_problems(exc, locations, str(path), Standard)) from None


def is_standard_file(name: str) -> bool:
    """Whether `certification.standard` names a file (a .yaml path) rather than a built-in id."""
    return name.endswith((".yaml", ".yml"))


def resolve_standard(name: str, base_dir: Path | None = None) -> Path:
    """A built-in catalog id, or a .yaml path (relative to base_dir, the profile's folder)."""
    if is_standard_file(name):
        path = Path(name)
        if not path.is_absolute() and base_dir is not None:
            path = base_dir / path
        return path
    known = builtin_standards()
    if name not in known:
        close = difflib.get_close_matches(name, list(known), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise CatalogError(
            [Problem(f"no built-in clause catalog {name!r}; {hint}built in: {', '.join(known)}; or give a path to a .yaml file",
                     key="certification.standard")]
        )
    return known[name]


def standard_for(profile: Profile, profile_path: str | Path | None = None) -> Standard:
    """The catalog the profile selects, with its exclusions checked against it."""
    base = Path(profile_path).resolve().parent if profile_path else None
    standard = load_standard(resolve_standard(profile.certification.standard, base))
    check_exclusions(profile, standard, profile_path)
    return standard


def check_exclusions(profile: Profile, standard: Standard, profile_path: str | Path | None = None) -> None:
    """Every exclusion names a clause of the catalog that may be excluded, and gives a reason."""
    found: list[tuple[KeyPath, str]] = []
    for i, ex in enumerate(profile.certification.excluded):
        key: KeyPath = ("certification", "excluded", i)
        clause = ex.clause.strip()
        refused = standard.exclusion_refused(clause, ex.reason)
        if refused == "no_reason":
            found.append((key + ("reason",), f"clause {clause} is excluded without a reason; say why it does not apply (删减理由)"))
            refused = standard.exclusion_refused(clause, "reason given")
        if refused == "unknown":
            close = difflib.get_close_matches(clause, [c.id for c in standard.clauses], n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            found.append((key + ("clause",), f"{standard.code} has no clause {clause}{hint}"))
        elif refused == "refused":
            found.append((key + ("clause",), f"clause {clause} {standard.title_of(clause)} cannot be excluded: "
                                             f"{standard.code} requires it of every company"))
    if not found:
        return
    filename = profile.source or (str(profile_path) if profile_path else None)
    raise ProfileError([Problem(msg, file=filename, line=locate(profile.locations, key)[0], key=dotted(key)) for key, msg in found])


def describe(standard: Standard) -> dict[str, Any]:
    """A plain summary for JSON output."""
    return {"id": standard.id, "code": standard.code, "title": standard.title}
