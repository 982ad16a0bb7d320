"""Statistical disclosure control for published tables: primary and secondary cell suppression.

Written by hand on purpose: the established tools for secondary suppression (tau-Argus, Java;
sdcTable/sdcMicro, R) are not Python, and the Python output checker ACRO only flags or masks
cells below a threshold (primary suppression) without protecting them from recovery through the
margins. The method below is small and its guarantee is tested by solving the linear system.

Model. A table of R rows x C columns with its row totals, column totals and grand total is seen as
an (R+1) x (C+1) grid whose last row and column are the margins. Negating the margins (row r:
x_r1 + ... + x_rC - T_r = 0; the margin row and column likewise) every row and column of that
grid sums to zero. Each cell is then an edge between a row node and a column node of a bipartite
graph, and the suppressed cells are the unknowns of that system of equations. An unknown is
uniquely determined by the published cells exactly when its edge is a *bridge* of the graph formed
by the suppressed cells (it lies on no cycle); otherwise a cycle of alternating +d/-d changes moves
it without changing any published number.

Algorithm. Primary: every cell (margins included) with 0 < value < threshold. Secondary: while
the suppressed graph has a bridge, close a cycle through it along the cheapest path of cells in
the full grid (Dijkstra; already suppressed cells cost nothing, margins and zeros cost more than
any inner cell, so few and small inner cells are chosen). Every iteration suppresses at least one
more cell, so it ends; at the end no suppressed cell can be computed from the published ones.
"""

import heapq
import os
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

DEFAULT_THRESHOLD = 5


def threshold() -> int:
    """The minimum publishable count: setting RETORNO_STATISTICS_MIN_CELL, else the environment
    variable of that name, else `statistics_min_cell` in the country profile, else 5."""
    value = getattr(settings, "RETORNO_STATISTICS_MIN_CELL", None) or os.environ.get(
        "RETORNO_STATISTICS_MIN_CELL"
    )
    if not value:
        from retorno.reference.country import country_profile

        try:
            value = (country_profile() or {}).get("statistics_min_cell")
        except OSError:
            value = None
    return max(1, int(value or DEFAULT_THRESHOLD))


@dataclass(frozen=True)
class SuppressionResult:
    """The suppression pattern of a table with margins.

    `grid` is the (R+1) x (C+1) table of values, margins last; `suppressed` the same shape, True
    where the value must not be published; `primary` True where the cell itself was below the
    threshold.
    """

    grid: list[list[int]]
    suppressed: list[list[bool]]
    primary: list[list[bool]]

    @property
    def cells(self) -> list[list[bool]]:
        return [row[:-1] for row in self.suppressed[:-1]]

    @property
    def row_totals(self) -> list[bool]:
        return [row[-1] for row in self.suppressed[:-1]]

    @property
    def column_totals(self) -> list[bool]:
        return self.suppressed[-1][:-1]

    @property
    def grand_total(self) -> bool:
        return self.suppressed[-1][-1]


def with_margins(cells: Sequence[Sequence[int]]) -> list[list[int]]:
    """The (R+1) x (C+1) grid: `cells` plus row totals, column totals and the grand total."""
    rows = [list(map(int, row)) for row in cells]
    width = len(rows[0]) if rows else 0
    if any(len(row) != width for row in rows):
        raise ValueError("ragged table")
    if any(v < 0 for row in rows for v in row):
        raise ValueError("negative count")
    grid = [row + [sum(row)] for row in rows]
    grid.append([sum(row[c] for row in rows) for c in range(width)] + [sum(sum(r) for r in rows)])
    return grid


def _bridges(n_rows: int, n_cols: int, edges: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Bridges of the bipartite graph (row nodes 0..n_rows-1, column nodes after them), sorted."""
    adjacency: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for r, c in edges:
        adjacency.setdefault(r, []).append((n_rows + c, (r, c)))
        adjacency.setdefault(n_rows + c, []).append((r, (r, c)))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    found: list[tuple[int, int]] = []
    counter = 0
    for root in sorted(adjacency):
        if root in order:
            continue
        # Iterative Tarjan (tables are small, but recursion limits are not worth the risk).
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, None, iter(sorted(adjacency[root])))]
        while stack:
            node, via, neighbours = stack[-1]
            advanced = False
            for nxt, edge in neighbours:
                if edge == via:
                    continue
                if nxt in order:
                    low[node] = min(low[node], order[nxt])
                else:
                    order[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append((nxt, edge, iter(sorted(adjacency[nxt]))))
                    advanced = True
                    break
            if not advanced:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.append(via)
    return sorted(found)


def _cheapest_cycle_path(
    grid: list[list[int]], suppressed: list[list[bool]], bridge: tuple[int, int]
) -> list[tuple[int, int]]:
    """Cells of the cheapest path from the bridge's column back to its row, avoiding the bridge."""
    n_rows, n_cols = len(grid), len(grid[0])
    grand = grid[-1][-1]
    # Costs: suppressed 0; inner positive cell = value + 1; zeros and margins cost more than any
    # inner cell so they are used only when nothing else closes the cycle.
    big = grand + 2

    def cost(r: int, c: int) -> int:
        if suppressed[r][c]:
            return 0
        value = grid[r][c]
        margin = r == n_rows - 1 or c == n_cols - 1
        return value + 1 + (big if margin else 0) + (big if value == 0 else 0)

    start, goal = n_rows + bridge[1], bridge[0]
    best = {start: 0}
    previous: dict[int, tuple[int, tuple[int, int]]] = {}
    heap = [(0, start)]
    while heap:
        dist, node = heapq.heappop(heap)
        if node == goal:
            break
        if dist > best.get(node, float("inf")):
            continue
        if node >= n_rows:  # a column node: neighbours are rows
            c = node - n_rows
            steps = [(r, (r, c)) for r in range(n_rows)]
        else:
            steps = [(n_rows + c, (node, c)) for c in range(n_cols)]
        for nxt, cell in steps:
            if cell == bridge:
                continue
            candidate = dist + cost(*cell)
            if candidate < best.get(nxt, float("inf")):
                best[nxt] = candidate
                previous[nxt] = (node, cell)
                heapq.heappush(heap, (candidate, nxt))
    if goal not in previous:
        return [(r, c) for r in range(n_rows) for c in range(n_cols)]
    path, node = [], goal
    while node != start:
        node, cell = previous[node]
        path.append(cell)
    return path


def suppress(cells: Sequence[Sequence[int]], min_count: int | None = None) -> SuppressionResult:
    """Suppression pattern for a table of non-negative counts (without margins; they are added).

    A published value is never in 1..min_count-1, and no suppressed value (inner cell or margin)
    can be derived exactly from the published ones through row and column totals. Zeros are
    published (an empty cell says nothing about a person). Raises ValueError on a ragged table or
    negative counts.
    """
    limit = threshold() if min_count is None else int(min_count)
    grid = with_margins(cells)
    if not cells or not grid[0][:-1]:
        return SuppressionResult(
            grid, [[False] * len(row) for row in grid], [[False] * len(row) for row in grid]
        )
    primary = [[0 < v < limit for v in row] for row in grid]
    suppressed = [row[:] for row in primary]
    n_rows, n_cols = len(grid), len(grid[0])
    while True:
        edges = {(r, c) for r in range(n_rows) for c in range(n_cols) if suppressed[r][c]}
        bridges = _bridges(n_rows, n_cols, edges)
        if not bridges:
            break
        for r, c in _cheapest_cycle_path(grid, suppressed, bridges[0]):
            suppressed[r][c] = True
    return SuppressionResult(grid, suppressed, primary)
