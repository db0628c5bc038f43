"""The one Jinja environment: sandboxed, strict about missing variables, escaping every value,
limited in time and size, and caching compiled templates by source hash in the process and on disk."""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import math
import os
import re
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Namespace
from markupsafe import Markup, escape

XML_SUFFIX = ".xml"  # template names ending in .xml are Word XML parts and get XML escaping
PROPS_SUFFIX = ".props.xml"  # document properties: XML escaping, values kept on one line
TEXT_SUFFIX = ".txt"  # spreadsheet cells and plain strings: no escaping, values stay as typed

GLOBALS = ("range", "dict", "namespace")  # the only Jinja globals a template sees
MAX_RANGE = 10_000  # range() counts to at most this many items
MAX_REPEAT = 100_000  # 'x' * n and [x] * n make at most this many characters or items
MAX_POWER_BITS = 10_000  # a ** b is refused when the result would have more bits than this
RENDER_TIMEOUT = 20.0  # seconds one document may take to render; DOCGEN_RENDER_TIMEOUT changes it
INCLUDE_MESSAGE = "templates cannot include or import other files"
CACHE_PATTERN = "docgen-2-%s.cache"  # bump when the environment compiles templates differently

_BR = '</w:t><w:br/><w:t xml:space="preserve">'
_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\t]")
_DEADLINE: contextvars.ContextVar[float] = contextvars.ContextVar("docgen_render_deadline", default=math.inf)
_LIMIT: contextvars.ContextVar[float] = contextvars.ContextVar("docgen_render_limit", default=math.inf)


class RenderTimeout(jinja2.TemplateRuntimeError):
    """A document took longer to render than the time limit; rendering of it stops."""


def render_timeout() -> float:
    """Seconds a document may take (DOCGEN_RENDER_TIMEOUT, default 20; 0 or off: no limit)."""
    value = os.environ.get("DOCGEN_RENDER_TIMEOUT", "").strip()
    if value.lower() in {"off", "0"}:
        return math.inf
    try:
        seconds = float(value) if value else RENDER_TIMEOUT
    except ValueError:
        return RENDER_TIMEOUT
    return seconds if seconds > 0 and math.isfinite(seconds) else RENDER_TIMEOUT


@contextlib.contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Rendering inside the block raises RenderTimeout once it has used `seconds` (default:
    render_timeout()) of this thread's CPU time: a loop that never ends is stopped, while a large
    profile on a busy machine (waiting for the CPU, not using it) is not."""
    limit = render_timeout() if seconds is None else seconds
    deadline = _DEADLINE.set(time.thread_time() + limit)
    limit_token = _LIMIT.set(limit)
    try:
        yield
    finally:
        _DEADLINE.reset(deadline)
        _LIMIT.reset(limit_token)


def _check_time() -> None:
    if time.thread_time() > _DEADLINE.get():
        raise RenderTimeout(
            f"rendering took longer than the {_LIMIT.get():g} s time limit (DOCGEN_RENDER_TIMEOUT); "
            "is there a loop that never ends?"
        )


def limit_message(exc: BaseException) -> str | None:
    """The message for an error Python raises when a template asks too much; None for others."""
    if isinstance(exc, RecursionError):
        return "recursion too deep (a macro that calls itself without end?)"
    if isinstance(exc, MemoryError):
        return "out of memory while rendering (a value too large?)"
    if isinstance(exc, OverflowError):
        return f"number too large ({exc})"
    return None


RENDER_ERRORS: tuple[type[Exception], ...] = (jinja2.TemplateError, RecursionError, MemoryError, OverflowError)
"""What rendering a template may raise that is the template's fault (reported with its place)."""


def _range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise SecurityError(f"range of {len(rng):,} items; a template may count to at most {MAX_RANGE:,}")
    return rng


def _refuse_includes(tree: nodes.Template, name: str | None) -> nodes.Template:
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        raise jinja2.TemplateSyntaxError(INCLUDE_MESSAGE, node.lineno, name)
    return tree


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox with docgen's limits: no includes or imports, bounded ranges, powers and
    repetitions, and the render deadline checked on every call, attribute and item lookup."""

    intercepted_binops = frozenset({"**", "*"})

    def compile(self, source: Any, name: str | None = None, filename: str | None = None,
                raw: bool = False, defer_init: bool = False) -> Any:
        if isinstance(source, str):
            source = _refuse_includes(self.parse(source, name, filename), name)
        return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
        if parent is not None:
            raise SecurityError(f"{INCLUDE_MESSAGE} ({name!r})")
        return super().get_template(name, parent, globals)

    def select_template(self, names: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
        if parent is not None:
            raise SecurityError(INCLUDE_MESSAGE)
        return super().select_template(names, parent, globals)

    def get_or_select_template(self, name: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
        if parent is not None:
            raise SecurityError(INCLUDE_MESSAGE)
        return super().get_or_select_template(name, parent, globals)

    def call(self, context: Context, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        _check_time()
        return super().call(context, obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        _check_time()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _check_time()
        return super().getitem(obj, argument)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _check_time()
        if operator == "**":
            if (isinstance(left, int) and isinstance(right, int) and right > 0
                    and max(abs(left).bit_length() - 1, 0) * right > MAX_POWER_BITS):
                raise SecurityError(f"{left} ** {right} is too large a number for a template")
        elif operator == "*":
            seq, count = (left, right) if isinstance(left, str | list | tuple) else (right, left)
            if isinstance(seq, str | list | tuple) and isinstance(count, int) and len(seq) * count > MAX_REPEAT:
                raise SecurityError(
                    f"repeating {len(seq):,} × {count:,} makes more than the {MAX_REPEAT:,} characters or items a template may make"
                )
        return super().call_binop(context, operator, left, right)


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


@jinja2.pass_context
def _finalize(context: Context, value: Any) -> Any:
    """In Word XML, escape every value and turn newlines and tabs into Word breaks and tabs; in
    document properties (one-line fields) they become spaces."""
    if isinstance(value, Markup) or not context.eval_ctx.autoescape:
        return value
    text = str(escape(value))
    if "\n" in text or "\t" in text or "\r" in text:
        if context.name and context.name.endswith(PROPS_SUFFIX):
            text = _LINE_BREAKS.sub(" ", text)
        else:
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
                bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache), CACHE_PATTERN)
            except OSError:
                bytecode_cache = None
        self.env = _Sandbox(
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
        self.env.globals.clear()
        self.env.globals.update(range=_range, dict=dict, namespace=Namespace)

    def template(self, source: str, kind: str) -> jinja2.Template:
        """Compile (or fetch from cache) a template; kind is XML_SUFFIX, PROPS_SUFFIX or TEXT_SUFFIX."""
        name = hashlib.sha256(source.encode("utf-8")).hexdigest()[:40] + kind
        if name not in self._loader.sources:
            self._loader.sources[name] = source
        return self.env.get_template(name)

    def parse(self, source: str) -> nodes.Template:
        """Parse without compiling, for linting."""
        return _refuse_includes(self.env.parse(source), None)


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
