"""The template filters of docgen's documents: Chinese dates and numbers, percentages, periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any


def cn_date(value: dt.date | None) -> str:
    """2026-09-01 → 2026年9月1日."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 21 → 二十一 (0–99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def pct(value: float) -> str:
    """95.0 → 95%, 92.5 → 92.5%."""
    return f"{num(value)}%"


def months(n: int) -> str:
    """36 → 3年, 18 → 18个月."""
    if n and n % 12 == 0:
        return f"{n // 12}年"
    return f"{n}个月"


def num(value: float) -> str:
    """380.0 → 380, 12.50 → 12.5, 1234567 → 1234567 (never scientific notation)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text if text not in {"-0", ""} else "0"


FILTERS: dict[str, Callable[..., Any]] = {"cn_date": cn_date, "cn_number": cn_number, "pct": pct, "months": months, "num": num}
