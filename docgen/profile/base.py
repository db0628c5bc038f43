"""The base of every profile section: unknown keys are errors, text is checked for XML safety."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
    """Base for every profile section: unknown keys are errors, text is checked for XML safety."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _xml_safe(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for value in data.values():
                if isinstance(value, str):
                    check_text(value)
        return data


Text = Annotated[str, Field(min_length=1)]


def text_list(description: str, **kw: Any) -> Any:
    """A list field that defaults to empty."""
    return Field(default_factory=list, description=description, **kw)
