"""The authoring format and filters: table cells keep Jinja filters, a tag line holds one tag,
a form that does not fit is refused, and the contents page is filled from the headings."""

from __future__ import annotations

import datetime as dt

import pytest

from docgen.authoring.markdown import _TAG_LINE, _split_row
from docgen.authoring.records import compile_record
from docgen.context.filters import cn_date, cn_number, months, num, pct
from docgen.render.word import fill_toc


def test_table_cells_keep_filters_inside_tags():
    assert _split_row("| {{ a|pct }} | b | {% for x in y|sort %} |") == ["{{ a|pct }}", "b", "{% for x in y|sort %}"]
    assert _split_row("| a | b |") == ["a", "b"]


def test_a_tag_line_holds_exactly_one_tag():
    assert _TAG_LINE.match("{% if services.repair.offered %}").group(1) == "if services.repair.offered"
    assert _TAG_LINE.match("{% if a %}文字{% endif %}") is None


def test_a_form_row_that_does_not_fit_is_refused(tmp_path):
    spec = {"title": "表", "form": [[{"label": "甲", "span": 3}, {"label": "乙"}]]}
    with pytest.raises(ValueError, match=r"表: form row \['甲', '乙'\] does not fit in 4 columns \(field '乙' starts at column 5\)"):
        compile_record(spec, tmp_path / "x.xlsx")


def test_contents_are_filled_from_headings():
    xml = (
        '<w:p><w:r><w:t>DOCGEN-TOC</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>1 目的</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:r><w:t>1.1 范围</w:t></w:r></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="Heading3"/></w:pPr><w:r><w:t>1.1.1 细节</w:t></w:r></w:p>'
    )
    out = fill_toc(xml)  # one paragraph per entry, TOC 1 / TOC 2, a tab (dot leader) before the page
    assert '<w:pStyle w:val="TOC1"/></w:pPr><w:r><w:t xml:space="preserve">1 目的</w:t></w:r><w:r><w:tab/></w:r>' in out
    assert '<w:pStyle w:val="TOC2"/></w:pPr><w:r><w:t xml:space="preserve">1.1 范围</w:t></w:r><w:r><w:tab/></w:r>' in out
    assert "细节</w:t></w:r></w:p>" in out and out.count("细节") == 1


def test_filters():
    assert cn_date(dt.date(2026, 9, 1)) == "2026年9月1日"
    assert [cn_number(n) for n in (1, 10, 12, 20, 21)] == ["一", "十", "十二", "二十", "二十一"]
    assert (pct(95.0), pct(92.5)) == ("95%", "92.5%")
    assert (months(36), months(18), months(0)) == ("3年", "18个月", "0个月")
    assert (num(380.0), num(12.5), num(1234567.0)) == ("380", "12.5", "1234567")
