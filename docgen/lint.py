"""`docgen templates check`: every tag parses, every variable exists in the profile context, and
every template renders against every sample profile."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import jinja2
import openpyxl
from jinja2 import nodes

from .catalog import BASE_TEMPLATE, TemplateSet, builtin_templates, load_catalog
from .context import build_context, template_renderer
from .control import number_documents
from .errors import DocgenError, Problem, TemplateError
from .pack import render_pack
from .profile import load_profile
from .render.env import GLOBALS
from .render.word import patch, place
from .trades import available_trades, load_trade, trade_path

_ROW_LOOP = re.compile(r"^\s*\{%\s*row\s+(for\s+.+?)\s*%\}", re.S)
_DICT_METHODS = {"items", "keys", "values", "get"}
_JINJA_GLOBALS = {"loop", *GLOBALS, "true", "false", "none", "True", "False", "None"}


def sample_profiles() -> list[Path]:
    """The sample profiles shipped beside the templates (source tree) or in the package."""
    root = builtin_templates().parent
    for candidate in (root / "samples", root.parent / "samples"):
        if candidate.is_dir():
            return sorted(candidate.glob("*.yaml"))
    return []


def _sources(path: Path) -> list[tuple[str, str, str]]:
    """(part, place-kind, Jinja source) for each templated part of a .docx or each cell of a .xlsx."""
    out = []
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if re.match(r"word/(document|header\d*|footer\d*)\.xml$", name):
                    label = "body" if "document" in name else ("header" if "header" in name else "footer")
                    out.append((label, "xml", patch(zf.read(name).decode("utf-8"))))
    else:
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                loop = None
                first = row[0].value if row else None
                m = _ROW_LOOP.match(first) if isinstance(first, str) else None
                if m:
                    loop = m.group(1)
                for cell in row:
                    if isinstance(cell.value, str) and ("{{" in cell.value or "{%" in cell.value):
                        text = _ROW_LOOP.sub("", cell.value)
                        if loop:  # every cell of a repeated row sees the loop variable
                            text = "{% " + loop + " %}" + text + "{% endfor %}"
                        out.append((f"sheet {ws.title}", f"{ws.title}!{cell.coordinate}", text))
    return out


class _Checker:
    """Walks a template AST and reports names and attributes the context does not have."""

    def __init__(self, context: dict[str, Any], doc_ids: set[str]) -> None:
        self.context = context
        self.doc_ids = doc_ids
        self.unknown: list[tuple[int, str]] = []

    def check(self, tree: nodes.Template) -> list[tuple[int, str]]:
        self.unknown = []
        self._walk(tree, dict(self.context))
        return self.unknown

    def _value(self, node: nodes.Node, scope: dict[str, Any]) -> Any:
        if isinstance(node, nodes.Name):
            return scope.get(node.name, _MISSING)
        if isinstance(node, nodes.Getattr):
            base = self._value(node.node, scope)
            if isinstance(base, dict):
                return base.get(node.attr, _MISSING)
            return _ANY
        return _ANY

    def _walk(self, node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            self._walk(node.iter, scope)
            items = self._value(node.iter, scope)
            inner = dict(scope)
            first = items[0] if isinstance(items, list) and items else _ANY
            targets = [node.target] if isinstance(node.target, nodes.Name) else list(node.target.find_all(nodes.Name))
            for target in targets:
                inner[target.name] = first if isinstance(node.target, nodes.Name) else _ANY
            inner["loop"] = _ANY
            for child in node.body + node.else_:
                self._walk(child, inner)
            if node.test is not None:
                self._walk(node.test, inner)
            return
        if isinstance(node, nodes.Assign | nodes.AssignBlock):
            targets = [node.target] if isinstance(node.target, nodes.Name) else list(node.target.find_all(nodes.Name))
            for target in targets:
                scope[target.name] = _ANY
        if isinstance(node, nodes.Macro):
            inner = dict(scope)
            for arg in node.args:
                inner[arg.name] = _ANY
            for child in node.body:
                self._walk(child, inner)
            return
        if isinstance(node, nodes.Name) and node.ctx == "load":
            if node.name not in scope and node.name not in _JINJA_GLOBALS:
                self.unknown.append((node.lineno, node.name))
            return
        if (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Name)
            and node.node.name in {"ref", "has"}
            and node.args
            and isinstance(node.args[0], nodes.Const)
            and node.args[0].value not in self.doc_ids
        ):
            self.unknown.append((node.lineno, f"document id {node.args[0].value!r} in {node.node.name}()"))
        if isinstance(node, nodes.Getattr):
            base = self._value(node.node, scope)
            if isinstance(base, dict) and node.attr not in base and node.attr not in _DICT_METHODS:
                self.unknown.append((node.lineno, f"{_dotted(node.node)}.{node.attr}"))
                return
        for child in node.iter_child_nodes():
            self._walk(child, scope)


class _Sentinel:
    def __repr__(self) -> str:
        return self.__class__.__name__


_MISSING = _Sentinel()
_ANY = _Sentinel()


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    return "…"


def trade_templates(templates: TemplateSet) -> tuple[list[str], list[Problem], set[str]]:
    """The trades the templates hold, their problems (a trade.yaml that does not validate, a
    template it names that is missing), and the template files they add or put in place."""
    keys, problems, files = [], [], set()
    for key in available_trades(templates):
        try:
            trade = load_trade(key, templates)
        except DocgenError as exc:
            problems += exc.problems
            continue
        keys.append(key)
        named = [e.template for e in trade.documents.add] + list(trade.documents.replace.values())
        for rel in named:
            if templates.path(rel).is_file():
                files.add(rel)
            else:
                problems.append(Problem(f"trade {key}: template file {rel!r} not found", file=trade_path(key)))
    return keys, problems, files


def lint_files(templates: TemplateSet, context: dict[str, Any]) -> list[Problem]:
    """Parse every template (the trades' too) and check its variables against the context."""
    entries = load_catalog(templates)
    _, problems, extra = trade_templates(templates)
    ids = {e.id for e in entries}
    for key in available_trades(templates):
        try:
            ids |= {e.id for e in load_trade(key, templates).documents.add}
        except DocgenError:
            pass
    checker = _Checker(context, ids)
    files = {e.template for e in entries} | {BASE_TEMPLATE} | extra
    for rel in sorted(files):
        path = templates.path(rel)
        for part, kind, source in _sources(path):
            try:
                tree = template_renderer().parse(source)
            except jinja2.TemplateSyntaxError as exc:
                where = place(source, exc.lineno) if kind == "xml" else kind
                problems.append(Problem(f"{part}, {where}: {exc.message}", file=rel))
                continue
            for line, name in checker.check(tree):
                where = place(source, line) if kind == "xml" else kind
                what = name if name.startswith("document id") else f"variable {name!r}"
                problems.append(Problem(f"{part}, {where}: unknown {what}", file=rel))
    return problems


def check_templates(overlay: Path | None = None, profiles: list[Path] | None = None) -> list[str]:
    """Lint, then render against every profile; raise TemplateError with all problems."""
    templates = TemplateSet(builtin_templates(), overlay)
    profiles = profiles or sample_profiles()
    if not profiles:
        raise DocgenError("no profiles to render against; pass --profile company.yaml")
    first = load_profile(profiles[0], templates)
    entries = load_catalog(templates)
    # Every entry is numbered (conditions aside), so that every ref() a template makes can be checked.
    context = build_context(first, entries, number_documents(entries, first))
    view = context.document(context.documents[0])
    services = dict(view["services"])
    for key in available_trades(templates):  # a trade's own documents name its own services
        try:
            for term in load_trade(key, templates).services:
                services.setdefault(term.key, {**next(iter(view["services"].values())), "key": term.key,
                                               "name_cn": term.label, "clause": term.clause})
        except DocgenError:
            pass
    view["services"] = services
    problems = lint_files(templates, view)
    trades, _, extra = trade_templates(templates)
    report = [f"lint: {len({e.template for e in entries} | extra) + 1} templates parsed "
              f"({len(trades)} trade modules: {', '.join(trades)}), {len(problems)} problem(s)"]
    for profile_path in profiles:
        try:
            pack = render_pack(load_profile(profile_path, templates), templates)
            report.append(f"render: {profile_path}: {len(pack.documents)} documents OK")
        except DocgenError as exc:
            problems += [Problem(f"rendering for {profile_path}: {p.message}", file=p.file) for p in exc.problems]
    if problems:
        raise TemplateError(problems)
    return report
