"""The one Jinja environment: sandboxed, strict about missing variables, escaping every value,
and caching compiled templates by source hash in the process and on disk."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

XML_SUFFIX = ".xml"  # template names ending in .xml are Word XML parts and get XML escaping
TEXT_SUFFIX = ".txt"  # spreadsheet cells and plain strings: no escaping, values stay as typed

_BR = '</w:t><w:br/><w:t xml:space="preserve">'
_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'


def cache_dir() -> Path | None:
    """Where compiled templates are kept between runs; DOCGEN_CACHE_DIR=off disables it."""
    env = os.environ.get("DOCGEN_CACHE_DIR")
    if env == "off":
        return None
    if env:
        return Path(env)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "docgen" / "jinja"


class _SourceLoader(jinja2.BaseLoader):
    """Serves template sources registered under their content hash."""

    def __init__(self) -> None:
        self.sources: dict[str, str] = {}

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        try:
            return self.sources[template], template, lambda: True
        except KeyError:
            raise jinja2.TemplateNotFound(template) from None


@jinja2.pass_eval_context
def _finalize(eval_ctx: nodes.EvalContext, value: Any) -> Any:
    """In Word XML, escape every value and turn newlines and tabs into Word breaks and tabs."""
    if not eval_ctx.autoescape or isinstance(value, Markup):
        return value
    text = str(escape(value))
    if "\n" in text or "\t" in text or "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", _BR).replace("\t", _TAB)
    return Markup(text)


def _autoescape(name: str | None) -> bool:
    return bool(name and name.endswith(XML_SUFFIX))


def _ignore_filters(value: Any, *args: Any, **kwargs: Any) -> Any:
    return value


class Renderer:
    """Compiles and renders template sources with the filters it is given; one per process and
    filter set is enough (see `renderer()`)."""

    def __init__(self, filters: Mapping[str, Callable[..., Any]] | None = None, use_disk_cache: bool = True) -> None:
        self._loader = _SourceLoader()
        cache = cache_dir() if use_disk_cache else None
        bytecode_cache = None
        if cache is not None:
            try:
                cache.mkdir(parents=True, exist_ok=True)
                bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache))
            except OSError:
                bytecode_cache = None
        self.env = ImmutableSandboxedEnvironment(
            loader=self._loader,
            undefined=jinja2.StrictUndefined,
            autoescape=_autoescape,
            finalize=_finalize,
            bytecode_cache=bytecode_cache,
            cache_size=2000,
            keep_trailing_newline=True,
            extensions=[],
        )
        self.env.filters.update(filters or {})

    def template(self, source: str, kind: str) -> jinja2.Template:
        """Compile (or fetch from cache) a template; kind is XML_SUFFIX or TEXT_SUFFIX."""
        name = hashlib.sha256(source.encode("utf-8")).hexdigest()[:40] + kind
        if name not in self._loader.sources:
            self._loader.sources[name] = source
        return self.env.get_template(name)

    def parse(self, source: str) -> nodes.Template:
        """Parse without compiling, for linting."""
        return self.env.parse(source)


_RENDERERS: dict[tuple[tuple[str, Callable[..., Any]], ...], Renderer] = {}


def renderer(filters: Mapping[str, Callable[..., Any]] | None = None) -> Renderer:
    """The process-wide renderer for a set of filters (so the in-process cache is shared by every
    build); the domain passes its filters in, the engine defines none."""
    key = tuple(sorted((filters or {}).items()))
    if key not in _RENDERERS:
        _RENDERERS[key] = Renderer(filters)
    return _RENDERERS[key]


def template_line(exc: BaseException, name: str) -> int | None:
    """The template line an exception was raised at, from its traceback (Jinja maps it)."""
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return lineno
    tb = exc.__traceback__
    found = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            found = tb.tb_lineno
        tb = tb.tb_next
    return found
