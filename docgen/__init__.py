"""docgen: GB/T 27922-2011 after-sales service certification document packs from one profile."""

from __future__ import annotations

__version__ = "0.1.0"

from .coverage import check_coverage  # noqa: E402
from .errors import CoverageGapError, DocgenError, ProfileError, TemplateError  # noqa: E402
from .pack import build_pack, render_pack  # noqa: E402
from .profile import Profile, load_profile  # noqa: E402

__all__ = [
    "CoverageGapError",
    "DocgenError",
    "Profile",
    "ProfileError",
    "TemplateError",
    "__version__",
    "build_pack",
    "check_coverage",
    "load_profile",
    "render_pack",
]
