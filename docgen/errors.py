"""One exception hierarchy: every user-facing failure is a DocgenError with all its problems."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong, located as precisely as we can: file, line, column, key path or place."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
        if self.key and where:
            return f"{self.key} ({where}): {self.message}"
        if self.key:
            return f"{self.key}: {self.message}"
        if where:
            return f"{where}: {self.message}"
        return self.message


class DocgenError(Exception):
    """Base class: a problem the user can fix. The CLI prints it and exits 1, no traceback."""

    exit_code = 1
    title = "error"

    def __init__(self, problems: list[Problem] | str, title: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem(problems)]
        self.problems = list(problems)
        if title:
            self.title = title
        super().__init__(self.render())

    def render(self) -> str:
        if len(self.problems) == 1:
            return f"{self.title}: {self.problems[0]}"
        lines = [f"{self.title}: {len(self.problems)} problems"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class ProfileError(DocgenError):
    """Raised when company.yaml cannot be read or does not match the profile model."""

    title = "profile error"


class TemplateError(DocgenError):
    """Raised when a template cannot be parsed or rendered (names file, part, place, message)."""

    title = "template error"


class CatalogError(DocgenError):
    """Raised when templates/catalog.yaml or a standard catalog is malformed."""

    title = "catalog error"


class OutputError(DocgenError):
    """Raised when the output directory cannot be written as asked (exists, not empty, …)."""

    title = "output error"


class CoverageError(DocgenError):
    """Raised by `docgen coverage` when a pack folder cannot be checked (no documents, no record)."""

    title = "coverage error"


class CoverageGapError(DocgenError):
    """Raised by `docgen build` when a clause is uncovered and gaps are not allowed."""

    exit_code = 3
    title = "coverage gap"
