"""docgen: GB/T 27922-2011 after-sales service certification document packs from one profile."""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# The public API, imported on first use so that `docgen --help` does not load the engines.
_EXPORTS = {
    "CoverageGapError": ".errors",
    "DocgenError": ".errors",
    "ProfileError": ".errors",
    "TemplateError": ".errors",
    "Profile": ".profile",
    "load_profile": ".profile",
    "build_pack": ".pack",
    "render_pack": ".pack",
    "check_coverage": ".coverage",
    "Coverage": ".coverage",
    "BuiltPack": ".pack",
    "RenderedPack": ".pack",
}

__all__ = sorted([*_EXPORTS, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'docgen' has no attribute {name!r}")
