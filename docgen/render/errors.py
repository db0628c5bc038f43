"""Errors of the rendering engine: a template part that failed, with the place it failed at."""

from __future__ import annotations

from ..errors import Problem


class PartError(Exception):
    """A template part failed; carries the part (body, header, sheet …) and the place in it.

    `in_base`: the fault lies in the house-style base, not in the document's own template;
    `fatal`: the document's rendering stopped here (e.g. its time limit ran out)."""

    def __init__(self, part: str, place: str, message: str, *, in_base: bool = False, fatal: bool = False) -> None:
        super().__init__(message)
        self.part = part
        self.place = place
        self.message = message
        self.in_base = in_base
        self.fatal = fatal

    def problem(self, file: str) -> Problem:
        return Problem(f"{self.part}, {self.place}: {self.message}", file=file)


def part_errors(exc: BaseException) -> list[PartError] | None:
    """The PartErrors an engine raised (alone or as an ExceptionGroup); None for anything else."""
    if isinstance(exc, PartError):
        return [exc]
    if isinstance(exc, ExceptionGroup) and all(isinstance(e, PartError) for e in exc.exceptions):
        return list(exc.exceptions)  # type: ignore[arg-type]
    return None
