"""Pictures drawn from the profile (the organisation chart), with a CJK font found on the system."""

from __future__ import annotations

import io
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import DocgenError
from ..render.word import Picture

_FONT_CANDIDATES = [
    # Debian/Ubuntu (fonts-noto-cjk, fonts-wqy-*), macOS, Windows
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
]
_WINDOWS_FONTS = ["simhei.ttf", "msyh.ttc", "msyh.ttf", "simsun.ttc"]


@lru_cache(maxsize=1)
def cjk_font_path() -> str:
    """A font file that has Chinese glyphs; DOCGEN_CJK_FONT overrides the search."""
    env = os.environ.get("DOCGEN_CJK_FONT")
    if env:
        return env
    candidates = list(_FONT_CANDIDATES)
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts"
        candidates = [str(windir / f) for f in _WINDOWS_FONTS] + candidates
    for c in candidates:
        if Path(c).is_file():
            return c
    raise DocgenError(
        "no Chinese font found to draw the organisation chart; install one (Debian: apt-get install "
        "fonts-noto-cjk) or set DOCGEN_CJK_FONT to a .ttf/.ttc file"
    )


class LazyPicture(Picture):
    """A picture drawn only when a template places it."""

    def __init__(self, draw: Any, width_cm: float, description: str) -> None:
        self._draw = draw
        self._png: bytes | None = None
        self._size = (1, 1)
        self.width_cm = width_cm
        self.description = description
        self._digest = ""

    @property
    def png(self) -> bytes:  # type: ignore[override]
        if self._png is None:
            self._png, self._size = self._draw()
        return self._png

    @property
    def height_cm(self) -> float:  # type: ignore[override]
        _ = self.png  # draws the picture on first use
        w, h = self._size
        return round(self.width_cm * h / w, 2)

    def __html__(self) -> str:
        _ = self.png  # draws the picture on first use
        return super().__html__()


def _box(draw, font, xy, text, fill="#FFFFFF") -> None:
    x0, y0, x1, y1 = xy
    draw.rectangle(xy, outline="#000000", width=3, fill=fill)
    lines = text.split("\n")
    heights = [draw.textbbox((0, 0), line, font=font)[3] for line in lines]
    total = sum(heights) + 8 * (len(lines) - 1)
    y = (y0 + y1 - total) / 2
    for line, h in zip(lines, heights):
        w = draw.textlength(line, font=font)
        draw.text(((x0 + x1 - w) / 2, y), line, font=font, fill="#000000")
        y += h + 8


def draw_org_chart(ctx: dict[str, Any]) -> tuple[bytes, tuple[int, int]]:
    """Top management, the management representative, departments, and the after-sales outlets."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(cjk_font_path(), 30)
    small = ImageFont.truetype(cjk_font_path(), 26)
    depts = ctx["departments"]
    outlets = ctx["outlets"]
    col_w, box_w = 170, 130
    n = max(len(depts), 1)
    width = max(n * col_w + 80, 900)
    box_h = 300
    top_h = 90
    out_rows = (len(outlets) + n - 1) // n if outlets else 0
    height = 60 + top_h + 60 + top_h + 70 + box_h + (90 + out_rows * 190 if outlets else 0) + 40
    img = Image.new("RGB", (width, height), "#FFFFFF")
    d = ImageDraw.Draw(img)
    cx = width // 2
    y = 40
    gm = ctx["general_manager"]
    mr = ctx["management_representative"]
    _box(d, font, (cx - 170, y, cx + 170, y + top_h), f"总经理\n{gm['name']}", "#E7E6E6")
    d.line((cx, y + top_h, cx, y + top_h + 60), fill="#000000", width=3)
    y += top_h + 60
    _box(d, font, (cx - 170, y, cx + 170, y + top_h), f"管理者代表\n{mr['name']}", "#F2F2F2")
    d.line((cx, y + top_h, cx, y + top_h + 35), fill="#000000", width=3)
    y += top_h + 35
    xs = [40 + col_w * i + col_w // 2 + (width - 80 - n * col_w) // 2 for i in range(n)]
    d.line((xs[0], y, xs[-1], y), fill="#000000", width=3)
    y += 35
    after_x = cx
    for x, dept in zip(xs, depts):
        d.line((x, y - 35, x, y), fill="#000000", width=3)
        name = dept["name"]
        if len(name) > 6:
            name = name[:6] + "\n" + name[6:]
        vertical = "\n".join(name.replace("\n", ""))
        label = vertical if len(dept["name"]) <= 7 else name
        fill = "#DDEBF7" if "after_sales" in dept["functions"] else "#FFFFFF"
        _box(d, small, (x - box_w // 2, y, x + box_w // 2, y + box_h), label, fill)
        if "after_sales" in dept["functions"]:
            after_x = x
    y += box_h
    if outlets:
        d.line((after_x, y, after_x, y + 45), fill="#000000", width=3)
        y += 45
        per_row = n
        rows = [outlets[i : i + per_row] for i in range(0, len(outlets), per_row)]
        for row in rows:
            oxs: list[float] = list(xs[: len(row)]) if len(row) == n else [cx + (i - (len(row) - 1) / 2) * col_w for i in range(len(row))]
            d.line((min(oxs + [after_x]), y, max(oxs + [after_x]), y), fill="#000000", width=3)
            for ox, o in zip(oxs, row):
                d.line((ox, y, ox, y + 40), fill="#000000", width=3)
                short = o["name"].replace(ctx["company"]["short_name"], "")
                label = "\n".join([short[i : i + 5] for i in range(0, len(short), 5)][:3])
                kind = "自营" if o["kind"] == "own" else "委托"
                _box(d, small, (ox - box_w // 2 - 10, y + 40, ox + box_w // 2 + 10, y + 170), f"{label}\n（{kind}）")
            y += 190
    buf = io.BytesIO()
    img = img.crop((0, 0, width, y + 20))
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue(), img.size


def visuals(ctx: dict[str, Any]) -> dict[str, Any]:
    """Pictures available to templates, drawn on first use."""
    return {"org_chart_picture": LazyPicture(lambda: draw_org_chart(ctx), 15.0, "组织机构图")}
