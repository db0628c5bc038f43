"""Every package of the source tree is listed for the wheel (a missing one only shows once installed)."""

from __future__ import annotations

import configparser

from .conftest import ROOT


def test_setup_cfg_lists_every_package():
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    listed = set(cfg["options"]["packages"].split())
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "docgen").rglob("__init__.py")}
    assert found <= listed, f"add to setup.cfg packages: {sorted(found - listed)}"
