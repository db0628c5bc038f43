"""The display width of text: East Asian wide and full-width characters count two columns."""

from __future__ import annotations

import unicodedata


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal or in Excel character units (CJK counts two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
