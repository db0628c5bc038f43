"""Reading company.yaml into a Profile: YAML with line numbers, the model, the cross checks, and
every problem reported at once."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..errors import CatalogError, Problem, ProfileError
from ..validation import sort_problems, validation_problems
from ..vocab import ROLES, SERVICES
from ..yamlload import load_yaml, locate, read_text

if TYPE_CHECKING:
    from ..catalog import TemplateSet
    from ..trades import TradeModule
from .checks import cross_check
from .model import Profile
from .roles import role_findings


def load_profile(path: str | Path, templates: TemplateSet | None = None) -> Profile:
    """Read, parse and validate a company profile; raise ProfileError with every problem.
    `templates` (built-in plus overlay) is where its trade module is looked up."""
    path = Path(path)
    text = read_text(path)
    return parse_profile(text, str(path), templates)


def _trade(data: dict[str, Any], locations: dict, filename: str, templates: TemplateSet | None) -> TradeModule:
    """The trade module the profile names (before validation: its services and roles are valid keys)."""
    from ..catalog import TemplateSet, builtin_templates
    from ..trades import load_trade

    company = data.get("company")
    key = company.get("trade") if isinstance(company, dict) else None
    try:
        return load_trade(key if isinstance(key, str) else None, templates or TemplateSet(builtin_templates()))
    except CatalogError as exc:
        line, col = locate(locations, ("company", "trade"))
        if any(p.key == "company.trade" for p in exc.problems):
            raise ProfileError([Problem(p.message, file=filename, line=line, column=col, key=p.key)
                                for p in exc.problems]) from None
        raise


def parse_profile(text: str, filename: str = "<profile>", templates: TemplateSet | None = None) -> Profile:
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
    trade = _trade(data, locations, filename, templates)
    vocab = {"services": SERVICES.extend(t.model_dump() for t in trade.services),
             "roles": ROLES.extend(t.model_dump() for t in trade.roles)}
    try:
        profile = Profile.model_validate(data, context={"vocab": vocab})
    except ValidationError as exc:
        flagged = {p.key for p in structural}
        found = [p for p in validation_problems(exc, locations, filename, Profile) if p.key not in flagged]
        raise ProfileError(sort_problems(structural + found)) from None
    problems = structural + cross_check(profile, locations, filename)
    if problems:
        raise ProfileError(sort_problems(problems))
    profile._source = filename
    profile._locations = locations
    profile._trade = trade
    errors, warnings = role_findings(profile)
    if errors:
        raise ProfileError(sort_problems(errors))
    profile._warnings = sort_problems(warnings)
    return profile
