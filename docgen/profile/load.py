"""Reading company.yaml into a Profile: YAML with line numbers, the model, the cross checks, and
every problem reported at once."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..errors import Problem, ProfileError
from ..validation import sort_problems, validation_problems
from ..yamlload import load_yaml, read_text
from .checks import cross_check
from .model import Profile
from .roles import role_findings


def load_profile(path: str | Path) -> Profile:
    """Read, parse and validate a company profile; raise ProfileError with every problem."""
    path = Path(path)
    text = read_text(path)
    return parse_profile(text, str(path))


def parse_profile(text: str, filename: str = "<profile>") -> Profile:
    """Validate profile text; all problems are reported at once with line numbers."""
    structural: list[Problem] = []
    data, locations = load_yaml(text, filename, problems=structural)
    if data == {} and not structural:
        required = [name for name, field in Profile.model_fields.items() if field.is_required()]
        raise ProfileError(
            [Problem(f"the profile is empty; it needs the sections {', '.join(required)}", file=filename, line=1)]
        )
    if not isinstance(data, dict):
        raise ProfileError(
            structural
            + [Problem("expected a mapping of sections (company:, products:, …) at the top", file=filename, line=1)]
        )
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        flagged = {p.key for p in structural}
        found = [p for p in validation_problems(exc, locations, filename, Profile) if p.key not in flagged]
        raise ProfileError(sort_problems(structural + found)) from None
    problems = structural + cross_check(profile, locations, filename)
    if problems:
        raise ProfileError(sort_problems(problems))
    profile._source = filename
    profile._locations = locations
    errors, warnings = role_findings(profile)
    if errors:
        raise ProfileError(sort_problems(errors))
    profile._warnings = sort_problems(warnings)
    return profile
