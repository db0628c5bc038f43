"""Role rules an auditor applies, caught by `docgen check` with file and line: three different
signatories, an independent supervision department, auditors outside the department they audit,
each complaint grade escalating to a different person, and a warning for too many key roles."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from docgen.cli import main
from docgen.errors import ProfileError
from docgen.profile import parse_profile

from .conftest import SAMPLE, sample_text

FILE = str(SAMPLE)


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


def _problems(text: str) -> list[str]:
    with pytest.raises(ProfileError) as err:
        parse_profile(text, FILE)
    return [str(p) for p in err.value.problems]


def test_the_samples_follow_the_role_rules():
    profile = parse_profile(sample_text(), FILE)
    assert profile.warnings == []


def test_one_person_preparing_and_approving_is_refused():
    text = sample_text().replace("  edition: A\n", "  edition: A\n  prepared_by: 陈国栋\n  reviewed_by: 李振华\n  approved_by: 陈国栋\n")
    assert text != sample_text()
    line = _line(text, "reviewed_by: 李振华")
    assert any(p.startswith(f"document_control.reviewed_by ({FILE}:{line}:") and "three different people, got 陈国栋, 李振华, 陈国栋" in p
               for p in _problems(text))


def test_supervision_headed_by_the_after_sales_head_is_refused():
    text = sample_text().replace("  - name: 质量管理部\n    head: 李振华", "  - name: 质量管理部\n    head: 王丽君")
    assert text != sample_text()
    line = _line(text, "head: 王丽君") if text.count("head: 王丽君") == 1 else None
    found = [p for p in _problems(text) if "supervision department 质量管理部 is headed by 王丽君" in p]
    assert found and (line is None or f":{line}:" in found[0])


def test_supervision_reporting_to_the_after_sales_head_is_refused():
    text = sample_text().replace("  - name: 质量管理部\n    head: 李振华\n", "  - name: 质量管理部\n    head: 李振华\n    reports_to: 王丽君\n")
    assert text != sample_text()
    line = _line(text, "reports_to: 王丽君")
    assert any(p.startswith(f"departments[2].reports_to ({FILE}:{line}:") and "reports to 王丽君, who runs after-sales" in p
               for p in _problems(text))


def test_a_department_without_an_outside_auditor_is_refused():
    # only 售后服务部 people audit: nobody outside can audit 售后服务部
    text = sample_text().replace("roles: [management_representative, internal_auditor]}", "roles: [management_representative]}")
    text = text.replace("roles: [document_controller, internal_auditor]}", "roles: [document_controller]}")
    assert text.count("internal_auditor") == 1
    found = [p for p in _problems(text) if "no internal auditor outside 售后服务部 can audit it" in p]
    assert found and found[0].startswith("departments[1].name (")


def test_complaint_grades_escalating_to_one_person_are_refused():
    text = sample_text().replace("roles: [management_representative, internal_auditor]}", "roles: [internal_auditor]}")
    text = text.replace("roles: [after_sales_head, service_manager, internal_auditor]", "roles: [management_representative, after_sales_head, service_manager, internal_auditor]")
    found = [p for p in _problems(text) if "both escalate to 王丽君" in p]
    assert found and "一般投诉 and 重大投诉" in found[0]


def test_grades_given_in_the_profile_are_checked_by_line():
    grades = ("facts:\n  complaint_grades:\n"
              "    - {name: 一般投诉, definition: 一般问题, response_hours: 2, close_days: 5, escalate_to: 王丽君}\n"
              "    - {name: 重大投诉, definition: 重大问题, response_hours: 1, close_days: 5, escalate_to: 王丽君}\n")
    text = sample_text() + grades
    line = _line(text, "name: 重大投诉, definition: 重大问题")
    assert any(p.startswith(f"facts.complaint_grades[1].escalate_to ({FILE}:{line}:") for p in _problems(text))


def test_too_many_key_roles_are_warned_with_the_line_and_check_says_so():
    text = sample_text().replace("roles: [customer_service, complaint_handler]}", "roles: [customer_service, complaint_handler, supervisor, document_controller]}")
    profile = parse_profile(text, FILE)
    line = _line(text, "complaint_handler, supervisor, document_controller")
    assert [str(w) for w in profile.warnings] == [
        f"people[9].roles ({FILE}:{line}:48): 许婷 holds 3 key roles (投诉专员, 服务监督员, 文件管理员); an auditor asks how one "
        "person does them all (at most 2 is usual)"]


def test_docgen_check_prints_role_errors_with_exit_1(tmp_path):
    path = tmp_path / "company.yaml"
    path.write_text(sample_text().replace("  - name: 质量管理部\n    head: 李振华\n", "  - name: 质量管理部\n    head: 李振华\n    reports_to: 王丽君\n"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1 and "reports to 王丽君, who runs after-sales" in result.output
    assert "Traceback" not in result.output
