"""Commitments the procedures keep: a published promise that differs from the facts is an error
at its line; the samples' promises all agree."""

from __future__ import annotations

import pytest

from docgen.errors import ProfileError
from docgen.pack import check_promises
from docgen.profile import parse_profile

from .conftest import ROOT, SAMPLE, sample_text

FILE = str(SAMPLE)


def _check(text: str) -> None:
    check_promises(parse_profile(text, FILE))


@pytest.mark.parametrize("name", ["company", "retailer", "service_provider", "furniture", "automotive"])
def test_every_sample_keeps_its_commitments(name):
    path = ROOT / "samples" / f"{name}.yaml"
    check_promises(parse_profile(path.read_text(encoding="utf-8"), str(path)))


@pytest.mark.parametrize("old,new,message", [
    ("30 分钟内响应客户诉求", "10 分钟内响应客户诉求", "响应时限 «10分钟», but the procedures state «30分钟»"),
    ("绍兴、杭州、宁波市区 4 小时内上门", "绍兴、杭州、宁波市区 2 小时内上门", "绍兴、杭州、宁波市区上门时限 «2小时», but the procedures state «4小时»"),
    ("服务完成后 3 日内回访", "服务完成后 1 日内回访", "回访时限 «1日», but the procedures state «3日»"),
    ("服务网点所在城市", "服务网点所在城市", ""),
])
def test_a_promise_faster_than_the_procedures_is_an_error_at_its_line(old, new, message):
    text = sample_text()
    if not message:
        text = text.replace("    - 维修服务明码标价，先报价后维修，不乱收费。\n",
                            "    - 维修服务明码标价，先报价后维修，不乱收费。\n    - 服务网点所在城市市区 4 小时内上门。\n")
        message = "服务区域"
    else:
        assert old in text
        text = text.replace(old, new)
    with pytest.raises(ProfileError) as err:
        _check(text)
    problems = [str(p) for p in err.value.problems]
    line = next(i for i, t in enumerate(text.splitlines(), start=1) if (new if old != new else "服务网点所在城市市区") in t)
    assert any(p.startswith("policy.commitments[") and f"({FILE}:{line}:" in p and message in p for p in problems), problems


def test_an_on_site_promise_for_mail_in_repair_is_an_error():
    path = ROOT / "samples" / "retailer.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    - 投诉 1 小时内响应，3 日内给出处理结果。\n",
        "    - 投诉 1 小时内响应，3 日内给出处理结果。\n    - 维修服务杭州、上海市区 24 小时内上门。\n")
    with pytest.raises(ProfileError, match="维修不上门"):
        check_promises(parse_profile(text, str(path)))
