"""The limits on what a YAML file docgen reads may hold, in one place (the README lists them)."""

from __future__ import annotations

# A profile is a few tens of kilobytes; the samples are 10–15 KB.
MAX_FILE_BYTES = 2_000_000
# Nodes produced by expanding aliases (*name), in total. Aliases are allowed (a repeated
# warranty or partner list), but a file whose aliases multiply ("billion laughs") is refused.
MAX_ALIAS_NODES = 10_000
# Mappings and lists inside one another; a profile needs six levels.
MAX_DEPTH = 50
# Items in one list; outlets may be many more than anything else (a 2,000-outlet profile builds).
MAX_LIST_ITEMS = 1_000
MAX_LIST_ITEMS_BY_KEY = {"outlets": 5_000}
# Characters in one value or key as YAML reads it.
MAX_SCALAR_CHARS = 100_000
# Characters of one text of the profile: every text may end up in a spreadsheet cell.
MAX_CELL_CHARS = 32_767


def list_limit(key: str | int | None) -> int:
    """The most items a list under `key` may hold."""
    return MAX_LIST_ITEMS_BY_KEY.get(key, MAX_LIST_ITEMS) if isinstance(key, str) else MAX_LIST_ITEMS
