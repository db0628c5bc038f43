"""Bad input: every kind of mistake gets one exact message at its line, and hostile files are refused fast."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from docgen.cli import main
from docgen.errors import ProfileError
from docgen.limits import MAX_ALIAS_NODES, MAX_CELL_CHARS, MAX_DEPTH, MAX_SCALAR_CHARS
from docgen.profile import parse_profile
from docgen.yamlload import load_yaml

from .conftest import sample_text

SAMPLE = sample_text()
FILE = "company.yaml"
OK = f"{FILE}: OK (浙江越华电器科技有限公司, trade 家用燃气具及厨卫电器, 3 products, 5 outlets, 12 people)\n"


def where(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """(line, column), 1-based, of the nth occurrence of `needle` in `text`."""
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def line(text: str, needle: str, nth: int = 1) -> int:
    return where(text, needle, nth)[0]


def sub(pattern: str, repl: str, text: str = SAMPLE) -> str:
    """`text` with the one match of `pattern` (a regex, multiline) replaced."""
    new, n = re.subn(pattern, repl, text, count=1, flags=re.M)
    assert n == 1, pattern
    return new


def replace(old: str, new: str, text: str = SAMPLE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | bytes, *command: str) -> Result:
    """Write company.yaml into tmp_path and run `docgen COMMAND company.yaml …` there."""
    monkeypatch.chdir(tmp_path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    (tmp_path / FILE).write_bytes(data)
    return CliRunner().invoke(main, [command[0], FILE, *command[1:]])


def assert_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | bytes, message: str) -> None:
    """`docgen check` and `docgen build` both exit 1 with exactly `message`; build writes nothing."""
    checked = run(tmp_path, monkeypatch, content, "check")
    assert (checked.exit_code, checked.output) == (1, f"profile error: {message}\n")
    built = run(tmp_path, monkeypatch, content, "build", "-o", "out")
    assert (built.exit_code, built.output) == (1, f"profile error: {message}\n")
    assert not (tmp_path / "out").exists()


# --- one case per kind of mistake: (the profile as written, the message it gets) -----------------------------------

def _tab() -> tuple[str, str]:
    text = replace("  short_name: 越华电器", "\tshort_name: 越华电器")
    return text, f"{FILE}:{line(text, chr(9))}:1: invalid YAML: tabs cannot indent YAML; use spaces"


def _missing_colon() -> tuple[str, str]:
    text = replace("  short_name: 越华电器", "  short_name 越华电器")
    return text, (f"{FILE}:{line(text, 'short_name')}:3: invalid YAML: this key has no ':' after it; "
                  "write key: value (a colon and a space)")


def _key_under_a_value() -> tuple[str, str]:
    text = replace("  short_name: 越华电器\n", "  short_name: 越华电器\n    credit: x\n")
    ln, col = where(text, "credit: x")
    return text, (f"{FILE}:{ln}:{col + len('credit')}: invalid YAML: unexpected ':' here: this line is indented under "
                  "a key that already has a value (line it up with the keys above it), or the value contains ': ' "
                  "and needs quotes")


def _list_item_out_of_line() -> tuple[str, str]:
    text = replace("  - 《城镇燃气管理条例》", " - 《城镇燃气管理条例》")
    return text, (f"{FILE}:{line(text, ' - 《城镇')}:2: invalid YAML: this line does not line up with the keys or "
                  "list items above it; check its indentation")


def _text_for_a_number() -> tuple[str, str]:
    text = replace("headcount: 386", "headcount: many")
    return text, f"company.headcount ({FILE}:{line(text, 'headcount')}:3): expected a whole number, got 'many'"


def _unknown_key() -> tuple[str, str]:
    text = replace("  hotline_hours:", "  hotline_hour:")
    return text, (f"channels.hotline_hour ({FILE}:{line(text, 'hotline_hour:')}:3): unknown key 'hotline_hour'; "
                  "did you mean 'hotline_hours'?")


def _duplicate_key() -> tuple[str, str]:
    text = replace("  short_name: 越华电器\n", "  short_name: 越华电器\n  short_name: 越华\n")
    first = line(text, "short_name: 越华电器")
    return text, f"company.short_name ({FILE}:{first + 1}:3): duplicate key 'short_name' (first given on line {first})"


def _duplicate_department() -> tuple[str, str]:
    text = replace("\npeople:\n", "  - {name: 技术中心, head: 赵明远, duties: [技术支持]}\n\npeople:\n")
    ln, col = where(text, "name: 技术中心", 2)
    return text, (f"departments[7].name ({FILE}:{ln}:{col}): duplicate department name '技术中心' "
                  f"(first on line {line(text, 'name: 技术中心')})")


def _date_with_slashes() -> tuple[str, str]:
    text = replace("issue_date: 2026-09-01", "issue_date: 2026/09/01")
    return text, (f"document_control.issue_date ({FILE}:{line(text, 'issue_date')}:3): expected a date as YYYY-MM-DD, "
                  "got '2026/09/01'")


def _month_13() -> tuple[str, str]:
    text = replace("issue_date: 2026-09-01", "issue_date: 2026-13-01")
    return text, (f"document_control.issue_date ({FILE}:{line(text, 'issue_date')}:3): expected a date as YYYY-MM-DD, "
                  "got '2026-13-01'")


def _empty() -> tuple[str, str]:
    return "", (f"{FILE}:1: the profile is empty; it needs the sections company, products, fees, policy, channels, "
                "services, outlets, departments, people, budget, document_control, certification")


def _only_comments() -> tuple[str, str]:
    return "# 样例\n\n", _empty()[1]


def _gbk() -> tuple[bytes, str]:
    first = next(ch for ch in SAMPLE if ord(ch) > 127)
    ln, col = where(SAMPLE, first)
    return SAMPLE.encode("gbk"), (f"{FILE}:{ln}:{col}: expected UTF-8 text, found byte 0x{first.encode('gbk')[0]:02x}: "
                                  "the file looks like GBK/GB18030 (Chinese Windows); save it as UTF-8")


def _list_for_a_mapping() -> tuple[str, str]:
    text = sub(r"^company:\n(  .*\n)+", "company: [a, b]\n")
    return text, f"company ({FILE}:{line(text, 'company: [a, b]')}:1): expected a mapping, got a list"


def _mapping_for_a_list() -> tuple[str, str]:
    text = sub(r"^laws:\n(  - .*\n)+", "laws:\n  gb: GB 6932-2015《家用燃气快速热水器》\n")
    return text, f"laws ({FILE}:{line(text, 'laws:')}:1): expected a list, got a mapping"


def _unknown_department() -> tuple[str, str]:
    text = replace("{name: 许婷, department: 售后服务部", "{name: 许婷, department: 售后服务")
    ln, col = where(text, "department: 售后服务,")
    return text, (f"people[9].department ({FILE}:{ln}:{col}): expected the name of one of the departments, "
                  "got '售后服务'; did you mean '售后服务部'?")


def _missing_section() -> tuple[str, str]:
    text = sub(r"^budget:\n(  .*\n)+\n", "")
    return text, f"budget ({FILE}:{line(text, 'company:')}:1): required key is missing"


def _raw_control_character() -> tuple[str, str]:
    text = replace("short_name: 越华电器", "short_name: 越华\x07电器")
    ln, col = where(text, "\x07")
    return text, f"{FILE}:{ln}:{col}: the control character U+0007 is not allowed in YAML text; remove it"


def _escaped_control_character() -> tuple[str, str]:
    text = replace("short_name: 越华电器", 'short_name: "越华\\x07电器"')
    ln, col = where(text, '"越华')
    return text, (f"company.short_name ({FILE}:{ln}:{col}): contains the control character U+0007 at position 3, "
                  "which Word and Excel files cannot hold; remove it")


MISTAKES = {f.__name__.strip("_"): f for f in [
    _tab, _missing_colon, _key_under_a_value, _list_item_out_of_line, _text_for_a_number, _unknown_key,
    _duplicate_key, _duplicate_department, _date_with_slashes, _month_13, _empty, _only_comments, _gbk,
    _list_for_a_mapping, _mapping_for_a_list, _unknown_department, _missing_section, _raw_control_character,
    _escaped_control_character,
]}


@pytest.mark.parametrize("mistake", MISTAKES)
def test_each_mistake_gets_one_exact_message_and_exit_1_from_check_and_build(tmp_path, monkeypatch, mistake):
    content, message = MISTAKES[mistake]()
    assert_refused(tmp_path, monkeypatch, content, message)



def test_several_mistakes_are_reported_together_in_file_order(tmp_path, monkeypatch):
    """The README's example: three of the mistakes above in one file."""
    text = replace("headcount: 386", "headcount: many")
    text = replace("  hotline_hours:", "  hotline_hour:", text)
    text = replace("annual_wan: 380", "annual_wan: inf", text)
    result = run(tmp_path, monkeypatch, text, "check")
    assert result.exit_code == 1
    assert result.output == (
        "profile error: 3 problems\n"
        f"  - company.headcount ({FILE}:{line(text, 'headcount')}:3): expected a whole number, got 'many'\n"
        f"  - channels.hotline_hour ({FILE}:{line(text, 'hotline_hour')}:3): unknown key 'hotline_hour'; "
        "did you mean 'hotline_hours'?\n"
        f"  - budget.annual_wan ({FILE}:{line(text, 'annual_wan')}:3): expected a finite number, got 'inf'\n"
    )

def test_a_utf8_bom_file_works(tmp_path, monkeypatch):
    result = run(tmp_path, monkeypatch, b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), "check")
    assert (result.exit_code, result.output) == (0, OK)


def test_a_windows_crlf_file_works_and_keeps_its_line_numbers(tmp_path, monkeypatch):
    crlf = SAMPLE.replace("\n", "\r\n")
    result = run(tmp_path, monkeypatch, b"\xef\xbb\xbf" + crlf.encode("utf-8"), "check")
    assert (result.exit_code, result.output) == (0, OK)
    bad = crlf.replace("headcount: 386", "headcount: many")
    result = run(tmp_path, monkeypatch, bad, "check")
    assert result.output == f"profile error: {_text_for_a_number()[1]}\n"


# --- duplicate names (a cross-section rule) ------------------------------------------------------------------------

DUPLICATES = {
    "department": ("  - name: 财务部\n", "  - name: 供应部\n", "departments[6].name", "供应部"),
    "person": ("{name: 沈雅琴, department: 财务部", "{name: 钱伟, department: 财务部", "people[6].name", "钱伟"),
    "partner": ("  - name: 绍兴绿环再生资源有限公司\n", "  - name: 绍兴顺达物流有限公司\n", "partners[2].name", "绍兴顺达物流有限公司"),
    "outlet": ("{name: 越华电器宁波服务中心", "{name: 越华电器杭州服务中心", "outlets[2].name", "越华电器杭州服务中心"),
    "product": ("  - name: 家用净水器\n", "  - name: 吸油烟机\n", "products[2].name", "吸油烟机"),
}


@pytest.mark.parametrize("what", DUPLICATES)
def test_duplicate_names_are_reported_at_the_second_occurrence(what):
    old, new, key, name = DUPLICATES[what]
    text = replace(old, new)
    with pytest.raises(ProfileError) as info:
        parse_profile(text, FILE)
    ln, col = where(text, f"name: {name}", 2)
    first = line(text, f"name: {name}")
    expected = f"{key} ({FILE}:{ln}:{col}): duplicate {what} name {name!r} (first on line {first})"
    assert expected in [str(p) for p in info.value.problems]


# --- limits: hostile or runaway files are refused in well under a second --------------------------------------------

def _refused_fast(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str, message: str) -> None:
    start = time.perf_counter()
    result = run(tmp_path, monkeypatch, content, "check")
    assert time.perf_counter() - start < 2, "a limit must refuse the file at once"
    assert (result.exit_code, result.output) == (1, f"profile error: {message}\n")


def test_billion_laughs_is_refused_at_the_alias_limit(tmp_path, monkeypatch):
    rows = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    text = "\n".join(rows) + "\n"
    _refused_fast(tmp_path, monkeypatch, text, (
        f"a4[0][2][0][6][7] ({FILE}:5:1): YAML aliases (*name) expand to more than {MAX_ALIAS_NODES:,} values (the "
        "limit on alias expansion, which refuses files that multiply themselves); write the repeated values out"))


def test_a_few_aliases_are_fine():
    data, _ = load_yaml("a: &w {months: 12}\nb: *w\nc: [*w, *w]\n", FILE)
    assert data == {"a": {"months": "12"}, "b": {"months": "12"}, "c": [{"months": "12"}] * 2}


def test_a_recursive_alias_is_refused(tmp_path, monkeypatch):
    _refused_fast(tmp_path, monkeypatch, "a: &x [*x]\n", (
        f"a[0] ({FILE}:1:1): a YAML alias refers to a list or mapping that contains it (a recursive alias), "
        "which never ends; write the values out"))


@pytest.mark.parametrize("value", [".inf", "inf", "-.inf", ".nan", "nan", "1e400", "Infinity"])
def test_non_finite_numbers_are_refused(tmp_path, monkeypatch, value):
    text = replace("annual_wan: 380", f"annual_wan: {value}")
    message = f"budget.annual_wan ({FILE}:{line(text, 'annual_wan')}:3): expected a finite number, got {value!r}"
    if value == "inf":  # once an OverflowError in the middle of rendering
        assert_refused(tmp_path, monkeypatch, text, message)
    else:
        _refused_fast(tmp_path, monkeypatch, text, message)


def test_too_big_a_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    row = "  - {name: 网点, kind: own, city: 绍兴, address: 解放北路 1 号, phone: '0575', staff: 1}\n"
    text = replace("\ndepartments:", row * 100_000 + "\ndepartments:")
    size = len(text.encode("utf-8"))
    _refused_fast(tmp_path, monkeypatch, text, (
        f"{FILE}: the file is {size:,} bytes, over the limit of 2,000,000 bytes for a profile file "
        "(a company profile is a few tens of kilobytes)"))


@pytest.mark.parametrize(("section", "limit"), [("outlets", 5_000), ("laws", 1_000)])
def test_lists_have_a_length_limit(tmp_path, monkeypatch, section, limit):
    text = sub(rf"^{section}:\n(  .*\n)+", f"{section}: [{', '.join(['{}'] * (limit + 1))}]\n")
    ln, col = where(text, f"{section}: [")
    _refused_fast(tmp_path, monkeypatch, text, (
        f"{section} ({FILE}:{ln}:{col + len(section) + 2}): a list of {limit + 1:,} items, over the limit of "
        f"{limit:,} items for this list (the limit on list length)"))
    data, _ = load_yaml(f"{section}: [{', '.join(['{}'] * limit)}]\n", FILE)
    assert len(data[section]) == limit


def test_nesting_has_a_depth_limit(tmp_path, monkeypatch):
    n = MAX_DEPTH + 5
    text = replace("laws:\n", "laws:\n  - " + "[" * n + "]" * n + "\n")
    ln, col = where(text, "[[")
    # the root mapping is level 1 and laws level 2, so the refused level 51 is the 49th [
    key = "laws" + "[0]" * (MAX_DEPTH - 1)
    _refused_fast(tmp_path, monkeypatch, text, (
        f"{key} ({FILE}:{ln}:{col + MAX_DEPTH - 2}): nested more than {MAX_DEPTH} levels deep (the limit on nesting depth)"))


def test_nesting_deeper_than_the_yaml_parser_allows_gets_the_same_words(tmp_path, monkeypatch):
    text = "laws: " + "[" * 2000 + "]" * 2000 + "\n"
    result = run(tmp_path, monkeypatch, text, "check")
    assert result.exit_code == 1
    assert result.output.endswith(f"invalid YAML: nested more than {MAX_DEPTH} levels deep (the limit on nesting depth)\n")
    assert result.output.startswith(f"profile error: {FILE}:1:")


def test_one_value_has_a_length_limit(tmp_path, monkeypatch):
    text = replace("short_name: 越华电器", "short_name: " + "越" * (MAX_SCALAR_CHARS + 1))
    _refused_fast(tmp_path, monkeypatch, text, (
        f"company.short_name ({FILE}:{line(text, 'short_name')}:15): a value of {MAX_SCALAR_CHARS + 1:,} characters, "
        f"over the limit of {MAX_SCALAR_CHARS:,} characters for one value (the limit on value length)"))


def test_text_longer_than_an_excel_cell_is_refused_with_the_field(tmp_path, monkeypatch):
    ok = replace("short_name: 越华电器", "short_name: " + "越" * MAX_CELL_CHARS)
    assert parse_profile(ok, FILE).company.short_name == "越" * MAX_CELL_CHARS
    text = replace("  - 《城镇燃气管理条例》", "  - " + "法" * (MAX_CELL_CHARS + 1))
    _refused_fast(tmp_path, monkeypatch, text, (
        f"laws[3] ({FILE}:{line(text, '法法')}:5): expected at most 32,767 characters, got 32,768 "
        "(Excel cells hold at most 32,767 characters)"))
