"""Consistency proved from the rendered text: every statement of a service fact (an on-site time,
a complaint grade and its definition, a KPI target or formula, a survey frequency, a retention
period, an inspection frequency) read back from the documents and compared with the facts model,
so two documents can never disagree unnoticed — in a fresh build or a pack edited by hand."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ..coverage.model import DocInfo, Finding
from ..coverage.read import Block, DocText

KIND = "inconsistent"

_HOURS_ONSITE = re.compile(r"(\d+)\s*(?:个)?小时(?:内|以内)(?:上门|到达现场|到达|到场)")
_AREA_WORDS = ("市区", "城区", "省内", "省外", "地区", "县", "乡镇")
_GRADE = re.compile(r"(一般|较大|重大|特别重大|严重|紧急|普通|重要)投诉")
_KPI_TARGET = re.compile(r"(顾客满意率|顾客满意度|服务及时率|及时率|一次修复率|投诉(?:按时)?办结率|投诉处理率|回访率)"
                         r"[^，。；;0-9]{0,8}?(?:[≥≧>]=?|不低于|不少于|达到|达|为)\s*(\d+(?:\.\d+)?)\s*[%％]")
_KPI_FORMULA = re.compile(r"(顾客满意率|服务及时率|一次修复率|投诉按时办结率|回访率)\s*[＝=]\s*(.+?)\s*[÷/]\s*(.+?)\s*[×x*]\s*100\s*[%％]")
_SURVEY = re.compile(r"(每月|每季度|每半年|每年|每两年)[^。；;]{0,10}?(?:(?:顾客)?满意度(?:调查|测评)|(?:专项|满意度)测评)")
_SAMPLE = re.compile(r"不少于\s*(\d+)\s*份")
_RETAIN = re.compile(r"保存(?:期限)?(?:为|不少于|至少)?\s*(\d+)\s*年")
_INSPECT = re.compile(r"(自营网点|委托(?:服务)?网点)(?:每月|每季度|每半年|每年)")
_FREQ = re.compile(r"每月|每季度|每半年|每年")
_KPI_KEYS = {"顾客满意率": "satisfaction", "顾客满意度": "satisfaction", "服务及时率": "timely", "及时率": "timely",
             "一次修复率": "first_fix", "投诉按时办结率": "complaint_closed", "投诉办结率": "complaint_closed",
             "投诉处理率": "complaint_closed", "回访率": "followup"}


@dataclass(frozen=True)
class Statement:
    """One statement of a fact found in a document that disagrees with the facts model."""

    fact: str
    stated: str
    expected: str


def _norm(text: str) -> str:
    return re.sub(r"[\s　，,。；;：:（）()“”\"'、]", "", text)


def _area_for(prefix: str, areas: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The area a statement names just before its hours (the longest area name it ends with)."""
    tail = prefix.rstrip("，, ")
    best = None
    for a in areas:
        name = a["name"]
        short = re.sub(r"^.{2,7}?(?:省|自治区)(?=内|外)", "省", name)  # 浙江省内其他地区 → 省内其他地区
        for form in (name, short, name.removesuffix("市区"), name.removesuffix("地区")):
            if form and tail.endswith(form) and (best is None or len(name) > len(best["name"])):
                best = a
    return best


def _onsite(block: Block, facts: dict[str, Any]) -> Iterator[Statement]:
    areas = facts["areas"]
    repair_away = "onsite" not in facts.get("channels", {}).get("repair", ["onsite"])
    for m in _HOURS_ONSITE.finditer(block.text):
        if not facts.get("onsite", True) or (repair_away and any(w in block.text for w in ("维修", "报修", "故障"))):
            yield Statement("上门服务", m.group(0), "维修不上门（" + "、".join(facts.get("channels_cn", {}).get("repair", [])) + "）")
            continue
        start = max(0, m.start() - 30)
        prefix = re.split(r"[。；;，,]", block.text[start:m.start()])[-1]
        area = _area_for(prefix, areas)
        hours = int(m.group(1))
        if area is not None:
            if hours != area["onsite_hours"] and not _is_emergency(block.text):
                yield Statement(f"{area['name']}上门时限", f"{hours}小时", f"{area['onsite_hours']}小时")
        elif any(w in prefix for w in _AREA_WORDS) and not _is_emergency(block.text):
            known = "、".join(f"{a['name']}{a['onsite_hours']}小时" for a in areas)
            yield Statement("服务区域", (prefix.strip() + m.group(0))[-40:], known)


def _is_emergency(text: str) -> bool:
    return any(w in text for w in ("应急", "紧急", "困人", "泄漏", "救援"))


def _grades(block: Block, facts: dict[str, Any]) -> Iterator[Statement]:
    names = [g["name"] for g in facts["grades"]]
    for m in _GRADE.finditer(block.text):
        if m.group(0) not in names and "重大投诉" not in m.group(0)[1:]:
            yield Statement("投诉等级", m.group(0), "、".join(names))
    in_terms = "术语" in block.heading or "定义" in block.heading
    for g in facts["grades"]:
        sep = r"(?:[：:]|是指|指)" if in_terms else r"(?:是指|[：:]指)"
        d = re.search(r"^\s*" + re.escape(g["name"]) + sep + r"\s*(.+?)(?:。|$)", block.text)
        if d and _norm(d.group(1)) != _norm(g["definition"]) and _norm(g["definition"]) not in _norm(d.group(1)):
            yield Statement(f"{g['name']}的定义", d.group(1)[:60], g["definition"][:60])


def _kpis(block: Block, facts: dict[str, Any]) -> Iterator[Statement]:
    kpis = {k["key"]: k for k in facts["kpis"]}
    for m in _KPI_TARGET.finditer(block.text):
        value = float(m.group(2))
        if value > 100:
            yield Statement(f"{m.group(1)}目标", f"{m.group(2)}%", "不超过100%")
            continue
        kpi = kpis.get(_KPI_KEYS.get(m.group(1), ""))
        if kpi and abs(value - kpi["target_pct"]) > 1e-9:
            yield Statement(f"{kpi['name']}目标", f"{m.group(2)}%", f"{kpi['target_pct']:g}%")
    for m in _KPI_FORMULA.finditer(block.text):
        kpi = kpis.get(_KPI_KEYS.get(m.group(1), ""))
        if kpi and (_norm(m.group(2)) != _norm(kpi["numerator"]) or _norm(m.group(3)) != _norm(kpi["denominator"])):
            yield Statement(f"{kpi['name']}的计算方法", f"{m.group(2)}÷{m.group(3)}", f"{kpi['numerator']}÷{kpi['denominator']}")


def _survey(block: Block, facts: dict[str, Any]) -> Iterator[Statement]:
    survey = facts["survey"]
    for m in _SURVEY.finditer(block.text):
        if m.group(1) != survey["frequency"]:
            yield Statement("满意度测评频次", m.group(1), survey["frequency"])
    if "满意度" in block.text:
        expected = re.search(r"(\d+)\s*份", survey.get("sample", ""))
        for m in _SAMPLE.finditer(block.text):
            if expected and m.group(1) != expected.group(1):
                yield Statement("满意度测评样本量", f"不少于{m.group(1)}份", f"不少于{expected.group(1)}份")


def _inspection(block: Block, facts: dict[str, Any]) -> Iterator[Statement]:
    freq = facts["frequencies"]
    for m in _INSPECT.finditer(block.text):
        which = "own_outlet_inspection" if m.group(1) == "自营网点" else "entrusted_outlet_inspection"
        stated = _FREQ.search(m.group(0))
        if stated and "巡检" in block.text and stated.group(0) != freq[which]:
            yield Statement(f"{m.group(1)}巡检频次", stated.group(0), freq[which])


def _retention(block: Block, facts: dict[str, Any], doc: DocInfo) -> Iterator[Statement]:
    records = facts.get("record_retention", {})
    if not records:
        return
    named = [t for t in records if t in block.text] or ([doc.title] if doc.title in records and doc.kind == "record" else [])
    if len(named) != 1:
        return
    expected = records[named[0]]
    for m in _RETAIN.finditer(block.text):
        if int(m.group(1)) != expected:
            yield Statement(f"《{named[0]}》保存期限", f"{m.group(1)}年", f"{expected}年")


READERS: list[Callable[..., Iterator[Statement]]] = [_onsite, _grades, _kpis, _survey, _inspection]


def _dropdowns(text: DocText, facts: dict[str, Any], doc: DocInfo) -> Iterator[tuple[str, Statement]]:
    names = [g["name"] for g in facts["grades"]]
    for where, items in text.choices:
        if any(_GRADE.fullmatch(i) for i in items) and items != names:
            yield where, Statement("投诉等级下拉选项", "、".join(items), "、".join(names))


def check_consistency(documents: list[DocInfo], texts: dict[str, DocText], facts: dict[str, Any]) -> list[Finding]:
    """Every statement in the documents that disagrees with the facts, with document, place and both values."""
    findings: list[Finding] = []
    seen: set[tuple[str, str, str, str]] = set()

    def add(doc: DocInfo, block_where: str, heading: str, s: Statement) -> None:
        key = (doc.relpath, s.fact, s.stated, heading)
        if key in seen:
            return
        seen.add(key)
        en = f"states {s.fact} as «{s.stated}», the facts say «{s.expected}»"
        cn = f"{s.fact}表述为“{s.stated}”，与服务规范（{s.expected}）不一致"
        findings.append(Finding(KIND, en, cn, "warning", doc.number, doc.title, doc.relpath, block_where, heading))

    for doc in documents:
        text = texts.get(doc.relpath)
        if text is None or text.error:
            continue
        for block in text.blocks:
            for reader in READERS:
                for s in reader(block, facts):
                    add(doc, block.where, block.heading, s)
            for s in _retention(block, facts, doc):
                add(doc, block.where, block.heading, s)
        for where, s in _dropdowns(text, facts, doc):
            add(doc, where, "", s)
    return findings
