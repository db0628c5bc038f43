"""Trade modules: what a trade (行业) brings to a pack as data — its services and roles, laws,
warranty, recall and recycling regimes, safety-critical steps, emergencies, visit conduct, its
words for the customer and the product, its figures, and the documents it adds, replaces or drops.

A module is a folder `trades/<key>/` holding `trade.yaml` (and the templates of the documents it
adds) under the built-in templates or a consultant's overlay (`--templates`). A profile without
`company.trade` gets the neutral module: common text that names no trade."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import jinja2
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from ..catalog import Entry, TemplateSet
from ..errors import CatalogError, Problem
from ..facts.records import RULES
from ..validation import validation_problems
from ..vocab import FunctionKey
from ..yamlload import load_yaml, read_text
from .wording import Reword, key_problem, rewording, wording_problem

TRADE_FOLDER = "trades"
PRACTICE_FILE = "practice.yaml"  # further practice text of a trade, beside its trade.yaml
NEUTRAL = "general"


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Law(_Data):
    """A law, regulation or standard the trade's documents cite (each checked against its text)."""

    name: str = Field(description="Exact title, e.g. 《中华人民共和国特种设备安全法》.")
    number: str = Field("", description="Document number or standard code, e.g. 国务院令第583号, TSG T5002-2017.")
    use: str = Field("", description="What the pack uses it for, one phrase.")


class Regime(_Data):
    """How warranty, recall or recycling works in the trade."""

    applies: bool = Field(True, description="Whether the trade has this regime at all (a maintenance contract has no 三包).")
    law: str = Field("", description="The rule it rests on, e.g. 《家用汽车产品修理更换退货责任规定》.")
    summary: str = Field("", description="One or two sentences the documents state.")
    steps: list[str] = Field(default_factory=list, description="What the company does, in order.")


class Emergency(_Data):
    """An emergency scenario of the trade and how it is answered."""

    name: str
    response_minutes: int | None = Field(None, ge=1)
    onsite_minutes: int | None = Field(None, ge=1)
    onsite: bool = Field(True, description="Whether anyone goes to a site (a data leak: no; its arrival time is 不适用).")
    steps: list[str] = Field(default_factory=list)


class Documents(_Data):
    """How the trade changes the catalog."""

    add: list[Entry] = Field(default_factory=list, description="Documents of the trade (templates under trades/<key>/).")
    drop: list[str] = Field(default_factory=list, description="Catalog ids the trade never uses.")
    replace: dict[str, str] = Field(default_factory=dict, description="Catalog id → the trade's own template path.")
    stands_for: dict[str, str] = Field(default_factory=dict, description="Id of a document the trade adds → the common "
                                       "document it stands for where the common one is left out (ref and has of the "
                                       "common id reach it: furniture's own installation instruction for wi_installation).")
    keep: dict[str, Literal[RULES]] = Field(  # type: ignore[valid-type]
        default_factory=dict, description="Record id → how long it is kept, by a rule of the record-control table: "
        "service (the service records' years), transaction, delivery, default, current, permanent … (a trade's "
        "repair order or acceptance form kept as a service record).")
    owner: dict[str, FunctionKey] = Field(default_factory=dict, description="Catalog id → the function that owns the "
                                          "document in this trade (a car dealer's sales department hands over new cars).")
    rename: dict[str, str] = Field(default_factory=dict, description="Catalog id → the title the trade gives the "
                                   "document (e.g. 接待服务规范与礼仪作业指导书 for a workshop); its number, references "
                                   "and, for a form, its sheet name follow.")


def _checked(problem: Callable[[str], str | None]) -> Callable[[str], str]:
    def check(phrase: str) -> str:
        why = problem(phrase)
        if why:
            raise ValueError(why)
        return phrase
    return check


Phrase = Annotated[str, AfterValidator(_checked(key_problem))]  # a phrase of the common text
Wording = Annotated[str, AfterValidator(_checked(wording_problem))]  # the trade's phrase for it


class Term(_Data):
    key: str
    label: str
    clause: str = ""
    emergency: bool = Field(False, description="A service answered at emergency speed (道路救援, 困人救援): its arrival "
                            "time is the emergency's, never the area times of ordinary visits.")


class Practice(_Data):
    """A section of trade practice a common document carries (its own heading and paragraphs)."""

    title: str = Field(description="The section heading, e.g. 车辆维修的估价和工时.")
    text: list[str] = Field(min_length=1, description="Paragraphs; module text is template source "
                            "(may use facts.*, dept_for(…), trade.*), never profile text.")


class TradeModule(_Data):
    """One trade's data (trades/<key>/trade.yaml)."""

    key: str
    name: str = Field(description="The trade in Chinese, e.g. 电梯维修保养.")
    customer: str = Field("顾客", description="What the documents call the customer: 顾客, 用户, 车主, 业主, 使用单位.")
    product: str = Field("商品", description="What the documents call what is serviced: 商品, 产品, 电梯, 车辆, 家具.")
    site: str = Field("服务现场", description="Where field work happens, e.g. 顾客家中, 机房和井道, 车间.")
    services: list[Term] = Field(default_factory=list, description="Services the trade adds to the vocabulary.")
    roles: list[Term] = Field(default_factory=list, description="Roles the trade adds to the vocabulary.")
    qualifications: list[str] = Field(default_factory=list, description="Licences and certificates the work needs.")
    laws: list[Law] = Field(default_factory=list)
    warranty: Regime = Field(default_factory=Regime)
    recall: Regime = Field(default_factory=Regime)
    recycling: Regime = Field(default_factory=Regime)
    safety_steps: list[str] = Field(default_factory=list, description="Safety-critical steps of field work.")
    emergencies: list[Emergency] = Field(default_factory=list)
    visit_conduct: list[str] = Field(default_factory=list, description="Conduct on a visit (鞋套 at home, 座椅套 in a car …).")
    tools: list[str] = Field(default_factory=list, description="Tools and instruments field staff carry.")
    vocabulary: dict[str, str] = Field(default_factory=dict, description="Further trade words templates may ask for.")
    wording: dict[Phrase, Wording] = Field(
        default_factory=dict,
        description="Phrase of the common templates → the trade's phrase (上门维修: 现场维修); replaced in the "
                    "common templates' own text, the longest phrase first, never in a profile value or the trade's "
                    "own documents and practice text.")
    facts: dict[str, Any] = Field(
        default_factory=dict, description="Defaults of the facts model for this trade, by section (as in docgen/facts/defaults.yaml)."
    )
    data: dict[str, Any] = Field(default_factory=dict, description="Structured data the trade's own documents use (e.g. maintenance items).")
    documents: Documents = Field(default_factory=Documents)
    manual: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Clause (5.1.1 …) → paragraphs the manual states as the trade's own practice under that clause.")
    practice: dict[str, list[Practice]] = Field(
        default_factory=dict,
        description="Catalog id of a common document → sections of trade practice it adds to its 工作程序.")

    def rewording_for(self, template: str) -> Reword | None:
        """The trade's wording of a common template (or a common document's title); None for the
        trade's own templates, written its way, or a trade without wording."""
        return None if template.startswith(f"{TRADE_FOLDER}/") else rewording(self.wording)

    @property
    def sanbao(self) -> bool:
        """Whether a national 三包 rule (a 修理更换退货责任规定) governs the trade's goods; without one
        the documents speak of the company's 保修 and the consumer law, never of 三包."""
        return self.warranty.applies and "修理更换退货责任规定" in self.warranty.law

    def word(self, key: str, default: str = "") -> str:
        return self.vocabulary.get(key, default)


def trade_path(key: str) -> str:
    return f"{TRADE_FOLDER}/{key}/trade.yaml"


def available_trades(templates: TemplateSet) -> list[str]:
    """The trade keys the built-in templates and the overlay hold."""
    keys = set()
    for root in (templates.builtin, templates.overlay):
        if root is not None and (root / TRADE_FOLDER).is_dir():
            keys |= {p.parent.name for p in (root / TRADE_FOLDER).glob("*/trade.yaml")}
    return sorted(keys)


def load_trade(key: str | None, templates: TemplateSet) -> TradeModule:
    """The module of a trade key (None: the neutral module); CatalogError naming file and line."""
    path: Path = templates.path(trade_path(key or NEUTRAL))
    if not path.is_file():
        known = ", ".join(k for k in available_trades(templates) if k != NEUTRAL)
        if key is None:
            raise CatalogError(f"docgen's neutral trade module {trade_path(NEUTRAL)} is missing; reinstall docgen")
        raise CatalogError([Problem(f"no trade module {key!r}; built in: {known}; or add trades/{key}/trade.yaml to "
                                    "your --templates folder", key="company.trade")])
    text = read_text(path, "trade module", CatalogError)
    extra_path: Path = templates.path(f"{TRADE_FOLDER}/{key or NEUTRAL}/{PRACTICE_FILE}")
    extra_text = read_text(extra_path, "trade practice", CatalogError) if extra_path.is_file() else None
    return _parsed_trade(str(path), text, str(extra_path), extra_text)


@functools.lru_cache(maxsize=16)
def _parsed_trade(filename: str, text: str, extra_filename: str, extra_text: str | None) -> TradeModule:
    """The module parsed and checked from its files' text (cached: a build of many clients, or a
    second build in one process, reads and checks each module once)."""
    path = Path(filename)
    data, locations = load_yaml(text, str(path), CatalogError)
    try:
        module = TradeModule.model_validate(data)
    except ValidationError as exc:
        raise CatalogError(validation_problems(exc, locations, str(path), TradeModule)) from None
    problems = _practice_syntax(module, locations, str(path))
    if extra_text is not None:
        extra, extra_problems = _load_practice(Path(extra_filename), extra_text)
        problems += extra_problems
        if extra is not None:
            module = _merged(module, extra)
    if problems:
        raise CatalogError(problems)
    return module


class PracticeFile(_Data):
    """A trade's further practice text kept beside trade.yaml (practice.yaml), merged into it."""

    manual: dict[str, list[str]] = Field(default_factory=dict)
    practice: dict[str, list[Practice]] = Field(default_factory=dict)


def _load_practice(path: Path, text: str) -> tuple[PracticeFile | None, list[Problem]]:
    data, locations = load_yaml(text, str(path), CatalogError)
    try:
        extra = PracticeFile.model_validate(data)
    except ValidationError as exc:
        return None, validation_problems(exc, locations, str(path), PracticeFile)
    return extra, _practice_syntax(extra, locations, str(path))


def _merged(module: TradeModule, extra: PracticeFile) -> TradeModule:
    """The module with practice.yaml's paragraphs and sections after its own, clause by clause and document by document."""
    manual = {k: list(v) for k, v in module.manual.items()}
    for clause, paras in extra.manual.items():
        manual.setdefault(clause, []).extend(paras)
    practice = {k: list(v) for k, v in module.practice.items()}
    for doc_id, sections in extra.practice.items():
        practice.setdefault(doc_id, []).extend(sections)
    return module.model_copy(update={"manual": manual, "practice": practice})


def practice_sources(manual: dict[str, list[str]], practice: dict[str, list[Practice]]
                     ) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every template string of a module's practice text, with its key path in its file."""
    for clause, paras in manual.items():
        for i, text in enumerate(paras):
            yield ("manual", clause, i), text
    for doc_id, sections in practice.items():
        for j, sec in enumerate(sections):
            yield ("practice", doc_id, j, "title"), sec.title
            for i, text in enumerate(sec.text):
                yield ("practice", doc_id, j, "text", i), text


def _practice_syntax(text: TradeModule | PracticeFile, locations: dict, filename: str) -> list[Problem]:
    """Syntax errors in practice text (trade.yaml's or practice.yaml's), each at its line in its file."""
    from ..render.env import renderer

    env = renderer()
    problems = []
    for keys, source in practice_sources(text.manual, text.practice):
        try:
            env.parse(source)
        except jinja2.TemplateSyntaxError as exc:
            line = locations.get(keys, (None, None))[0]
            problems.append(Problem(f"template error in trade text: {exc.message}", file=filename, line=line,
                                    key=".".join(str(k) for k in keys)))
    return problems


def _worded_title(entry: Entry, trade: TradeModule) -> str:
    """A common document's title in the trade's wording (its own documents are titled its way)."""
    reword = trade.rewording_for(entry.template)
    return reword(entry.title) if reword else entry.title


def _retitled(entry: Entry, title: str) -> Entry:
    if title == entry.title:
        return entry
    return entry.model_copy(update={"title": title, "renamed_from": entry.title})


def apply_documents(entries: list[Entry], trade: TradeModule) -> list[Entry]:
    """The catalog as the trade changes it: drops, replacements, and additions after their kind."""
    docs = trade.documents
    out = [e.model_copy(update={"template": docs.replace[e.id]}) if e.id in docs.replace else e
           for e in entries if e.id not in docs.drop]
    kinds = {e.id: e.kind for e in entries}
    added = {e.id for e in docs.add}
    wrong = [Problem(f"trade {trade.key!r} {verb} {doc_id!r}, which is not in the catalog", key=f"documents.{field}.{doc_id}")
             for field, verb, ids in (("rename", "renames", docs.rename), ("owner", "gives an owner to", docs.owner),
                                      ("keep", "gives a retention to", [k for k in docs.keep if k not in added]))
             for doc_id in ids if doc_id not in kinds]
    wrong += [Problem(f"trade {trade.key!r}: {own!r} stands for {common!r}, but "
                      + (f"{common!r} is not in the catalog" if common not in kinds else f"{own!r} is not a document it adds"),
                      key=f"documents.stands_for.{own}")
              for own, common in docs.stands_for.items() if common not in kinds or own not in added]
    if wrong:
        raise CatalogError(wrong)
    out = [_retitled(e, docs.rename.get(e.id) or _worded_title(e, trade)) for e in out]
    out = [e.model_copy(update={"owner": docs.owner[e.id]}) if e.id in docs.owner else e for e in out]
    for extra in docs.add:
        last = max((i for i, e in enumerate(out) if e.kind == extra.kind), default=len(out) - 1)
        out.insert(last + 1, extra)
    return out
