"""The profile: samples load; every kind of mistake is reported with file, line, key and wording."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.errors import ProfileError
from docgen.profile import json_schema, load_profile, parse_profile

from .conftest import SAMPLE, SAMPLES, sample_text


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_validates(path):
    profile = load_profile(path)
    assert profile.company.name
    assert any("after_sales" in d.functions for d in profile.departments)


def test_at_least_three_samples_of_different_types():
    types = {load_profile(p).company.type for p in SAMPLES}
    assert len(SAMPLES) >= 3
    assert {"manufacturer", "ecommerce", "service_provider"} <= types


def _problems(text: str) -> list[str]:
    with pytest.raises(ProfileError) as info:
        parse_profile(text, "company.yaml")
    return [str(p) for p in info.value.problems]


def test_unknown_key_gets_a_suggestion_with_line_and_column():
    text = sample_text().replace("  hotline_hours:", "  hotline_hour:")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "hotline_hour:" in t)
    assert f"channels.hotline_hour (company.yaml:{line}:3): unknown key 'hotline_hour'; did you mean 'hotline_hours'?" in _problems(text)


def test_all_problems_reported_at_once_in_line_order():
    text = sample_text().replace("headcount: 386", "headcount: many").replace("founded: 2009-03-16", "founded: 2009-13-16")
    problems = _problems(text)
    assert len(problems) == 2
    assert problems[0].startswith("company.founded (company.yaml:")
    assert problems[0].endswith("expected a date as YYYY-MM-DD, got '2009-13-16'")
    assert problems[1].endswith("expected a whole number, got 'many'")


def test_duplicate_key_is_an_error_naming_the_first_line():
    text = sample_text().replace("  short_name: 越华电器\n", "  short_name: 越华电器\n  short_name: 越华\n")
    first = next(i for i, t in enumerate(text.splitlines(), 1) if "short_name: 越华电器" in t)
    assert any(p.endswith(f"duplicate key 'short_name' (first given on line {first})") for p in _problems(text))


def test_yaml_tags_that_construct_objects_are_refused():
    text = sample_text().replace("  headcount: 386", '  headcount: !!python/object/apply:os.system ["echo hi"]')
    problems = _problems(text)
    assert any("YAML tag '!!python/object/apply:os.system' is not allowed (tags that construct objects are refused)" in p for p in problems)


def test_wrong_enum_lists_the_choices():
    text = sample_text().replace("type: manufacturer", "type: factory")
    assert any(p.endswith("expected one of manufacturer, distributor_retailer, ecommerce or service_provider, got 'factory'") for p in _problems(text))


def test_name_references_are_cross_checked():
    text = sample_text().replace("head: 钱伟", "head: 钱玮")
    assert any(p.endswith("expected the name of one of the people, got '钱玮'; did you mean '钱伟'?") for p in _problems(text))


def test_control_characters_are_refused_with_the_field():
    text = sample_text().replace("short_name: 越华电器", 'short_name: "越华\\x07电器"')
    assert any(
        p.startswith("company.short_name (company.yaml:")
        and "contains the control character U+0007 at position 3, which Word and Excel files cannot hold; remove it" in p
        for p in _problems(text)
    )


def test_plain_scalars_stay_text_exactly_as_typed():
    text = sample_text().replace("hotline: 400-826-6600", "hotline: 0575").replace("short_name: 越华电器", "short_name: yes")
    profile = parse_profile(text, "company.yaml")
    assert profile.channels.hotline == "0575"
    assert profile.company.short_name == "yes"


def test_utf8_bom_is_accepted_and_other_encodings_are_refused(tmp_path):
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes())
    assert load_profile(bom).company.short_name == "越华电器"
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(sample_text().encode("gbk"))
    with pytest.raises(ProfileError) as info:
        load_profile(gbk)
    assert str(info.value.problems[0]).startswith(f"{gbk}:")
    assert "expected UTF-8 text, found byte 0x" in str(info.value.problems[0])


def test_check_command_exit_codes_and_no_traceback(tmp_path):
    runner = CliRunner()
    ok = runner.invoke(main, ["check", str(SAMPLE)])
    assert ok.exit_code == 0, ok.output
    assert "OK (浙江越华电器科技有限公司" in ok.output
    bad = tmp_path / "bad.yaml"
    bad.write_text(sample_text().replace("headcount: 386", "headcount: -3"), encoding="utf-8")
    result = runner.invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "company.headcount" in result.output and "expected a number ≥ 1, got '-3'" in result.output
    missing = runner.invoke(main, ["check", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 1
    assert f"profile error: {tmp_path / 'nope.yaml'}: profile file not found" in missing.output


def test_schema_has_descriptions_and_samples_point_to_it():
    schema = json_schema()
    assert schema["properties"]["company"]
    company = schema["$defs"]["Company"]["properties"]
    assert "legal name" in company["name"]["description"]
    result = CliRunner().invoke(main, ["schema"])
    assert json.loads(result.output)["title"] == "docgen company profile"
    for sample in SAMPLES:
        assert sample.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../docgen-profile.schema.json")


def test_committed_schema_file_is_current():
    from .conftest import ROOT

    committed = json.loads((ROOT / "docgen-profile.schema.json").read_text(encoding="utf-8"))
    assert committed == json_schema(), "run: docgen schema > docgen-profile.schema.json"
