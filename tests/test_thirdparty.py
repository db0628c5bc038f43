"""The two library internals docgen relies on (docgen/render/thirdparty.py): each checked against
the installed docxtpl and openpyxl, so an upgrade that changes them fails here, loudly."""

from __future__ import annotations

import inspect

import openpyxl
from docxtpl import DocxTemplate
from openpyxl.cell.cell import MergedCell
from openpyxl.worksheet import _reader

from docgen.catalog import TemplateSet, builtin_templates
from docgen.render.thirdparty import docxtpl_patch_xml, load_workbook_fast

RUN = '<w:r><w:t>{{ company.</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>name }}</w:t></w:r>'


def test_docxtpl_patch_xml_is_callable_unbound_and_does_what_we_use():
    assert list(inspect.signature(DocxTemplate.patch_xml).parameters) == ["self", "src_xml"], (
        "docxtpl changed DocxTemplate.patch_xml; re-check docgen/render/thirdparty.py")
    out = docxtpl_patch_xml(f"<w:p>{RUN}</w:p>")
    assert "{{ company.name }}" in out  # a tag split across runs is joined
    para = docxtpl_patch_xml('<w:p><w:r><w:t>{%p if x %}</w:t></w:r></w:p><w:p><w:r><w:t>a</w:t></w:r></w:p>'
                             '<w:p><w:r><w:t>{%p endif %}</w:t></w:r></w:p>')
    assert "{% if x %}" in para and "{% endif %}" in para and "{%p" not in para  # {%p %} replaces its paragraph
    row = docxtpl_patch_xml('<w:tbl><w:tr><w:tc><w:p><w:r><w:t>{%tr for o in outlets %}</w:t></w:r></w:p></w:tc></w:tr>'
                            '<w:tr><w:tc><w:p><w:r><w:t>{{ o.name }}</w:t></w:r></w:p></w:tc></w:tr>'
                            '<w:tr><w:tc><w:p><w:r><w:t>{%tr endfor %}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>')
    assert "{% for o in outlets %}" in row and "<w:tr>" in row and "{%tr" not in row


def test_openpyxl_reader_still_has_the_hook_we_replace():
    hook = getattr(_reader.WorksheetReader, "bind_merged_cells", None)
    assert hook is not None and list(inspect.signature(hook).parameters) == ["self"], (
        "openpyxl changed WorksheetReader.bind_merged_cells; re-check docgen/render/thirdparty.py")


def test_the_fast_loader_gives_the_same_workbook_as_openpyxl():
    path = TemplateSet(builtin_templates()).path("records/service_order.xlsx")
    fast, plain = load_workbook_fast(path), openpyxl.load_workbook(path, rich_text=False)
    assert _reader.WorksheetReader.bind_merged_cells.__module__.startswith("openpyxl")  # put back after the call
    for a, b in zip(fast.worksheets, plain.worksheets, strict=True):
        assert sorted(map(str, a.merged_cells.ranges)) == sorted(map(str, b.merged_cells.ranges))
        assert a.merged_cells.ranges, "the template has merged cells to compare"
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
            for ca, cb in zip(row_a, row_b, strict=True):
                assert (type(ca), ca.value) == (type(cb), cb.value)
                if not isinstance(ca, MergedCell):  # merged cells keep the template's own style (the point of it)
                    assert (ca.border.left.style, ca.font.name, ca.alignment.wrap_text) == (cb.border.left.style, cb.font.name, cb.alignment.wrap_text)
