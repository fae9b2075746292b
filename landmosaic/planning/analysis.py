"""Power/interest grid and relation network: positions computed here, drawn as SVG by templates.

Plain computation over plain values (no database), so pages, the API and tests share one result.
Layouts are deterministic: the same register always gives the same picture.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

#: A score of 3 or more (of 5) counts as high: the midpoint errs towards engaging people more.
HIGH = 3

MANAGE_CLOSELY = "manage_closely"
KEEP_SATISFIED = "keep_satisfied"
KEEP_INFORMED = "keep_informed"
MONITOR = "monitor"

#: quadrant -> (engagement strategy, what it means), in reading order of the grid.
QUADRANTS = {
    KEEP_SATISFIED: (
        _("Keep satisfied"),
        _(
            "Influential but less interested: consult them and meet their needs so that they support the "
            "plan."
        ),
    ),
    MANAGE_CLOSELY: (
        _("Manage closely"),
        _("Key players: involve them in decisions and in the partnership's governance."),
    ),
    MONITOR: (
        _("Monitor"),
        _("Watch for changes in their influence or interest and share general information."),
    ),
    KEEP_INFORMED: (
        _("Keep informed"),
        _(
            "Interested but less influential: keep them informed and give them ways to take part; "
            "they are often the people most affected."
        ),
    ),
}


def quadrant(influence: int, interest: int) -> str:
    """The engagement quadrant of a stakeholder from its influence (power) and interest."""
    if influence >= HIGH:
        return MANAGE_CLOSELY if interest >= HIGH else KEEP_SATISFIED
    return KEEP_INFORMED if interest >= HIGH else MONITOR


def strategy_label(code: str) -> str:
    return str(QUADRANTS[code][0])


# --- Grid ------------------------------------------------------------------------------------

CELL = 64
PLOT_X = 56  # room on the left for the influence axis
PLOT_Y = 8
PLOT = 5 * CELL
GRID_WIDTH = PLOT_X + PLOT + 8
GRID_HEIGHT = PLOT_Y + PLOT + 48  # room below for the interest axis


@dataclass(frozen=True)
class Dot:
    number: int
    pk: int
    name: str
    influence: int
    interest: int
    quadrant: str
    x: float
    y: float
    r: float


@dataclass(frozen=True)
class Area:
    quadrant: str
    label: str
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Grid:
    dots: list[Dot]
    areas: list[Area]
    ticks: list[tuple[int, float, float]]  # (score, x of the interest tick, y of the influence tick)
    width: int = GRID_WIDTH
    height: int = GRID_HEIGHT
    plot_x: int = PLOT_X
    plot_y: int = PLOT_Y
    plot_size: int = PLOT

    def by_quadrant(self) -> dict[str, list[Dot]]:
        grouped: dict[str, list[Dot]] = {q: [] for q in QUADRANTS}
        for dot in self.dots:
            grouped[dot.quadrant].append(dot)
        return grouped


def grid_layout(items: Sequence[tuple[int, str, int, int]]) -> Grid:
    """Place (pk, name, influence, interest) items on a 5x5 grid, numbered in the given order.

    Interest runs left to right, influence bottom to top. Items sharing a cell are spread on a
    small sub-grid inside it, so none hides another.
    """
    cells: dict[tuple[int, int], list[tuple[int, int, str]]] = defaultdict(list)
    for number, (pk, name, influence, interest) in enumerate(items, start=1):
        cells[(influence, interest)].append((number, pk, name))
    dots = []
    for (influence, interest), members in cells.items():
        cols = math.ceil(math.sqrt(len(members)))
        rows = math.ceil(len(members) / cols)
        step_x, step_y = CELL / cols, CELL / rows
        r = round(min(12.0, 0.42 * min(step_x, step_y)), 1)
        left = PLOT_X + (interest - 1) * CELL
        top = PLOT_Y + (5 - influence) * CELL
        for i, (number, pk, name) in enumerate(members):
            row, col = divmod(i, cols)
            dots.append(
                Dot(
                    number=number,
                    pk=pk,
                    name=name,
                    influence=influence,
                    interest=interest,
                    quadrant=quadrant(influence, interest),
                    x=round(left + (col + 0.5) * step_x, 1),
                    y=round(top + (row + 0.5) * step_y, 1),
                    r=r,
                )
            )
    dots.sort(key=lambda d: d.number)
    low = (HIGH - 1) * CELL  # width of the "low" band
    high = PLOT - low
    areas = [
        Area(KEEP_SATISFIED, strategy_label(KEEP_SATISFIED), PLOT_X, PLOT_Y, low, high),
        Area(MANAGE_CLOSELY, strategy_label(MANAGE_CLOSELY), PLOT_X + low, PLOT_Y, high, high),
        Area(MONITOR, strategy_label(MONITOR), PLOT_X, PLOT_Y + high, low, low),
        Area(KEEP_INFORMED, strategy_label(KEEP_INFORMED), PLOT_X + low, PLOT_Y + high, high, low),
    ]
    ticks = [
        (score, PLOT_X + (score - 0.5) * CELL, PLOT_Y + (5 - score + 0.5) * CELL) for score in range(1, 6)
    ]
    return Grid(dots=dots, areas=areas, ticks=ticks)


# --- Network ---------------------------------------------------------------------------------

NETWORK_SIZE = 400
NETWORK_RADIUS = 160


@dataclass(frozen=True)
class Node:
    number: int
    pk: int
    name: str
    sector: str
    x: float
    y: float
    r: float
    sector_label: str = ""


@dataclass(frozen=True)
class Edge:
    kind: str
    directed: bool
    path: str  # SVG path data
    source: str
    target: str


@dataclass(frozen=True)
class Network:
    nodes: list[Node]
    edges: list[Edge]
    size: int = NETWORK_SIZE


def network_layout(
    stakeholders: Sequence[tuple[int, str, str]],
    relations: Sequence[tuple[int, int, str, bool]],
    sector_labels: Mapping[str, str] | None = None,
) -> Network:
    """A circular layout of the stakeholders that have relations.

    ``stakeholders``: (pk, name, sector); ``relations``: (source pk, target pk, kind, directed).
    Nodes are ordered by sector then name so that sectors sit together on the circle; several
    relations between the same two stakeholders are drawn as curves that fan out.
    """
    linked = {pk for s, t, _k, _d in relations for pk in (s, t)}
    chosen = sorted((s for s in stakeholders if s[0] in linked), key=lambda s: (s[2], s[1].lower(), s[0]))
    n = len(chosen)
    centre = NETWORK_SIZE / 2
    r = 12.0 if n <= 30 else 8.0
    nodes: dict[int, Node] = {}
    for i, (pk, name, sector) in enumerate(chosen):
        angle = -math.pi / 2 + 2 * math.pi * i / max(n, 1)
        nodes[pk] = Node(
            number=i + 1,
            pk=pk,
            name=name,
            sector=sector,
            x=round(centre + NETWORK_RADIUS * math.cos(angle), 1),
            y=round(centre + NETWORK_RADIUS * math.sin(angle), 1),
            r=r,
            sector_label=str((sector_labels or {}).get(sector, sector)),
        )
    pairs: dict[frozenset[int], list[tuple[int, int, str, bool]]] = defaultdict(list)
    for relation in relations:
        if relation[0] in nodes and relation[1] in nodes:
            pairs[frozenset(relation[:2])].append(relation)
    edges = []
    for group in pairs.values():
        for k, (source, target, kind, directed) in enumerate(group):
            offset = (k - (len(group) - 1) / 2) * 28
            a, b = nodes[source], nodes[target]
            edges.append(
                Edge(
                    kind=kind,
                    directed=directed,
                    path=_curve(a, b, offset),
                    source=a.name,
                    target=b.name,
                )
            )
    return Network(nodes=sorted(nodes.values(), key=lambda node: node.number), edges=edges)


def _curve(a: Node, b: Node, offset: float) -> str:
    """A quadratic curve from the edge of node a to the edge of node b, bent by ``offset``."""
    dx, dy = b.x - a.x, b.y - a.y
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    cx, cy = (a.x + b.x) / 2 + nx * offset, (a.y + b.y) / 2 + ny * offset
    start = _towards(a.x, a.y, cx, cy, a.r)
    end = _towards(b.x, b.y, cx, cy, b.r + 2)
    return f"M{start[0]:.1f},{start[1]:.1f} Q{cx:.1f},{cy:.1f} {end[0]:.1f},{end[1]:.1f}"


def _towards(x: float, y: float, tx: float, ty: float, distance: float) -> tuple[float, float]:
    dx, dy = tx - x, ty - y
    length = math.hypot(dx, dy) or 1.0
    return x + dx / length * distance, y + dy / length * distance
