"""A trade's wording of the common templates: phrases of the common text said the trade's way
(上门维修 → 现场维修 for a lift company), applied to a template's source — its literal text and
the string literals its tags print — never to a profile value, a comparison or the trade's own text."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping

_TAG = re.compile(r"(\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\})", re.S)
_STRING = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
# A literal compared with something (`x == '上门'`, `'安装' in item`) is logic, not text: kept.
_COMPARED_BEFORE = re.compile(r"(?:==|!=|\bin|\bnot\s+in)\s*$")
_COMPARED_AFTER = re.compile(r"^\s*(?:==|!=|in\b|not\s+in\b)")
# What a wording phrase may not hold: template syntax, XML markup or quotes would change code.
FORBIDDEN = re.compile(r"[{}%#<>&'\"\\\n\r]")
_CJK = re.compile(r"[\u3400-\u9fff]")

Reword = Callable[[str], str]


def wording_problem(phrase: str) -> str | None:
    """Why a wording phrase (key or value) cannot be used, or None."""
    if FORBIDDEN.search(phrase):
        return "a wording phrase may not hold { } % # < > & quotes, backslashes or line breaks"
    return None


def key_problem(phrase: str) -> str | None:
    """Why a phrase cannot be replaced (it must hold Chinese text: Latin could match code)."""
    if not _CJK.search(phrase):
        return "a phrase to replace must hold Chinese characters (Latin text could match template code)"
    return wording_problem(phrase)


@functools.lru_cache(maxsize=32)
def _pattern(table: tuple[tuple[str, str], ...]) -> re.Pattern[str]:
    keys = sorted((k for k, _ in table), key=len, reverse=True)  # the longest phrase wins
    return re.compile("|".join(re.escape(k) for k in keys))


def _replace_text(text: str, pattern: re.Pattern[str], table: Mapping[str, str]) -> str:
    return pattern.sub(lambda m: table[m.group(0)], text)


def _replace_tag(tag: str, pattern: re.Pattern[str], table: Mapping[str, str]) -> str:
    """Inside a tag, only printed string literals change; a compared literal (`x == '上门'`,
    `'安装' in item`) or a function's argument (`x.replace('上门', …)`) is logic and stays."""
    if tag.startswith("{#"):
        return tag

    def literal(m: re.Match[str]) -> str:
        before, after = tag[: m.start()], tag[m.end():]
        if _COMPARED_BEFORE.search(before) or _COMPARED_AFTER.match(after) or _is_argument(before):
            return m.group(0)
        return _replace_text(m.group(0), pattern, table)

    return _STRING.sub(literal, tag)


def _is_argument(before: str) -> bool:
    """Whether the literal that follows `before` is inside a call's parentheses (`f('…')`), not a
    list (`['…', …]`), a `dict(key='…')` or a parenthesised expression (`('…' if x else '…')`)."""
    code = _STRING.sub("''", before)
    stack: list[int] = []
    for i, ch in enumerate(code):
        if ch in "([":
            stack.append(i)
        elif ch in ")]" and stack:
            stack.pop()
    if not stack or code[stack[-1]] == "[":
        return False
    callee = code[: stack[-1]]
    if re.search(r"(?<![\w.])dict\s*$", callee):  # dict(onsite='上门服务', …) is a table of text
        return False
    return bool(re.search(r"[\w.)\]]\s*$", callee))


def reword(source: str, table: tuple[tuple[str, str], ...]) -> str:
    """The template source with the table's phrases replaced in its text and printed literals."""
    if not table:
        return source
    pattern = _pattern(table)
    mapping = dict(table)
    if not pattern.search(source):
        return source
    parts = _TAG.split(source)
    return "".join(_replace_tag(p, pattern, mapping) if i % 2 else _replace_text(p, pattern, mapping)
                   for i, p in enumerate(parts))


def rewording(table: Mapping[str, str]) -> Reword | None:
    """The function that rewords a common template's source for this table (None: no wording)."""
    if not table:
        return None
    frozen = tuple(sorted(table.items()))
    return functools.partial(_cached_reword, table=frozen)


@functools.lru_cache(maxsize=512)
def _cached_reword(source: str, table: tuple[tuple[str, str], ...]) -> str:
    return reword(source, table)
