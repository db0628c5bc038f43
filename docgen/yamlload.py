"""Safe YAML loading that keeps every key's line and column, refuses tags and duplicate keys,
and reads plain scalars as text so that what a user typed survives exactly (0575 stays 0575)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, ProfileError

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
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise error(
            [
                Problem(
                    f"expected UTF-8 text, found byte 0x{raw[exc.start]:02x} "
                    "(save the file as UTF-8)",
                    file=str(path),
                    line=line,
                    column=col,
                )
            ]
        ) from None


def load_yaml(
    text: str, filename: str, error: type = ProfileError, problems: list[Problem] | None = None
) -> tuple[Any, dict[KeyPath, Location]]:
    """Parse YAML text into plain data plus a map from key path to (line, column), 1-based.

    Syntax errors raise at once. Structural problems (duplicate keys, tags) are appended to
    `problems` when given, so the caller can report them with its own; otherwise they raise."""
    try:
        node = yaml.compose(text, Loader=_Composer)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
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
        mark = exc.problem_mark or exc.context_mark
        msg = exc.problem or str(exc)
        if exc.context and exc.problem:
            msg = f"{exc.problem} ({exc.context})"
        raise error(
            [
                Problem(
                    f"invalid YAML: {msg}",
                    file=filename,
                    line=mark.line + 1 if mark else None,
                    column=mark.column + 1 if mark else None,
                )
            ]
        ) from None
    locations: dict[KeyPath, Location] = {}
    collect = problems is not None
    problems = problems if problems is not None else []
    if node is None:
        return {}, locations
    data = _convert(node, (), locations, problems, filename)
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


def _convert(
    node: yaml.Node,
    path: KeyPath,
    locations: dict[KeyPath, Location],
    problems: list[Problem],
    filename: str,
) -> Any:
    locations.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if node.tag not in _STANDARD_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        problems.append(_at(node, f"YAML tag {tag!r} is not allowed (tags that construct objects are refused)", filename, path))
        return None
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.append(_at(key_node, "YAML merge keys (<<) are not supported; write the keys out", filename, path))
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(_at(key_node, "a key must be plain text", filename, path))
                continue
            key = key_node.value
            child = path + (key,)
            if key in result:
                first = locations.get(child, (0, 0))[0]
                problems.append(_at(key_node, f"duplicate key {key!r} (first given on line {first})", filename, child))
                continue
            locations[child] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _convert(value_node, child, locations, problems, filename)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(item, path + (i,), locations, problems, filename)
            for i, item in enumerate(node.value)
        ]
    # Scalars: plain ones that spell null become None; everything else stays text.
    if getattr(node, "style", None) is None and node.value in _NULLS:
        return None
    bad = XML_ILLEGAL.search(node.value)
    if bad:
        problems.append(
            _at(
                node,
                f"contains the control character U+{ord(bad.group()):04X} at position {bad.start() + 1}, "
                "which Word and Excel files cannot hold; remove it",
                filename,
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
