"""Trade modules of the home trades (issue 9): household appliances, gas appliances, e-commerce.

The gas-appliance maker (samples/company.yaml) and the online retailer (samples/retailer.yaml)
are built and read back. A trade's own documents and its module data are checked strictly: they
must speak of the trade and carry no other trade's words. The common templates take trade words
from `trade.*`, so every document of each pack is held to the sample's list of foreign words."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.catalog import TemplateSet, builtin_templates
from docgen.pack import build_pack
from docgen.trades import load_trade

from .conftest import BUILD_DATE, ROOT, docx_text, xlsx_values

GAS_MUST = ["燃气", "烟管", "资格"]
GAS_MUST_ANY = [("泄漏", "检漏"), ("气源类型", "燃气种类")]
GAS_FOREIGN = ["困人", "轿厢", "车主", "量尺"]
SHOP_MUST = ["七日无理由", "寄修", "在线客服"]
SHOP_FOREIGN = ["燃气", "气源", "鞋套", "困人", "上门安装"]
LIFT_CAR_FURNITURE = ["困人", "轿厢", "维保", "车主", "工时", "量尺", "板材", "五金"]


def _read(path: Path) -> str:
    return docx_text(path) if path.suffix == ".docx" else "\n".join(xlsx_values(path))


def _build(sample: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Every document of a sample's pack: catalog id → text."""
    out = tmp_path_factory.mktemp(sample) / "out"
    pack = build_pack(ROOT / "samples" / f"{sample}.yaml", out, date=BUILD_DATE)
    return {doc.entry.id: _read(out / doc.relpath) for doc in pack.documents}


@pytest.fixture(scope="module")
def gas_pack(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _build("company", tmp_path_factory)


@pytest.fixture(scope="module")
def shop_pack(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _build("retailer", tmp_path_factory)


def _module(key: str):
    return load_trade(key, TemplateSet(builtin_templates()))


def _where(pack: dict[str, str], word: str) -> list[str]:
    return [doc_id for doc_id, text in pack.items() if word in text]


# ------------------------------------------------------------------ the modules themselves
@pytest.mark.parametrize("key", ["appliances", "gas_appliances", "ecommerce"])
def test_module_loads_and_names_its_words(key: str) -> None:
    m = _module(key)
    assert m.key == key
    assert m.customer in {"用户", "顾客"} and m.product
    assert m.laws and all(law.name.startswith("《") and law.use for law in m.laws)
    assert m.warranty.applies and m.warranty.law and m.warranty.summary
    assert m.recall.law.startswith("《消费品召回管理暂行规定》") and "第19号" in m.recall.law
    assert m.emergencies and all(e.steps for e in m.emergencies)


@pytest.mark.parametrize("key", ["appliances", "gas_appliances", "ecommerce"])
def test_module_states_no_unverified_figure_as_law(key: str) -> None:
    text = _module(key).model_dump_json()  # what the documents can print (the file's comments say why)
    assert "2个工作日" not in text and "两个工作日" not in text  # the recall report deadline is not verified
    assert "73号" not in text  # 建设部令第73号 is probably repealed
    assert "工商总局令第90号" not in text  # the seven-day rule's order number is not verified
    for foreign in LIFT_CAR_FURNITURE:
        assert foreign not in text, (key, foreign)


def test_appliance_module_is_electrical_and_home() -> None:
    m = _module("appliances")
    data = m.model_dump_json()
    assert "国经贸质〔1995〕458号" in data and "国务院令第551号" in data
    assert all(w in data for w in ["断电", "接地", "绝缘", "试机", "鞋套", "垫布", "触电"])
    assert "燃气" not in data and "气源" not in data  # gas is a trade of its own
    assert "公司三包承诺" in "".join(m.warranty.steps)  # the 7/15-day rules are the company's commitment, not cited as law


def test_gas_module_adds_gas_as_a_case_of_its_own() -> None:
    m = _module("gas_appliances")
    steps = "".join(m.safety_steps)
    for word in ["燃气种类", "检漏", "烟管", "通风", "发泡剂"]:
        assert word in steps
    names = [e.name for e in m.emergencies]
    assert "燃气泄漏" in names and "一氧化碳中毒" in names
    assert any("国务院令第583号" in law.number for law in m.laws)
    assert any(law.number == "CJJ 12-2013" for law in m.laws)
    assert any("第三十二条" in q and "考核合格" in q for q in m.qualifications)
    assert m.documents.replace == {
        "wi_installation": "trades/gas_appliances/work_instructions/installation.docx",
        "rec_installation_acceptance": "trades/gas_appliances/records/installation_acceptance.xlsx",
    }
    leak = next(e for e in m.emergencies if e.name == "燃气泄漏")
    assert leak.response_minutes is None and leak.onsite_minutes is None  # answered at facts.emergency speed


def test_ecommerce_module_has_no_own_field_work() -> None:
    m = _module("ecommerce")
    data = m.model_dump_json()
    assert "第二十五条" in data and "七日内返还" in data and "不少于三年" in data
    assert "寄修" in data and "在线客服" in data and "以旧换新" in data
    for word in SHOP_FOREIGN:
        assert word not in data, word


# ------------------------------------------------------------------ the gas-appliance maker's pack
def test_gas_pack_uses_the_gas_documents(gas_pack: dict[str, str]) -> None:
    for doc_id in ["wi_installation", "rec_installation_acceptance"]:
        text = gas_pack[doc_id]
        for word in GAS_MUST:
            assert word in text, (doc_id, word)
        for words in GAS_MUST_ANY:
            assert any(w in text for w in words), (doc_id, words)
        for word in GAS_FOREIGN:
            assert word not in text, (doc_id, word)
    wi = gas_pack["wi_installation"]
    assert "《城镇燃气管理条例》第三十二条" in wi and "CJJ 12-2013" in wi
    assert "天然气" in wi and "液化石油气" in wi and "一氧化碳" in wi
    assert "建设部令第73号" not in wi
    form = gas_pack["rec_installation_acceptance"]
    assert "考核合格证明编号" in form and "合格标示" in form


def test_gas_pack_own_documents_take_figures_from_facts(gas_pack: dict[str, str]) -> None:
    from docgen.facts import resolve_facts
    from docgen.profile import load_profile

    facts = resolve_facts(load_profile(ROOT / "samples" / "company.yaml"))
    keep = facts.keeping("rec_installation_acceptance").text
    assert keep in gas_pack["rec_installation_acceptance"] and keep in gas_pack["wi_installation"]
    assert facts.onsite_text in gas_pack["wi_installation"]
    assert f"{facts.emergency['response_minutes']}分钟内响应" in gas_pack["wi_installation"]


def test_gas_pack_speaks_of_gas(gas_pack: dict[str, str]) -> None:
    text = "\n".join(gas_pack.values())
    for word in GAS_MUST:
        assert word in text
    for words in GAS_MUST_ANY:
        assert any(w in text for w in words)


def test_gas_pack_has_no_foreign_words(gas_pack: dict[str, str]) -> None:
    found = {w: _where(gas_pack, w) for w in GAS_FOREIGN}
    assert not any(found.values()), found


# ------------------------------------------------------------------ the online retailer's pack
def test_shop_pack_speaks_of_distance_selling(shop_pack: dict[str, str]) -> None:
    text = "\n".join(shop_pack.values())
    for word in SHOP_MUST:
        assert word in text, word
    assert "wi_installation" not in shop_pack and "rec_installation_acceptance" not in shop_pack


def test_shop_pack_has_no_foreign_words(shop_pack: dict[str, str]) -> None:
    found = {w: _where(shop_pack, w) for w in SHOP_FOREIGN}
    assert not any(found.values()), found


# The retailer has no staff of its own at customers' homes and no engineers: its module's wording
# says the common templates' field-service phrases its way (issue 9).
SHOP_GONE = ["服务工程师", "服务车辆", "登高作业", "外勤", "安装调试控制程序", "上门通知", "按时上门", "工具包"]


def test_shop_pack_has_no_own_field_staff(shop_pack: dict[str, str]) -> None:
    found = {w: _where(shop_pack, w) for w in SHOP_GONE}
    assert not any(found.values()), found
    # the work instructions ask whether the partners' people arrived, never whether "we" did
    for doc_id in ["wi_followup", "wi_satisfaction", "wi_customer_data", "wi_tool_maintenance",
                   "wi_outlet_inspection"]:
        assert "到场" not in shop_pack[doc_id], doc_id
    assert "配送、回收人员是否按约定的时间到达" in shop_pack["wi_followup"]
    assert "受托服务商人员上门时的行为执行" in shop_pack["wi_delivery"]
    assert "技术支持与使用指导控制程序" in shop_pack["technical_support"]
    # the 2017 rules on seven-day returns are not verified (docs/research/trade-facts.md 1.7)
    assert "七日无理由退货暂行办法" not in shop_pack["rec_laws_list"]
