"""What the command-line modules share: the error-to-exit-code wrapper, the date option, and the
build and coverage summaries."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .errors import DocgenError

if TYPE_CHECKING:  # the command line imports the engines only when a command runs
    from .coverage import Coverage
    from .pack import BuiltPack


def friendly(fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .pack.output import replaced_folders

        with replaced_folders() as replaced:
            try:
                return fn(*args, **kwargs)
            except DocgenError as exc:
                click.echo(exc.render(), err=True)
                sys.exit(exc.exit_code)
            except KeyboardInterrupt:
                if replaced:  # the swap had completed: say so, not that nothing changed
                    click.echo(f"interrupted; {replaced[-1]} already holds the new pack", err=True)
                else:
                    click.echo("interrupted; the output folder was left as it was", err=True)
                sys.exit(130)

    return wrapper


def parse_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, got {value!r}") from None


def print_build(pack: BuiltPack, out: Path) -> None:
    from .vocab import KINDS

    counts = pack.counts()
    click.echo(f"Built {len(pack.documents)} documents for {pack.profile.company.name} in {pack.seconds:.2f} s → {out}")
    for kind in KINDS:
        if counts.get(kind):
            click.echo(f"  {KINDS.label(kind):<8} {counts[kind]:>3}  {out / KINDS[kind].folder}")
    if pack.skipped:
        click.echo(f"  left out by profile conditions: {', '.join(e.title for e in pack.skipped)}")
    for w in pack.profile.warnings:
        click.echo(f"  warning: {w}")
    from .render import toc  # contents page numbers: computed, or why not

    if toc.last.note:
        click.echo(f"  note: {toc.last.note}")
    actions = {a: len(pack.changed(a)) for a in ("unchanged", "revised", "new", "archived", "kept")}
    if actions["unchanged"] or actions["revised"] or actions["archived"] or actions["kept"]:
        click.echo("Document control: " + ", ".join(f"{n} {a}" for a, n in actions.items() if n))
        for c in pack.changed("revised", "archived", "kept"):
            click.echo(f"  {c.line()}")


def coverage_summary(cov: Coverage, out: Path, allow_gaps: bool, allow_inconsistent: bool = False) -> None:
    """Print the build's coverage lines; raise CoverageGapError (exit 3) for uncovered clauses
    or statements that disagree with the facts."""
    from .coverage.report import gap_error, inconsistency_error, plural, summary_lines

    for line in summary_lines(cov, out / cov.info.workbook):
        click.echo(line)
    if cov.warnings:
        click.echo(f"  {plural(len(cov.warnings), 'warning')}: run `docgen coverage {out}` to list them")
    if cov.gaps and not allow_gaps:
        raise gap_error(cov, f"the pack was written to {out}; ")
    if cov.inconsistencies and not allow_inconsistent:
        raise inconsistency_error(cov, f"the pack was written to {out}; ")


