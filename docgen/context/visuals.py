"""The organisation chart, drawn as native Word content: a borderless table whose bordered cells
are the boxes and whose cell borders are the reporting lines. It needs no font on the building
machine (Word, WPS and LibreOffice draw the text with their own fonts), prints legibly on A4 and
never breaks a name inside a word: department and outlet names run vertically (竖排), one box
each, as Chinese organisation charts do.

The tree: the general manager on top, the management representative beside the trunk, then every
person a department `reports_to` (other than the general manager), then the departments, and the
service outlets under the after-sales department."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import escape

TEXT_WIDTH_DXA = 8730
MAX_OUTLET_BOXES = 8
LEAF = 4  # grid columns per leaf box: the box takes the middle two, the rest is the gap
FONT_PT = 10.5
LINE = '<w:{side} w:val="single" w:sz="12" w:space="0" w:color="000000"/>'


@dataclass
class Node:
    lines: list[str]
    level: int = 0
    vertical: bool = False
    fill: str = "FFFFFF"
    children: list[Node] = field(default_factory=list)
    first: int = 0  # grid columns [first, last)
    last: int = 0

    @property
    def center(self) -> int:
        return (self.first + self.last) // 2


def _tree(ctx: dict[str, Any]) -> tuple[Node, Node | None]:
    gm = ctx["general_manager"]
    mr = ctx.get("management_representative")
    people = {p["name"]: p for p in ctx.get("people", [])}
    root = Node([gm.get("title") or "总经理", gm["name"]], 0, fill="E7E6E6")
    bosses: dict[str, Node] = {}
    depts: list[tuple[Node, Node]] = []  # (department, its parent)
    for d in ctx["departments"]:
        boss = d.get("reports_to") or gm["name"]
        parent = root
        if boss != gm["name"]:
            if boss not in bosses:
                p = people.get(boss, {})
                bosses[boss] = Node([p.get("title") or "分管领导", boss], 1, fill="F2F2F2")
                root.children.append(bosses[boss])
            parent = bosses[boss]
        after_sales = "after_sales" in (d.get("functions") or [])
        node = Node([d["name"]], 0, vertical=True, fill="DDEBF7" if after_sales else "FFFFFF")
        if after_sales:
            outlets = list(ctx.get("outlets") or [])
            short = ctx["company"].get("short_name") or ""
            shown = outlets if len(outlets) <= MAX_OUTLET_BOXES else outlets[: MAX_OUTLET_BOXES - 1]
            for o in shown:
                name = o["name"].replace(short, "", 1) if short and o["name"] != short else o["name"]
                node.children.append(Node([name + ("（自营）" if o.get("kind") == "own" else "（委托）")], 0, vertical=True))
            if len(outlets) > len(shown):
                node.children.append(Node([f"其他{len(outlets) - len(shown)}个服务网点"], 0, vertical=True))
        parent.children.append(node)
        depts.append((node, parent))
    dept_level = 2 if bosses else 1
    for node, _ in depts:
        node.level = dept_level
        for o in node.children:
            o.level = dept_level + 1
    mr_node = None
    if mr and mr.get("name") and mr["name"] != gm["name"]:
        mr_node = Node(["管理者代表", mr["name"]], 0, fill="F2F2F2")
    return root, mr_node


def _place(node: Node, start: int) -> int:
    """Give every node its grid columns, four per leaf; return the next free column."""
    node.first = start
    if not node.children:
        node.last = start + LEAF
        return node.last
    col = start
    for child in node.children:
        col = _place(child, col)
    node.last = col
    return col


def _walk(node: Node):
    yield node
    for c in node.children:
        yield from _walk(c)


class Grid:
    """Rows of grid cells: each cell may belong to a box and may carry borders."""

    def __init__(self, ncols: int) -> None:
        self.ncols = ncols
        self.rows: list[tuple[int, str, list[dict[str, Any]]]] = []  # (height twips, rule, cells)

    def row(self, height: int, rule: str = "exact") -> list[dict[str, Any]]:
        cells: list[dict[str, Any]] = [{"borders": set()} for _ in range(self.ncols)]
        self.rows.append((height, rule, cells))
        return cells

    @staticmethod
    def vline(cells: list[dict[str, Any]], col: int) -> None:
        """A vertical line on the boundary left of grid column `col`."""
        if col < len(cells):
            cells[col]["borders"].add("left")
        else:
            cells[col - 1]["borders"].add("right")


def _box(cells: list[dict[str, Any]], first: int, last: int, node: Node, vmerge: str | None = None) -> None:
    for c in range(first, last):
        cells[c].update(box=id(node), node=node, borders={"top", "bottom", "left", "right"}, vmerge=vmerge)


def _cols_for(node: Node, col: int) -> int:
    """Grid columns a box needs: two for vertical text, else its longest line (even, so it centres)."""
    if node.vertical:
        return 2
    need = (max(len(line) for line in node.lines) * FONT_PT * 1.15 + 8) * 20 / col
    return max(2, int(need + 1.999) // 2 * 2)


def _box_span(node: Node, ncols: int, col: int) -> tuple[int, int]:
    half = _cols_for(node, col) // 2
    return max(node.center - half, 0), min(node.center + half, ncols)


def _height(node: Node) -> int:
    """Row height (twips) for a box: vertical text needs its longest name's length."""
    if not node.vertical:
        return int((len(node.lines) * FONT_PT * 1.6 + 10) * 20)
    longest = max(len(line) for line in node.lines)
    return int((longest * FONT_PT * 1.15 + 12) * 20)


def chart_grid(ctx: dict[str, Any]) -> Grid:
    root, mr = _tree(ctx)
    leaves = _place(root, 0) // LEAF
    ncols = max(LEAF * leaves, 6 * LEAF)
    shift = (ncols - LEAF * leaves) // 2 // 2 * 2
    col = TEXT_WIDTH_DXA // ncols
    nodes = list(_walk(root))
    for n in nodes:
        n.first += shift
        n.last += shift
    parent_of = {id(c): n for n in nodes for c in n.children}
    grid = Grid(ncols)
    levels = max(n.level for n in nodes)
    stem = 170  # connector rows: 0.3 cm

    def pass_through(cells: list[dict[str, Any]], level: float) -> None:
        """Lines of nodes below `level` whose parent is above it run through this row."""
        for n in nodes:
            p = parent_of.get(id(n))
            if p is not None and p.level < level < n.level:
                Grid.vline(cells, n.center)

    for level in range(levels + 1):
        here = [n for n in nodes if n.level == level]
        if not here:
            continue
        cells = grid.row(max(_height(n) for n in here), "atLeast")
        for n in here:
            _box(cells, *_box_span(n, ncols, col), n)
        pass_through(cells, level)
        if level == 0 and mr is not None:
            # the management representative beside the trunk, joined at its middle
            width = _cols_for(mr, col)
            gap = max(_cols_for(root, col) // 2, 2)
            right = root.center + gap + width <= ncols
            first = root.center + gap if right else max(root.center - gap - width, 0)
            span = (first, first + width)
            h = _height(mr) // 2
            top = grid.row(h, "exact")
            bottom = grid.row(h, "exact")
            _box(top, *span, mr, "restart")
            _box(bottom, *span, mr, "continue")
            between = range(root.center, span[0]) if right else range(span[1], root.center)
            for c in between:
                top[c]["borders"].add("bottom")
            Grid.vline(top, root.center)
            Grid.vline(bottom, root.center)
        parents = [n for n in here if n.children]
        if not parents:
            continue
        s = grid.row(stem)
        b = grid.row(stem)
        for p in parents:
            Grid.vline(s, p.center)
            centers = [c.center for c in p.children]
            for c in range(min(centers + [p.center]), max(centers + [p.center])):
                b[c]["borders"].add("top")
            for c in centers:
                Grid.vline(b, c)
        pass_through(s, level + 0.5)
        pass_through(b, level + 0.5)
    return grid


def _tc(width: int, span: int, borders: set[str], node: Node | None, vmerge: str | None) -> str:
    pr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        pr += f'<w:gridSpan w:val="{span}"/>'
    if vmerge:
        pr += f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else "<w:vMerge/>"
    pr += "<w:tcBorders>" + "".join(
        LINE.format(side=side) if side in borders else f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right")
    ) + "</w:tcBorders>"
    if node is not None and vmerge != "continue":
        pr += f'<w:shd w:val="clear" w:color="auto" w:fill="{node.fill}"/>'
    if node is not None and node.vertical:
        pr += '<w:textDirection w:val="tbRlV"/>'
    pr += '<w:vAlign w:val="center"/>'
    text = ""
    if node is not None and vmerge != "continue":
        text = "<w:r><w:br/></w:r>".join(f'<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r>' for line in node.lines)
    ppr = '<w:pPr><w:pStyle w:val="表格文字"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/></w:pPr>'
    if node is None:
        ppr = '<w:pPr><w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/></w:pPr>'
    return f"<w:tc><w:tcPr>{pr}</w:tcPr><w:p>{ppr}{text}</w:p></w:tc>"


def chart_xml(ctx: dict[str, Any]) -> str:
    """The chart as a <w:tbl> element (WordprocessingML)."""
    grid = chart_grid(ctx)
    col = TEXT_WIDTH_DXA // grid.ncols
    out = [
        '<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:jc w:val="center"/>'
        '<w:tblBorders><w:top w:val="nil"/><w:left w:val="nil"/><w:bottom w:val="nil"/><w:right w:val="nil"/>'
        '<w:insideH w:val="nil"/><w:insideV w:val="nil"/></w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="28" w:type="dxa"/><w:right w:w="28" w:type="dxa"/></w:tblCellMar>'
        '<w:tblDescription w:val="组织机构图"/></w:tblPr><w:tblGrid>'.replace("%d", str(col * grid.ncols))
        + f'<w:gridCol w:w="{col}"/>' * grid.ncols
        + "</w:tblGrid>"
    ]
    for height, rule, cells in grid.rows:
        out.append(f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{height}" w:hRule="{rule}"/></w:trPr>')
        c = 0
        while c < grid.ncols:
            cell = cells[c]
            span = 1
            if "box" in cell:
                while c + span < grid.ncols and cells[c + span].get("box") == cell["box"]:
                    span += 1
                borders = set(cell["borders"])
            else:
                borders = cell["borders"]
            out.append(_tc(col * span, span, borders, cell.get("node"), cell.get("vmerge")))
            c += span
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


class OrgChart:
    """`{{ org_chart_picture }}` alone in a paragraph: closes that paragraph, places the chart
    table, and opens an empty paragraph for the rest of the line."""

    def __init__(self, ctx: dict[str, Any]) -> None:
        self._ctx = ctx

    def __html__(self) -> str:
        return "</w:t></w:r></w:p>" + chart_xml(self._ctx) + "<w:p><w:r><w:t>"

    def __str__(self) -> str:
        return "组织机构图"


def visuals(ctx: dict[str, Any]) -> dict[str, Any]:
    """Drawings available to templates."""
    return {"org_chart_picture": OrgChart(ctx)}
