"""Commitments the procedures keep: each published 服务承诺 is read like the documents are, and a
promise that differs from the facts the procedures state (a time limit, an area, an on-site visit
for mail-in repair) is an error at the commitment's line; a promise tied to no fact is warned."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..coverage.read import Block
from ..errors import Problem
from ..profile import Profile
from ..yamlload import locate
from . import Statement, _onsite

_RESPONSE = re.compile(r"(\d+)\s*分钟内(?:响应|联系|回复|答复)")
_ARRIVE = re.compile(r"(\d+)\s*分钟内(?:到达|到场|赶到)")
_FOLLOWUP = re.compile(r"(\d+)\s*日内回访")
_COMPLAINT_HOURS = re.compile(r"(\d+)\s*小时内(?:响应|联系|答复)")
_COMPLAINT_DAYS = re.compile(r"(\d+)\s*日内(?:办结|给出处理结果|处理完毕|答复处理结果)")
_REPAIR = re.compile(r"维修周期不超过\s*(\d+)\s*天|(\d+)\s*日内修复")
_EMERGENCY = ("应急", "救援", "困人", "紧急")
# words that tie a promise to a fact of the pack even without a figure
_TIED = ("保修", "三包", "明码标价", "报价", "收费", "持证", "着装", "鞋套", "回访", "投诉", "热线", "上门", "到达",
         "维保", "退货", "换货", "退款", "寄修", "配件", "旧件", "TSG", "规定", "图纸", "备用")


def _statements(text: str, facts: dict[str, Any]) -> Iterator[Statement]:
    limits = facts["limits"]
    emergency = any(w in text for w in _EMERGENCY)
    complaint = "投诉" in text
    for m in _RESPONSE.finditer(text):
        expected = facts["emergency"].get("response_minutes") if emergency else limits["response_minutes"]
        if expected and int(m.group(1)) != int(expected):
            yield Statement("应急响应时限" if emergency else "响应时限", f"{m.group(1)}分钟", f"{expected}分钟")
    for m in _ARRIVE.finditer(text):
        expected = facts["emergency"].get("onsite_minutes")
        if emergency and expected and int(m.group(1)) != int(expected):
            yield Statement("应急到场时限", f"{m.group(1)}分钟", f"{expected}分钟")
    for m in _FOLLOWUP.finditer(text):
        if int(m.group(1)) != limits["followup_days"]:
            yield Statement("回访时限", f"{m.group(1)}日", f"{limits['followup_days']}日")
    if complaint:
        grade = facts["grades"][0]
        for m in _COMPLAINT_HOURS.finditer(text):
            if int(m.group(1)) != grade["response_hours"]:
                yield Statement(f"{grade['name']}响应时限", f"{m.group(1)}小时", f"{grade['response_hours']}小时")
        for m in _COMPLAINT_DAYS.finditer(text):
            if int(m.group(1)) != grade["close_days"]:
                yield Statement(f"{grade['name']}办结时限", f"{m.group(1)}日", f"{grade['close_days']}日")
    for m in _REPAIR.finditer(text):
        days = int(m.group(1) or m.group(2))
        if days != limits["repair_days"]:
            yield Statement("维修完成时限", f"{days}日", f"{limits['repair_days']}日")
    yield from _onsite(Block(text, "服务承诺", ""), facts)


def check_commitments(profile: Profile, facts: dict[str, Any]) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) for the profile's published commitments, at their lines."""
    errors, warnings = [], []
    for i, text in enumerate(profile.policy.commitments):
        loc = ("policy", "commitments", i)
        line, col = locate(profile.locations, loc)
        key = f"policy.commitments[{i}]"
        found = list(_statements(text, facts))
        for s in found:
            errors.append(Problem(f"the commitment promises {s.fact} «{s.stated}», but the procedures state "
                                  f"«{s.expected}»; make the promise and the facts (policy.targets, facts:) agree",
                                  file=profile.source, line=line, column=col, key=key))
        if not found and not any(w in text for w in _TIED) and not re.search(r"\d", text):
            warnings.append(Problem("this commitment is tied to no service fact a procedure states; an auditor asks "
                                    "which procedure keeps it", file=profile.source, line=line, column=col, key=key))
    return errors, warnings


def commitment_problems(profile: Profile) -> tuple[list[Problem], list[Problem]]:
    """check_commitments against the profile's own facts."""
    from ..coverage.check import facts_json

    return check_commitments(profile, facts_json(profile, []))
