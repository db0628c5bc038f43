"""The document-control commands of the command line: status, diff, adopt, release."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .cli_common import coverage_summary, friendly, parse_date, print_build


@click.command(epilog="\b\nExample:\n  docgen status company.yaml out && echo 'nothing to rebuild'")
@click.argument("profile", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("pack_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), help="Your overlay folder.")
@click.option("--date", callback=parse_date, help="The date a rebuild would stamp; default today.")
@friendly
def status(profile: Path, pack_dir: Path, templates_dir: Path | None, date: dt.date | None) -> None:
    """Say, without writing, which documents a rebuild of PACK_DIR from PROFILE would add, revise
    (with a short text diff each) or archive, and which are edited by hand; exit 0 when nothing
    would change, 1 otherwise."""
    from .pack.lifecycle import pack_status

    changes = pack_status(profile, pack_dir, templates_dir=templates_dir, date=date)
    if not changes:
        click.echo(f"{pack_dir}: up to date (a rebuild would change nothing)")
        return
    for c in changes:
        click.echo(c.line())
        for line in c.diff:
            click.echo(f"    {line}")
    sys.exit(1)


@click.command(epilog="\b\nExample:\n  docgen diff packs/2026 packs/2027")
@click.argument("pack_a", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("pack_b", type=click.Path(file_okay=False, exists=True, path_type=Path))
@friendly
def diff(pack_a: Path, pack_b: Path) -> None:
    """Compare two packs (or a pack and its archive) document by document, as text; exit 1 when they differ."""
    from .pack.lifecycle import diff_packs

    lines = diff_packs(pack_a, pack_b)
    for line in lines:
        click.echo(line)
    if lines:
        sys.exit(1)
    click.echo("no differences in the documents' text")


@click.command(epilog="\b\nExample:\n  docgen adopt out \"out/02 程序文件/YH-CX-23 顾客投诉处理程序.docx\" --note 审核组意见修改")
@click.argument("pack_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--note", default="", help="What was changed by hand, for the history line.")
@click.option("--date", callback=parse_date, help="The revision's date; default today.")
@friendly
def adopt(pack_dir: Path, files: tuple[Path, ...], note: str, date: dt.date | None) -> None:
    """Take FILES, edited by hand, as the controlled versions: next revision, history line 按实际修订;
    later rebuilds keep them and say which profile facts they no longer follow."""
    from .pack.lifecycle import adopt as adopt_files

    for line in adopt_files(pack_dir, list(files), note=note, date=date):
        click.echo(line)


@click.command(epilog="\b\nExample:\n  docgen release company.yaml out --note 2027年换版")
@click.argument("profile", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("pack_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), help="Your overlay folder.")
@click.option("--date", callback=parse_date, help="The new edition's date; default today.")
@click.option("--note", default="", help="Why the new edition, for every history line.")
@friendly
def release(profile: Path, pack_dir: Path, templates_dir: Path | None, date: dt.date | None, note: str) -> None:
    """Start a new edition of the whole pack (A → B, revisions back to 0, every history kept)."""
    from .pack import build_pack

    pack = build_pack(profile, pack_dir, date=date, templates_dir=templates_dir, note=note, release=True)
    print_build(pack, pack_dir)
    coverage_summary(pack.coverage, pack_dir, True, True)
