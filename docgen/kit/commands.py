"""The kit's commands: `docgen plan` (the certification project kit alone) and `docgen score` (a filled self-assessment)."""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

import click

from ..cli_common import friendly, parse_date
from ..errors import OutputError

_friendly = friendly  # the command line's one wrapper: DocgenError → message and exit code, Ctrl-C → 130
_date = parse_date


def write_kit(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Each paper written into OUT (a file at a time: a temporary name, then renamed over the old one)."""
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} is a file; give a folder for -o")
    written = []
    for rel, data in sorted(files.items()):
        target = out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        written.append(target)
    return written


@click.command(epilog="\b\nExamples:\n  docgen plan samples/company.yaml -o out\n  docgen plan company.yaml -o out --date 2026-09-01")
@click.argument("profile", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True,
              help="Folder (a pack, or a new folder) whose 05 认证工作文件 receives the kit.")
@click.option("--date", callback=_date, help="Build date YYYY-MM-DD (file timestamps); default today.")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="Folder of your own templates laid over the built-in ones.")
@_friendly
def plan(profile: Path, out: Path, date: dt.date | None, templates_dir: Path | None) -> None:
    """Build the certification project kit alone: the working papers of the six steps, the Gantt workbook and the .ics."""
    from .build import build_kit
    from .schedule import STEPS

    start = time.perf_counter()
    prof, files, _coverage = build_kit(profile, templates_dir, date)
    written = write_kit(out, files)
    folder = written[0].parent if written else out
    click.echo(f"Certification project kit for {prof.company.name}: {len(written)} papers → {folder}")
    for path in written:
        click.echo(f"  {path.name}")
    click.echo("Steps: " + "; ".join(f"{n} {name}" for n, name in STEPS.items()))
    click.echo(f"Done in {time.perf_counter() - start:.1f} s")


@click.command(epilog="\b\nExamples:\n  docgen score 'out/05 认证工作文件/YH-GZ-07 售后服务自我评价表.xlsx'\n  docgen score filled.xlsx --json")
@click.argument("workbook", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@_friendly
def score(workbook: Path, as_json: bool) -> None:
    """Score a filled self-assessment workbook exactly as its formulas do, and predict the level."""
    from .scoring import score_workbook

    result = score_workbook(workbook)
    if as_json:
        click.echo(json.dumps({"score": result.score, "level": result.level, "got": round(result.got, 2),
                               "applicable": round(result.applicable, 2), "deductions": result.deductions,
                               "bonus": result.bonus, "gaps": [list(g) for g in result.gaps]}, ensure_ascii=False, indent=2))
        return
    click.echo(f"Score {result.score:.2f}: {result.level}")
    click.echo(f"  points got {result.got:.2f} of {result.applicable:.2f} applicable; "
               f"{result.deductions} 特别扣分项 (−{result.deductions}); bonus +{result.bonus:g}")
    for clause, (got, applicable) in sorted(result.by_clause.items()):
        rate = got / applicable * 100 if applicable else 0.0
        click.echo(f"  {clause:<8} {got:6.2f} / {applicable:6.2f}  {rate:5.1f}%")
    click.echo(f"  {len(result.gaps)} items not 符合 (sheet 差距及整改计划)")


COMMANDS = (plan, score)


def register(group: click.Group) -> None:
    """Add the kit's commands to the docgen command group."""
    for command in COMMANDS:
        group.add_command(command)
