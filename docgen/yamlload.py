"""Safe YAML loading that keeps every key's line and column, refuses tags and duplicate keys,
and reads plain scalars as text so that what a user typed survives exactly (0575 stays 0575)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, ProfileError
from .limits import MAX_ALIAS_NODES, MAX_DEPTH, MAX_FILE_BYTES, MAX_SCALAR_CHARS, list_limit

Location = tuple[int, int]
KeyPath = tuple[str | int, ...]

# Characters XML 1.0 cannot carry: C0 controls except tab/newline/CR, lone surrogates, U+FFFE/F.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_NULLS = {"", "~", "null", "Null", "NULL"}
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:timestamp",
}


# Only the node graph is composed (no Python objects are constructed); libyaml when available.
_Composer = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_text(path: Path, what: str = "profile", error: type = ProfileError) -> str:
    """Read a UTF-8 file (with or without BOM); anything else is an error naming the file."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise error([Problem(_too_big(size, what), file=str(path))])
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error([Problem(f"{what} file not found", file=str(path))]) from None
    except OSError as exc:
        raise error([Problem(f"cannot read {what} file: {exc.strerror}", file=str(path))]) from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw[: exc.start].count(b"\n") + 1
        col = len(raw[start : exc.start].decode("utf-8")) + 1
        raise error(
            [Problem(_not_utf8(raw, exc.start), file=str(path), line=line, column=col)]
        ) from None


def _too_big(size: int, what: str) -> str:
    return (
        f"the file is {size:,} bytes, over the limit of {MAX_FILE_BYTES:,} bytes for a {what} file "
        "(a company profile is a few tens of kilobytes)"
    )


def _not_utf8(raw: bytes, at: int) -> str:
    """What is wrong with bytes that are not UTF-8, and what to do."""
    found = f"expected UTF-8 text, found byte 0x{raw[at]:02x}"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"{found}: the file is UTF-16; save it as UTF-8"
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return f"{found} (save the file as UTF-8)"
    return f"{found}: the file looks like GBK/GB18030 (Chinese Windows); save it as UTF-8"


# PyYAML's and libyaml's wording of common mistakes → what to do; the first match wins.
_SYNTAX = [
    ("found a tab character", "tabs cannot indent YAML; use spaces"),
    ("found character '\\t'", "tabs cannot indent YAML; use spaces"),
    ("could not find expected ':'", "this key has no ':' after it; write key: value (a colon and a space)"),
    (
        "mapping values are not allowed",
        "unexpected ':' here: this line is indented under a key that already has a value (line it up with the "
        "keys above it), or the value contains ': ' and needs quotes",
    ),
    (
        "did not find expected key",
        "this line does not line up with the keys or list items above it; check its indentation",
    ),
    (
        "did not find expected '-' indicator",
        "this line does not line up with the list items above it; start each item with '- ' at the same indentation",
    ),
    ("exceeded maximum nesting depth", f"nested more than {MAX_DEPTH} levels deep (the limit on nesting depth)"),
]


def _syntax_problem(exc: yaml.MarkedYAMLError, filename: str) -> Problem:
    """A YAML syntax error as a Problem that says what to do, at the line where it is."""
    mark = exc.problem_mark or exc.context_mark
    raw = exc.problem or str(exc)
    msg = f"{exc.problem} ({exc.context})" if exc.context and exc.problem else raw
    for needle, friendly in _SYNTAX:
        if needle in raw:
            msg = friendly
            if needle == "could not find expected ':'" and exc.context_mark:
                mark = exc.context_mark  # where the key began, not the next line
            break
    return Problem(
        f"invalid YAML: {msg}",
        file=filename,
        line=mark.line + 1 if mark else None,
        column=mark.column + 1 if mark else None,
    )


def load_yaml(
    text: str, filename: str, error: type = ProfileError, problems: list[Problem] | None = None
) -> tuple[Any, dict[KeyPath, Location]]:
    """Parse YAML text into plain data plus a map from key path to (line, column), 1-based.

    Syntax errors and exceeded limits (docgen/limits.py) raise at once. Structural problems
    (duplicate keys, tags) are appended to `problems` when given, so the caller can report them
    with its own; otherwise they raise."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise error([Problem(_too_big(size, "YAML"), file=filename)])
    try:
        node = yaml.compose(text, Loader=_Composer)
    except yaml.reader.ReaderError as exc:
        at = text.find(chr(exc.character)) if isinstance(exc.character, int) else -1
        at = at if at >= 0 else exc.position  # libyaml counts bytes, PyYAML characters
        line = text.count("\n", 0, at) + 1
        col = at - (text.rfind("\n", 0, at) + 1) + 1
        raise error(
            [
                Problem(
                    f"the control character U+{exc.character:04X} is not allowed in YAML text; remove it",
                    file=filename,
                    line=line,
                    column=col,
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as exc:
        raise error([_syntax_problem(exc, filename)]) from None
    except RecursionError:  # only the pure-Python composer recurses; libyaml stops at 1,000 levels
        raise error([Problem(f"invalid YAML: {_SYNTAX[-1][1]}", file=filename)]) from None
    locations: dict[KeyPath, Location] = {}
    collect = problems is not None
    problems = problems if problems is not None else []
    if node is None:
        return {}, locations
    try:
        data = _Converter(locations, problems, filename).convert(node, (), 1, False)
    except _LimitExceeded as exc:
        raise error([exc.problem]) from None
    if problems and not collect:
        raise error(problems)
    return data, locations


def _at(node: yaml.Node, message: str, filename: str, path: KeyPath) -> Problem:
    """A problem located at a YAML node's start."""
    return Problem(
        message,
        file=filename,
        line=node.start_mark.line + 1,
        column=node.start_mark.column + 1,
        key=_dotted(path) or None,
    )


class _LimitExceeded(Exception):
    """A limit of docgen/limits.py was exceeded: conversion stops at once."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _Converter:
    """Turns a composed node graph into plain data, within the limits; aliases share nodes, so a
    node seen before is an alias, and every node converted below it counts towards the limit."""

    def __init__(self, locations: dict[KeyPath, Location], problems: list[Problem], filename: str) -> None:
        self.locations = locations
        self.problems = problems
        self.filename = filename
        self.seen: set[int] = set()
        self.open: set[int] = set()  # the collections being converted, to find an alias to itself
        self.aliased = 0

    def stop(self, node: yaml.Node, message: str, path: KeyPath) -> _LimitExceeded:
        return _LimitExceeded(_at(node, message, self.filename, path))

    def stop_alias(self, message: str, path: KeyPath) -> _LimitExceeded:
        """Stop at an alias: located at the nearest key above it (a node reached through an alias
        carries the position of its anchor, not of the alias)."""
        n = max((i for i, part in enumerate(path, 1) if isinstance(part, str)), default=0)
        line, col = self.locations.get(path[:n], (None, None))
        return _LimitExceeded(Problem(message, file=self.filename, line=line, column=col, key=_dotted(path) or None))

    def convert(self, node: yaml.Node, path: KeyPath, depth: int, via_alias: bool) -> Any:
        if id(node) in self.open:
            raise self.stop_alias("a YAML alias refers to a list or mapping that contains it (a recursive alias), "
                            "which never ends; write the values out", path)
        via_alias = via_alias or id(node) in self.seen
        self.seen.add(id(node))
        if via_alias:
            self.aliased += 1
            if self.aliased > MAX_ALIAS_NODES:
                raise self.stop_alias(f"YAML aliases (*name) expand to more than {MAX_ALIAS_NODES:,} values "
                                "(the limit on alias expansion, which refuses files that multiply themselves); "
                                "write the repeated values out", path)
        if depth > MAX_DEPTH:
            raise self.stop(node, f"nested more than {MAX_DEPTH} levels deep (the limit on nesting depth)", path)
        self.locations.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if node.tag not in _STANDARD_TAGS:
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            self.problems.append(_at(node, f"YAML tag {tag!r} is not allowed (tags that construct objects are refused)", self.filename, path))
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path, depth, via_alias)
            assert isinstance(node, yaml.SequenceNode)
            return self.sequence(node, path, depth, via_alias)
        finally:
            self.open.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: KeyPath, depth: int, via_alias: bool) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(_at(key_node, "YAML merge keys (<<) are not supported; write the keys out", self.filename, path))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(_at(key_node, "a key must be plain text", self.filename, path))
                continue
            key = key_node.value
            self.check_length(key_node, path)
            child = path + (key,)
            if key in result:
                first = self.locations.get(child, (0, 0))[0]
                self.problems.append(_at(key_node, f"duplicate key {key!r} (first given on line {first})", self.filename, child))
                continue
            self.locations[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.convert(value_node, child, depth + 1, via_alias)
        return result

    def sequence(self, node: yaml.SequenceNode, path: KeyPath, depth: int, via_alias: bool) -> list[Any]:
        limit = list_limit(path[-1] if path else None)
        if len(node.value) > limit:
            raise self.stop(node, f"a list of {len(node.value):,} items, over the limit of {limit:,} items "
                            "for this list (the limit on list length)", path)
        return [self.convert(item, path + (i,), depth + 1, via_alias) for i, item in enumerate(node.value)]

    def check_length(self, node: yaml.ScalarNode, path: KeyPath) -> None:
        if len(node.value) > MAX_SCALAR_CHARS:
            raise self.stop(node, f"a value of {len(node.value):,} characters, over the limit of "
                            f"{MAX_SCALAR_CHARS:,} characters for one value (the limit on value length)", path)

    def scalar(self, node: yaml.ScalarNode, path: KeyPath) -> str | None:
        """Plain scalars that spell null become None; everything else stays text."""
        self.check_length(node, path)
        if getattr(node, "style", None) in (None, "") and node.value in _NULLS:  # libyaml gives plain scalars style ""
            return None
        bad = XML_ILLEGAL.search(node.value)
        if bad:
            self.problems.append(
                _at(
                    node,
                    f"contains the control character U+{ord(bad.group()):04X} at position {bad.start() + 1}, "
                    "which Word and Excel files cannot hold; remove it",
                    self.filename,
                    path,
                )
            )
        return node.value


def _dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


dotted = _dotted


def locate(locations: dict[KeyPath, Location], loc: KeyPath) -> tuple[int | None, int | None]:
    """(line, column) of a key path, or of its nearest ancestor that was written in the file."""
    for n in range(len(loc), -1, -1):
        if loc[:n] in locations:
            return locations[loc[:n]]
    return None, None
