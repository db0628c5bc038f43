"""The self-assessment score: catalog rows with their points, and the calculation the workbook's formulas make."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from ..errors import DocgenError
from ..standards import Standard

STATUSES = ("符合", "部分符合", "不符合", "不适用")
PARTIAL_DEFAULT = 0.5  # 部分符合 without a sampled share counts half the points
MAX_BONUS = 1.0
FAIL_DEDUCTIONS = 5  # five or more 特别扣分项 fail whatever the score
SHEET, DEDUCTIONS_SHEET, SUMMARY_SHEET = "自评表", "特别扣分项", "评分汇总"
# where the workbook keeps what the score needs (docgen.kit.selfassess writes them there)
COL = {"id": 1, "depth": 2, "title": 3, "requirement": 4, "looks_for": 5, "evidence": 6, "points": 7, "status": 8,
       "share": 9, "got": 10, "applicable": 11, "note": 12, "clause": 13, "scored": 14}
DEDUCTION_ROWS = range(5, 35)  # 30 lines on the 特别扣分项 sheet, 序号 in A, the fact in C
BONUS_CELL = "B8"
MAX_LEVELS = 8
LEVEL_CELLS = [(f"E{r}", f"F{r}") for r in range(5, 5 + MAX_LEVELS)]  # level name, minimum score


class KitError(DocgenError):
    """A working paper of the kit cannot be made or read as asked."""


@dataclass(frozen=True)
class Row:
    """One line of the self-assessment: an indicator, a clause, or a third-level item."""

    id: str
    depth: int  # 1 indicator, 2 clause, 3 item
    title: str
    points: float
    indicator: str
    clause: str
    scored: bool  # a line that gets a status (an item, or a clause without items)
    requirement: str = ""
    looks_for: str = ""
    excludable: bool = False


def _shares(total: float, weights: Sequence[float | None]) -> list[float]:
    """`total` shared in proportion to `weights` (a missing weight takes an equal part of what the
    given ones leave, or their average when they leave nothing); rounded to 0.01."""
    given = [w for w in weights if w is not None]
    missing = len(weights) - len(given)
    if missing:
        rest = total - sum(given)
        fill = rest / missing if rest > 0 else (sum(given) / len(given) if given and sum(given) else 1.0)
        weights = [fill if w is None else w for w in weights]
    weight_sum = sum(w or 0 for w in weights)
    shares = [round((w or 0) * total / weight_sum, 2) if weight_sum else 0.0 for w in weights]
    if shares:  # the last takes the rounding, so the shares add up to the total
        shares[-1] = round(total - sum(shares[:-1]), 2)
    return shares


def _looks_for(documents: Sequence[str], records: Sequence[str]) -> str:
    parts = []
    if documents:
        parts.append("文件：" + "、".join(documents))
    if records:
        parts.append("记录：" + "、".join(records))
    return "\n".join(parts)


def catalog_rows(standard: Standard) -> list[Row]:
    """Every indicator, clause and third-level item with the points it carries.

    An indicator's `points` (or the sum of its clauses') is its total; clause points are weights
    scaled to it; a clause's points are shared among its items by their points (equally where none)."""
    out: list[Row] = []
    for ind in standard.indicators:
        weights = [c.points for c in ind.clauses]
        total = ind.points if ind.points is not None else sum(w or 0 for w in weights) or 0.0
        clause_points = _shares(total, weights) if total else [0.0] * len(ind.clauses)
        out.append(Row(ind.id, 1, ind.title, round(sum(clause_points), 2), ind.id, "", False))
        for clause, points in zip(ind.clauses, clause_points):
            ev = _looks_for(clause.evidence.documents, clause.evidence.records)
            out.append(Row(clause.id, 2, clause.title, points, ind.id, clause.id, not clause.items, clause.requirement, ev,
                           clause.excludable))
            if clause.items:
                for item, share in zip(clause.items, _shares(points, [i.points for i in clause.items])):
                    item_ev = _looks_for(item.evidence.documents, item.evidence.records) or ev
                    out.append(Row(item.id, 3, item.title, share, ind.id, clause.id, True, item.requirement or clause.requirement,
                                   item_ev, item.excludable or clause.excludable))
    return out


@dataclass
class Answers:
    """What the company filled in: status and sampled share (0–100) per scored line, deductions, bonus."""

    status: dict[str, str] = field(default_factory=dict)
    share: dict[str, float] = field(default_factory=dict)
    deductions: list[str] = field(default_factory=list)
    bonus: float = 0.0
    notes: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    got: float
    applicable: float
    deductions: int
    bonus: float
    score: float
    level: str
    by_clause: dict[str, tuple[float, float]]  # clause → (got, applicable)
    gaps: list[tuple[str, str, str]]  # (id, title, status) of every scored line not 符合 and not 不适用


def round2(value: float) -> float:
    """Excel's ROUND(x, 2): half away from zero."""
    return float(Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def line_points(points: float, status: str, share: float | None) -> float:
    """Points got on one line (the formula of the 得分 column)."""
    fraction = None if share is None else min(max(share, 0.0), 100.0) / 100
    if status == "符合":
        return points * (1.0 if fraction is None else fraction)
    if status == "部分符合":
        return points * (PARTIAL_DEFAULT if fraction is None else fraction)
    return 0.0


def level_name(score: float, deductions: int, levels: Sequence[tuple[str, float]]) -> str:
    """The predicted level (the formula of the 预测等级 cell)."""
    if deductions >= FAIL_DEDUCTIONS:
        return f"不通过（特别扣分项{FAIL_DEDUCTIONS}项及以上）"
    reached = [name for name, minimum in levels if score >= minimum]
    if not reached:
        return f"不通过（低于{levels[0][1]:g}分）" if levels else "不通过"
    return reached[-1]


def compute(rows: Sequence[Row], answers: Answers, levels: Sequence[tuple[str, float]],
            titles: Mapping[str, str] | None = None) -> Result:
    """Score = points got ÷ points of the applicable lines × 100 (rounded to 0.01), − 1 per
    特别扣分项, + at most 1 bonus, kept within 0–100; the level from the thresholds."""
    got = applicable = 0.0
    by_clause: dict[str, tuple[float, float]] = {}
    gaps = []
    for row in rows:
        if not row.scored:
            continue
        status = answers.status.get(row.id, "")
        if status == "不适用":
            continue
        line = line_points(row.points, status, answers.share.get(row.id))
        got += line
        applicable += row.points
        g, a = by_clause.get(row.clause, (0.0, 0.0))
        by_clause[row.clause] = (g + line, a + row.points)
        if status != "符合":
            gaps.append((row.id, row.title, status or "未评价"))
    deductions = sum(1 for d in answers.deductions if d)
    bonus = min(max(answers.bonus, 0.0), MAX_BONUS)
    score = 0.0 if not applicable else max(0.0, min(100.0, round2(got / applicable * 100) - deductions + bonus))
    return Result(got, applicable, deductions, bonus, score, level_name(score, deductions, levels), by_clause, gaps)


def _number(value: object) -> float | None:
    """A number as Excel's ISNUMBER sees it: numbers only, never text that looks like one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _filled(value: object) -> bool:
    """A cell COUNTA counts."""
    return value is not None and value != ""


def read_workbook(path: str | Path) -> tuple[list[Row], Answers, list[tuple[str, float]]]:
    """The lines, answers and thresholds of a filled self-assessment workbook (as written by docgen)."""
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=False)
    except (OSError, ValueError, KeyError) as exc:
        raise KitError(f"{path}: not a readable Excel workbook ({exc})") from None
    for name in (SHEET, DEDUCTIONS_SHEET, SUMMARY_SHEET):
        if name not in wb.sheetnames:
            raise KitError(f"{path}: no sheet {name!r}; is this the self-assessment workbook docgen wrote?")
    ws = wb[SHEET]
    rows: list[Row] = []
    answers = Answers()

    for r in range(5, ws.max_row + 1):
        ident = ws.cell(r, COL["id"]).value
        if not ident:
            continue
        scored = ws.cell(r, COL["scored"]).value == 1
        points = _number(ws.cell(r, COL["points"]).value) or 0.0
        clause = str(ws.cell(r, COL["clause"]).value or "")
        rows.append(Row(str(ident), 0, str(ws.cell(r, COL["title"]).value or ""), points, "", clause, scored))
        if scored:
            status = str(ws.cell(r, COL["status"]).value or "")
            if status and status not in STATUSES:
                raise KitError(f"{path}: {SHEET}!{ws.cell(r, COL['status']).coordinate} holds {status!r}; "
                               f"expected one of {' / '.join(STATUSES)}")
            answers.status[str(ident)] = status
            share = _number(ws.cell(r, COL["share"]).value)
            if share is not None:
                answers.share[str(ident)] = share
    ded = wb[DEDUCTIONS_SHEET]
    answers.deductions = [str(ded.cell(r, 3).value) for r in DEDUCTION_ROWS if _filled(ded.cell(r, 3).value)]
    summary = wb[SUMMARY_SHEET]
    answers.bonus = _number(summary[BONUS_CELL].value) or 0.0
    levels = []
    for name_ref, score_ref in LEVEL_CELLS:
        name, minimum = summary[name_ref].value, _number(summary[score_ref].value)
        if name and minimum is not None:
            levels.append((str(name), minimum))
    return rows, answers, sorted(levels, key=lambda lv: lv[1])


def score_workbook(path: str | Path) -> Result:
    """The score and level of a filled workbook, computed in Python exactly as its formulas do."""
    rows, answers, levels = read_workbook(path)
    return compute(rows, answers, levels)
