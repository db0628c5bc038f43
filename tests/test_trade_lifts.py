"""The lifts trade module (issue 9): the lift-maintenance sample builds a pack whose lift documents
speak of lift work (困人, 轿厢, 层门, 安全回路, 盘车 …) and carry no other trade's words; the whole
pack is held to the same list, the common templates taking their trade words from the module."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import BUILD_DATE, ROOT, docx_text, xlsx_values

LIFTS_SAMPLE = ROOT / "samples" / "service_provider.yaml"
LIFT_TITLES = ["电梯维护保养程序", "电梯维护保养作业指导书", "困人救援作业指导书", "电梯维护保养记录", "困人救援记录"]
OWN_WORDS = ["困人", "轿厢", "层门", "安全回路", "盘车", "维保", "特种设备作业人员"]
FOREIGN_WORDS = ["燃气", "气源", "漏气", "鞋套", "寄修", "试机", "三包", "保修卡", "《部分商品修理更换退货责任规定》",
                 "《废弃电器电子产品回收处理管理条例》", "七日无理由", "车主", "量尺"]
DROPPED = ["rec_warranty_card", "rec_sanbao_policy"]  # goods documents a maintenance contract never uses


def _texts(pack: Path) -> dict[str, str]:
    """Every document of a pack as text, by file name (the coverage workbook left out)."""
    out = {}
    for f in sorted(pack.rglob("*")):
        if f.suffix == ".docx":
            out[f.name] = docx_text(f)
        elif f.suffix == ".xlsx" and "条款覆盖矩阵" not in f.name:
            out[f.name] = "\n".join(xlsx_values(f))
    return out


@pytest.fixture(scope="module")
def lifts_pack(tmp_path_factory: pytest.TempPathFactory):
    from docgen.pack import build_pack

    out = tmp_path_factory.mktemp("lifts") / "pack"
    built = build_pack(LIFTS_SAMPLE, out, date=BUILD_DATE)
    return built, _texts(out)


def _lift_docs(texts: dict[str, str]) -> dict[str, str]:
    return {name: text for name, text in texts.items() if any(name.endswith(f" {t}{Path(name).suffix}") for t in LIFT_TITLES)}


def test_module_loads_and_states_the_regimes() -> None:
    from docgen.catalog import TemplateSet, builtin_templates
    from docgen.trades import load_trade

    trade = load_trade("lifts", TemplateSet(builtin_templates()))
    assert trade.customer == "使用单位" and trade.product == "电梯"
    assert {s.key for s in trade.services} >= {"maintenance", "rescue"}
    assert trade.warranty.applies is False and trade.recycling.applies is False
    # the arrival time is a profile fact: the module gives no default for it
    assert "onsite_minutes" not in trade.facts["emergency"]
    assert any(law.number == "TSG T5002-2017" for law in trade.laws)


def test_sample_selects_the_module(lifts_pack) -> None:
    built, _ = lifts_pack
    profile = built.profile
    assert profile.company.trade == "lifts"
    assert profile.services["maintenance"].offered and profile.services["rescue"].offered
    assert profile.services["rescue"].channels == ["onsite"]
    assert not {"delivery", "returns", "recall", "recycling"} & set(profile.services)


def test_every_lift_document_is_in_the_pack(lifts_pack) -> None:
    _, texts = lifts_pack
    found = _lift_docs(texts)
    missing = [t for t in LIFT_TITLES if not any(t in name for name in found)]
    assert not missing, missing


@pytest.mark.parametrize("word", OWN_WORDS)
def test_lift_words_appear_in_the_lift_documents(lifts_pack, word: str) -> None:
    _, texts = lifts_pack
    docs = _lift_docs(texts)
    assert any(word in text for text in docs.values()), word
    # the procedure and both instructions each speak of the lift's real parts and work
    for name, text in docs.items():
        if name.endswith(".docx") and word in {"轿厢", "层门", "安全回路", "盘车", "特种设备作业人员"}:
            assert word in text, (name, word)


@pytest.mark.parametrize("word", FOREIGN_WORDS)
def test_no_other_trade_words_in_the_lift_documents(lifts_pack, word: str) -> None:
    _, texts = lifts_pack
    hits = [name for name, text in _lift_docs(texts).items() if word in text]
    assert not hits, f"{word} in {hits}"


def test_rescue_is_answered_at_emergency_speed(lifts_pack) -> None:
    built, texts = lifts_pack
    minutes = built.profile.facts.emergency.onsite_minutes
    assert minutes == 30
    rescue = next(text for name, text in texts.items() if "困人救援作业指导书" in name)
    assert f"{minutes}分钟内到达" in rescue
    assert "小时内上门" not in rescue and "小时内到达" not in rescue
    assert "96333" not in "".join(_lift_docs(texts).values())  # a local platform, not a national rule


def test_maintenance_items_by_interval(lifts_pack) -> None:
    _, texts = lifts_pack
    wi = next(text for name, text in texts.items() if "电梯维护保养作业指导书" in name)
    for cls in ("半月维保", "季度维保", "半年维保", "年度维保"):
        assert cls in wi
    assert "至少每15日进行一次清洁、润滑、调整和检查" in next(t for n, t in texts.items() if "电梯维护保养程序" in n)
    record = next(text for name, text in texts.items() if "电梯维护保养记录" in name)
    assert "层门门锁自动复位" in record and "限速器安全钳联动试验" in record


def test_no_consistency_findings_in_the_lift_documents(lifts_pack) -> None:
    built, _ = lifts_pack
    ours = [f for f in built.coverage.findings if f.kind == "inconsistent" and f.title in LIFT_TITLES]
    assert not ours, [str(f) for f in ours]


def test_goods_documents_are_dropped(lifts_pack) -> None:
    """The 保修卡 and the 三包 table are goods documents: the lifts module drops them from its pack."""
    built, _ = lifts_pack
    ids = {doc.entry.id for doc in built.documents}
    assert not ids & set(DROPPED), ids & set(DROPPED)


def test_whole_pack_carries_no_other_trade_words(lifts_pack) -> None:
    _, texts = lifts_pack
    # the self-assessment and the audit checklist quote the standard's own requirements (5.1.7 names
    # 保修卡 among the media of commitments, 5.2.5 三包); everything the company writes is checked
    quoting = ("自我评价表", "内部审核检查表")
    texts = {n: t for n, t in texts.items() if not any(q in n for q in quoting)}
    hits = {w: [n for n, t in texts.items() if w in t] for w in FOREIGN_WORDS}
    hits = {w: names for w, names in hits.items() if names}
    assert not hits, hits
    for word in OWN_WORDS:
        assert any(word in t for t in texts.values()), word


# Words of home visits and of goods the common templates use, which the module's wording says the
# lift way (上门 → 到场, 服务工程师 → 维保人员, 开箱验货 → 设备进场验收, 保修期 → 质量保证期 …).
VISIT_AND_GOODS_WORDS = ["上门", "整机", "随机资料", "开箱", "三包政策", "用户档案卡", "两次维修", "保修期", "使用培训",
                         "您的姓名、电话和地址"]


def _system_docs(texts: dict[str, str]) -> dict[str, str]:
    return {name: text for name, text in texts.items() if "-GZ-" not in name}


@pytest.mark.parametrize("word", VISIT_AND_GOODS_WORDS)
def test_whole_pack_says_the_common_phrases_the_lift_way(lifts_pack, word: str) -> None:
    """Every document of the system (manual, procedures, instructions, records); the certification
    working files (05, AT-GZ-…) quote the standard's evidence lists and are not reworded."""
    _, texts = lifts_pack
    hits = [name for name, text in _system_docs(texts).items() if word in text]
    assert not hits, f"{word} in {hits}"


def test_no_service_engineer_but_the_roster_role_label(lifts_pack) -> None:
    """服务工程师 is said 维保人员 in every common text; the staff roster still prints the profile's
    role `engineer` by its vocabulary label (docgen/vocab.yaml), which a trade cannot relabel."""
    _, texts = lifts_pack
    hits = [name for name, text in _system_docs(texts).items() if "服务工程师" in text and "售后服务人员名册" not in name]
    assert not hits, hits
    assert any("维保人员" in t for t in texts.values())
