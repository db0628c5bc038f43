"""The base of every profile section: unknown keys are errors, text is checked for XML safety."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..limits import MAX_CELL_CHARS
from ..yamlload import XML_ILLEGAL


def check_text(value: str) -> str:
    """The text itself, or ValueError when it holds a character Word and Excel cannot carry."""
    bad = XML_ILLEGAL.search(value)
    if bad:
        raise ValueError(
            f"contains the control character U+{ord(bad.group()):04X} at position "
            f"{bad.start() + 1}, which Word and Excel files cannot hold; remove it"
        )
    return value


class Model(BaseModel):
    """Base for every profile section: unknown keys are errors, numbers are finite, and text is
    XML-safe and fits a spreadsheet cell (any text may be written into one)."""

    model_config = ConfigDict(
        extra="forbid", str_strip_whitespace=False, frozen=True, allow_inf_nan=False, str_max_length=MAX_CELL_CHARS
    )

    @field_validator("*", mode="after")
    @classmethod
    def _xml_safe(cls, value: Any) -> Any:
        if isinstance(value, str):
            check_text(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, str):
                    check_text(item)
        return value


Text = Annotated[str, Field(min_length=1)]


def text_list(description: str, **kw: Any) -> Any:
    """A list field that defaults to empty."""
    return Field(default_factory=list, description=description, **kw)
