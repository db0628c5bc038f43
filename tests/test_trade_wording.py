"""A trade's `wording:` says the common templates' phrases its way: in their text, Word and Excel,
the longest phrase first, never in a profile value, a template's logic or the trade's own text;
a phrase that could change template code is refused at its line."""

from __future__ import annotations

import datetime as dt

import openpyxl
from click.testing import CliRunner

from docgen.cli import main
from docgen.pack import build_pack
from docgen.trades.wording import reword

from .conftest import docx_text
from .test_trade_overlay import TRADE, _overlay

TABLE = (("上门", "到达现场"), ("上门维修", "现场维修"), ("服务工程师", "维保人员"))


def test_the_longest_phrase_wins_and_replacements_do_not_cascade():
    assert reword("需要上门的，安排上门维修。", TABLE) == "需要到达现场的，安排现场维修。"
    assert reword("上门维修", (("上门维修", "上门服务"), ("上门服务", "x"))) == "上门服务"


def test_printed_literals_change_but_compared_or_passed_ones_stay():
    source = ("{% if c == '上门' %}上门维修{% endif %}{% set tech = '服务工程师' if on else '检测人员' %}"
              "{% set rows = [('服务工程师、客服' if a else 'b'), '服务工程师'] %}{{ x.replace('上门', '到店') }}"
              "{% if '上门' in item %}{{ trade.word('tech', '服务工程师') }}{% endif %}{# 上门 #}{% set m = dict(a='上门') %}")
    assert reword(source, TABLE) == (
        "{% if c == '上门' %}现场维修{% endif %}{% set tech = '维保人员' if on else '检测人员' %}"
        "{% set rows = [('维保人员、客服' if a else 'b'), '维保人员'] %}{{ x.replace('上门', '到店') }}"
        "{% if '上门' in item %}{{ trade.word('tech', '服务工程师') }}{% endif %}{# 上门 #}{% set m = dict(a='到达现场') %}")


def _worded(tmp_path, wording: str, extra: str = ""):
    overlay, profile = _overlay(tmp_path)
    (overlay / "trades" / "water_purifiers" / "trade.yaml").write_text(TRADE + wording + extra, encoding="utf-8")
    return overlay, profile


WORDING = "wording: {上门维修: 现场维修, 上门: 到户, 服务工程师: 净水师傅, 用户回访: 水质回访}\n"


def test_common_documents_speak_the_trades_words_and_profile_text_stays(tmp_path):
    practice = ("practice:\n  repair:\n    - title: 净水设备上门维修\n      text: [服务工程师上门后先检测TDS值。]\n")
    overlay, profile = _worded(tmp_path, WORDING, practice)
    text = profile.read_text(encoding="utf-8")
    assert "上门" in text  # the sample's own text says 上门: it must survive as typed
    out = tmp_path / "pack"
    pack = build_pack(profile, out, date=dt.date(2026, 9, 1), templates_dir=overlay)
    docs = {d.entry.id: d for d in pack.documents}
    repair = docx_text(out / docs["repair"].relpath)
    manual = docx_text(out / docs["service_manual"].relpath)
    assert "现场维修" in manual + repair and "到户" in manual + repair
    # the trade's own practice text is written its way already: untouched
    assert "净水设备上门维修\n服务工程师上门后先检测TDS值。" in repair
    # every 上门 left in the common documents is the profile's own text or the trade's practice
    profile_values = sorted({v for v in _strings(pack.profile.model_dump()) if "上门" in v or "服务工程师" in v},
                            key=len, reverse=True)
    for doc_id in ("service_manual", "repair", "wi_hotline"):
        body = docx_text(out / docs[doc_id].relpath).replace("净水设备上门维修\n服务工程师上门后先检测TDS值。", "")
        for v in profile_values:
            body = body.replace(v, "")
        assert "上门" not in body, (doc_id, body[max(0, body.find("上门") - 40):body.find("上门") + 20])
        assert "服务工程师" not in body
    for v in profile_values:
        assert v in manual + repair + "".join(docx_text(out / d.relpath) for d in pack.documents if d.extension == ".docx")
    # Excel forms: literal cells and list choices too
    form = docs["rec_repair_record"]
    ws = openpyxl.load_workbook(out / form.relpath).active
    cells = " ".join(str(c.value) for row in ws.iter_rows() for c in row if isinstance(c.value, str))
    assert "服务工程师" not in cells


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def test_a_phrase_that_could_change_template_code_is_refused_at_its_line(tmp_path):
    overlay, profile = _worded(tmp_path, "wording:\n  上门: 到户\n  \"上门{x}\": y\n  onsite: 到户\n")
    path = overlay / "trades" / "water_purifiers" / "trade.yaml"
    result = CliRunner().invoke(main, ["check", str(profile), "--templates", str(overlay)])
    assert result.exit_code == 1, result.output
    assert str(path) in result.output and "wording" in result.output
    assert "may not hold" in result.output and "must hold Chinese characters" in result.output
    assert "Traceback" not in result.output
