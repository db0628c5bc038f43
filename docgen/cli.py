"""The `docgen` command line: parses options, calls the library, prints results; a DocgenError
becomes a clear message and its exit code, never a traceback."""

from __future__ import annotations

import sys

try:  # Ctrl-C while the command line is still starting: one line and exit 130, no traceback
    import datetime as dt
    import json
    from pathlib import Path
    from typing import Any

    import click

    from . import __version__, cli_control
    from .cli_common import coverage_summary, friendly, parse_date, print_build
    from .errors import DocgenError, Problem
    from .kit.commands import register as register_kit_commands
except KeyboardInterrupt:
    sys.stderr.write("interrupted\n")
    raise SystemExit(130) from None


EPILOG_BUILD = """\b
Examples:
  docgen build samples/company.yaml -o out
  docgen build company.yaml -o out --force --date 2026-09-01
  docgen build company.yaml -o out --templates my-templates
  docgen build company.yaml -o out --allow-gaps
"""

EPILOG_COVERAGE = """\b
Examples:
  docgen coverage out
  docgen coverage out --json > coverage-report.json
  docgen coverage out --xlsx coverage.xlsx
  docgen coverage edited-pack --profile company.yaml
"""


class _Group(click.Group):
    """click's group, except that Ctrl-C at any moment (argument parsing included) is one line and
    exit 130, never click's "Aborted!" with exit 1."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except (click.exceptions.Abort, KeyboardInterrupt):
            sys.stderr.write("interrupted; the output folder was left as it was\n")
            sys.exit(130)
        except click.exceptions.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="docgen")
def main() -> None:
    """Generate a GB/T 27922-2011 after-sales service certification document pack.

    \b
    Example:
      docgen build samples/company.yaml -o out
    """


@main.command(epilog=EPILOG_BUILD)
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True, help="Folder to write the pack into.")
@click.option("--force", is_flag=True, help="Replace a pack docgen wrote before (never a folder of other files).")
@click.option("--date", callback=parse_date, help="Build date YYYY-MM-DD (file timestamps); default today.")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), help="Folder of your own templates laid over the built-in ones by relative path.")
@click.option("--allow-gaps", is_flag=True, help="Exit 0 even when a clause of the standard is uncovered (the pack is written either way).")
@click.option("--allow-inconsistent", is_flag=True, help="Exit 0 even when a statement disagrees with the service facts (the pack is written either way).")
@click.option("--note", default="", help="Change note for the revision-history line of each document this build revises.")
@click.option("--keep-edited", is_flag=True, help="Leave files edited by hand since docgen wrote them as they are (and say what the profile would change in them).")
@friendly
def build(profile: Path, out: Path, force: bool, date: dt.date | None, templates_dir: Path | None, allow_gaps: bool,
          allow_inconsistent: bool, note: str, keep_edited: bool) -> None:
    """Validate PROFILE, render every document, and write the pack to OUT atomically.

    Into an existing pack: unchanged documents stay byte for byte, changed ones get their next
    revision with a history line, dropped ones move to 作废文件, and a file edited by hand stops the
    build (see --keep-edited, --force, docgen adopt). Ends with the coverage of the standard and
    the consistency with the service facts; exits 3 when either fails, unless allowed."""
    from .pack import build_pack

    pack = build_pack(profile, out, date=date, force=force, templates_dir=templates_dir, note=note, keep_edited=keep_edited)
    print_build(pack, out)
    coverage_summary(pack.coverage, out, allow_gaps, allow_inconsistent)


@main.command(epilog=EPILOG_COVERAGE)
@click.argument("pack_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--profile", "profile_path", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Check against this profile (names, exclusions, standard) instead of what the build recorded in coverage.json.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON for other tools.")
@click.option("--xlsx", type=click.Path(dir_okay=False, path_type=Path), help="Also write the coverage workbook to this file.")
@friendly
def coverage(pack_dir: Path, profile_path: Path | None, as_json: bool, xlsx: Path | None) -> None:
    """Re-read the documents in PACK_DIR, as built or edited in Word/Excel, and check them against the standard.

    Prints a table per indicator (covered / excluded / uncovered, with the documents) and the
    cross-check warnings; exits 3 when a clause is uncovered."""
    from .coverage import check_pack_dir
    from .coverage.report import console_lines, gap_error, inconsistency_error, to_json_text, write_workbook

    cov = check_pack_dir(pack_dir, profile_path)
    if xlsx is not None:
        write_workbook(cov, xlsx)
    if as_json:
        click.echo(to_json_text(cov), nl=False)
    else:
        for line in console_lines(cov):
            click.echo(line)
        if xlsx is not None:
            click.echo(f"Workbook written to {xlsx}")
    unreadable = [f for f in cov.findings if f.kind in {"unreadable", "missing_file"}]
    if unreadable:
        raise DocgenError([Problem(f.message, file=f.relpath or None) for f in unreadable], title="coverage error")
    if cov.gaps:
        raise gap_error(cov)
    if cov.inconsistencies:
        raise inconsistency_error(cov)


@main.command(epilog="\b\nExample:\n  docgen check samples/company.yaml")
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), help="Folder of your own templates (and trade modules) laid over the built-in ones.")
@friendly
def check(profile: Path, templates_dir: Path | None) -> None:
    """Validate PROFILE only and report every problem with file, line and key; the role rules an
    auditor applies (signatories, independent supervision, auditors, escalation) included."""
    from .catalog import TemplateSet, builtin_templates
    from .pack import check_promises
    from .profile import load_profile

    p = load_profile(profile, TemplateSet(builtin_templates(), templates_dir))
    check_promises(p)
    click.echo(f"{profile}: OK ({p.company.name}, trade {p.trade.name}, {len(p.products)} products, "
               f"{len(p.outlets)} outlets, {len(p.people)} people)")
    for w in p.warnings:
        click.echo(f"  warning: {w}")


@main.command(epilog="\b\nExample:\n  docgen schema > docgen-profile.schema.json")
def schema() -> None:
    """Print the JSON Schema of company.yaml (for editor completion and validation)."""
    from .profile import json_schema

    click.echo(json.dumps(json_schema(), ensure_ascii=False, indent=2))


@main.group()
def templates() -> None:
    """List, lint and read templates.

    \b
    Examples:
      docgen templates list
      docgen templates check
      docgen templates text templates/procedures/complaints.docx
    """


@templates.command("list", epilog="\b\nExample:\n  docgen templates list --templates my-templates")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), help="Your overlay folder.")
@friendly
def templates_list(templates_dir: Path | None) -> None:
    """List the catalog: id, kind, template, clauses and condition of every document."""
    from .catalog import TemplateSet, builtin_templates, load_catalog

    ts = TemplateSet(builtin_templates(), templates_dir)
    for e in load_catalog(ts):
        src = "overlay" if templates_dir and (templates_dir / e.template).is_file() else "built-in"
        cond = f"  when {e.when}" if e.when else ""
        click.echo(f"{e.id:<28} {e.kind:<17} {e.template:<48} {src:<8} {','.join(e.clauses)}{cond}")


@templates.command("check", epilog="\b\nExample:\n  docgen templates check --templates my-templates")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), help="Your overlay folder.")
@click.option("--profile", "profiles", multiple=True, type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Profiles to render against (default: every sample).")
@friendly
def templates_check(templates_dir: Path | None, profiles: tuple[Path, ...]) -> None:
    """Lint every template (tags parse, variables exist) and render it against the samples."""
    from .lint import check_templates

    report = check_templates(templates_dir, list(profiles) or None)
    for line in report:
        click.echo(line)


@templates.command("text", epilog="\b\nExample:\n  docgen templates text templates/records/service_order.xlsx\n\b\nAs a git textconv driver:\n  git config diff.docgen.textconv 'docgen templates text'\n  echo '*.docx diff=docgen' >> .gitattributes")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@friendly
def templates_text(file: Path) -> None:
    """Print a template's text with its tags, one paragraph, row or cell per line."""
    from .textdump import template_text

    click.echo(template_text(file))


for command in (cli_control.status, cli_control.diff, cli_control.adopt, cli_control.release):
    main.add_command(command)
register_kit_commands(main)  # plan, score

if __name__ == "__main__":  # pragma: no cover
    main()
