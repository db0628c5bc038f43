"""The template context, built once per build from the profile, the catalog entries and the
selected documents, with a view per document; used alike by build, lint and preview."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..catalog import Entry, included
from ..control import Document, control_block, number_documents
from ..facts import resolve_facts
from ..profile import Profile
from ..render.env import TEXT_SUFFIX, Renderer, renderer
from ..trades import TradeModule
from ..vocab import COMPANY_TYPES, FUNCTIONS, MODES, ROLES, SERVICES
from .filters import FILTERS
from .registry import DocRef, Registry, doc_ref
from .visuals import visuals


def template_renderer() -> Renderer:
    """The renderer with docgen's filters (one per process)."""
    return renderer(FILTERS)


def profile_context(profile: Profile) -> dict[str, Any]:
    """The profile as plain data plus the lookups every template needs (no documents yet)."""
    data = profile.model_dump(mode="python")
    trade = profile.trade
    vocab = SERVICES.extend(t.model_dump() for t in trade.services)
    roles = ROLES.extend(t.model_dump() for t in trade.roles)
    people = data["people"]
    departments = data["departments"]
    dept_by_name = {d["name"]: d for d in departments}

    def with_role(role: str) -> list[dict]:
        return [p for p in people if role in p["roles"]]

    def dept_for(function: str) -> dict:
        """The department responsible for a function (after_sales, hr, quality …), else after-sales."""
        return dept_by_name[profile.department_for(function).name]

    for p in people:
        p["roles_cn"] = [roles.label(r) for r in p["roles"]]
    for d in departments:
        d["functions_cn"] = [FUNCTIONS.label(f) for f in d["functions"]]
        d["members"] = [p for p in people if p["department"] == d["name"]]
        d["head_title"] = next((p["title"] for p in people if p["name"] == d["head"]), "负责人")

    services = {}
    for key in vocab:
        svc = dict(data["services"].get(key) or {"offered": False, "mode": "in_house", "partners": [], "channels": [], "note": None})
        svc["key"] = key
        svc["name_cn"] = vocab.label(key)
        svc["clause"] = vocab[key].clause
        svc["mode_cn"] = MODES.label(svc["mode"])
        svc["in_house"] = svc["offered"] and svc["mode"] in {"in_house", "mixed"}
        svc["entrusted"] = svc["offered"] and svc["mode"] in {"entrusted", "mixed"}
        services[key] = svc

    outlets = data["outlets"]
    ctx = dict(data)
    ctx.update(
        services=services,
        company_type_cn=COMPANY_TYPES.label(data["company"]["type"]),
        general_manager=with_role("general_manager")[0],
        management_representative=with_role("management_representative")[0],
        after_sales_head=with_role("after_sales_head")[0],
        service_managers=with_role("service_manager"),
        internal_auditors=with_role("internal_auditor"),
        after_sales_dept=dept_for("after_sales"),
        supervision_dept=dept_for("supervision"),
        own_outlets=[o for o in outlets if o["kind"] == "own"],
        entrusted_outlets=[o for o in outlets if o["kind"] == "entrusted"],
        outlet_staff_total=sum(o["staff"] for o in outlets),
        offered_services=[s for s in services.values() if s["offered"]],
        entrusted_services=[s for s in services.values() if s["entrusted"]],
        excluded_clauses={e["clause"]: e["reason"] for e in data["certification"]["excluded"]},
        role_names=roles.labels(),
        function_names=FUNCTIONS.labels(),
        facts=resolve_facts(profile),
        distance_selling=profile.company.distance_selling if profile.company.distance_selling is not None
        else profile.company.type == "ecommerce",
        trade=trade,
    )
    ctx["dept_by_name"] = dept_by_name
    ctx["with_role"] = with_role
    ctx["dept_for"] = dept_for
    ctx.update(trade_practice(trade, ctx))
    return ctx


def trade_practice(trade: TradeModule, ctx: dict[str, Any]) -> dict[str, Any]:
    """`manual_practice(clause)` and `practice(doc_id)`: the trade's own practice text, rendered as
    plain text with the pack's shared context (module text is template source; profile values stay
    values), each once per build however often a template asks."""
    env = template_renderer()
    rendered: dict[tuple[str, str], Any] = {}

    def text(source: str) -> str:  # kept exactly as rendered: a profile value's own spaces stay
        return env.template(source, TEXT_SUFFIX).render(ctx)

    def manual_practice(clause: str) -> list[str]:
        if ("manual", clause) not in rendered:
            rendered["manual", clause] = [t for t in (text(p) for p in trade.manual.get(clause, [])) if t.strip()]
        return rendered["manual", clause]

    def practice(doc_id: str) -> list[dict[str, Any]]:
        if ("practice", doc_id) not in rendered:
            out = []
            for sec in trade.practice.get(doc_id, []):
                paras = [t for t in (text(p) for p in sec.text) if t.strip()]
                if paras:
                    out.append({"title": text(sec.title), "text": paras})
            rendered["practice", doc_id] = out
        return rendered["practice", doc_id]

    return {"manual_practice": manual_practice, "practice": practice}


@dataclass
class PackContext:
    """The context of one build: what every document shares, and a view per document."""

    profile: Profile
    entries: list[Entry]
    documents: list[Document]
    skipped: list[Entry]
    shared: dict[str, Any] = field(repr=False)

    def owner_name(self, function: str) -> str:
        """The department that owns documents of a function."""
        return self.profile.department_for(function).name

    def document(self, doc: Document) -> dict[str, Any]:
        """The context one document renders with: the shared one plus `doc` (its control block)."""
        ctx = dict(self.shared)
        ctx["doc"] = control_block(doc, self.profile, self.owner_name(doc.entry.owner))
        return ctx


def select(profile: Profile, entries: list[Entry], shared: dict[str, Any]) -> tuple[list[Document], list[Entry]]:
    """The documents this profile calls for, numbered; and the entries its conditions leave out."""
    env = template_renderer()
    chosen = [e for e in entries if included(e, shared, env)]
    skipped = [e for e in entries if e not in chosen]
    return number_documents(chosen, profile), skipped


def build_context(profile: Profile, entries: list[Entry], documents: list[Document] | None = None) -> PackContext:
    """The one context builder: select and number the documents (unless given, e.g. every entry
    for linting), then add the document lookups and the pictures drawn from the profile."""
    shared = profile_context(profile)
    if documents is None:
        documents, skipped = select(profile, entries, shared)
    else:
        skipped = []
    pack = PackContext(profile, entries, documents, skipped, shared)
    stands_for = {common: own for own, common in profile.trade.documents.stands_for.items()}
    shared.update(Registry(documents, {e.id for e in entries}, pack.owner_name, stands_for).functions())
    shared.update(visuals(shared))
    return pack


__all__ = ["DocRef", "FILTERS", "PackContext", "build_context", "doc_ref", "profile_context", "select", "template_renderer"]
