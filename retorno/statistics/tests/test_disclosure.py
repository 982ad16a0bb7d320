"""Suppression must make every suppressed cell impossible to recover from the published ones."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retorno.statistics.disclosure import suppress, with_margins


def _recoverable_cells(grid, suppressed):
    """Suppressed cells whose value follows from the published cells and the row/column equations.

    Unknowns are the suppressed cells; every row and column of the grid with margins gives one
    equation (inner cells minus the margin = 0). A cell is determined iff its unit vector lies in
    the row space of the unknowns' coefficient matrix.
    """
    n_rows, n_cols = len(grid), len(grid[0])
    unknowns = [(r, c) for r in range(n_rows) for c in range(n_cols) if suppressed[r][c]]
    if not unknowns:
        return []
    index = {cell: i for i, cell in enumerate(unknowns)}
    equations = []
    for r in range(n_rows):
        equations.append([0.0] * len(unknowns))
        for c in range(n_cols):
            if (r, c) in index:
                equations[-1][index[(r, c)]] = -1.0 if c == n_cols - 1 else 1.0
    for c in range(n_cols):
        equations.append([0.0] * len(unknowns))
        for r in range(n_rows):
            if (r, c) in index:
                equations[-1][index[(r, c)]] = -1.0 if r == n_rows - 1 else 1.0
    matrix = np.array(equations)
    rank = np.linalg.matrix_rank(matrix)
    recoverable = []
    for cell, i in index.items():
        unit = np.zeros(len(unknowns))
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            recoverable.append(cell)
    return recoverable


def _published_values_are_safe(result, limit):
    for r, row in enumerate(result.grid):
        for c, value in enumerate(row):
            if not result.suppressed[r][c]:
                assert not (0 < value < limit), (r, c, value)


def test_the_recovery_check_finds_a_cell_left_alone_in_its_row():
    grid = with_margins([[3, 10], [20, 30]])
    only_primary = [[True, False, False], [False, False, False], [False, False, False]]
    assert _recoverable_cells(grid, only_primary) == [(0, 0)]


def test_a_single_small_cell_gets_a_rectangle_of_secondary_suppressions():
    result = suppress([[3, 10, 12], [20, 30, 40], [15, 16, 17]], min_count=5)
    assert result.primary[0][0]
    assert sum(map(sum, result.suppressed)) >= 4
    assert _recoverable_cells(result.grid, result.suppressed) == []
    # The cheapest rectangle is chosen: 10 (same row), 15 (same column) and 16 closing it.
    assert result.suppressed[0][1] and result.suppressed[2][0] and result.suppressed[2][1]
    assert sum(map(sum, result.suppressed)) == 4
    assert not result.grand_total


def test_small_margins_are_suppressed_and_protected():
    result = suppress([[1, 2], [30, 40]], min_count=5)
    assert result.row_totals[0]  # 3 < 5
    assert _recoverable_cells(result.grid, result.suppressed) == []
    _published_values_are_safe(result, 5)


def test_two_disjoint_rectangles_joined_by_a_bridge_are_repaired():
    # Row 0 has two small cells; a degree-only rule could leave a bridge between two cycles.
    cells = [[2, 50, 3, 60], [70, 2, 80, 4], [90, 100, 110, 120], [130, 140, 150, 160]]
    result = suppress(cells, min_count=5)
    assert _recoverable_cells(result.grid, result.suppressed) == []
    _published_values_are_safe(result, 5)


def test_a_single_row_table_suppresses_the_matching_column_totals():
    result = suppress([[3, 40, 50]], min_count=5)
    assert result.cells[0][0] and result.column_totals[0]
    assert _recoverable_cells(result.grid, result.suppressed) == []


def test_zeros_and_large_counts_are_published_untouched():
    result = suppress([[0, 10], [12, 0]], min_count=5)
    assert not any(map(any, result.suppressed))


def test_all_cells_small_suppresses_everything_needed():
    result = suppress([[1, 1], [1, 1]], min_count=5)
    assert _recoverable_cells(result.grid, result.suppressed) == []
    _published_values_are_safe(result, 5)


def test_threshold_comes_from_settings(settings):
    settings.RETORNO_STATISTICS_MIN_CELL = 3
    assert not suppress([[4, 10], [10, 10]]).cells[0][0]
    settings.RETORNO_STATISTICS_MIN_CELL = 5
    assert suppress([[4, 10], [10, 10]]).cells[0][0]


def test_bad_tables_are_refused():
    with pytest.raises(ValueError):
        suppress([[1, 2], [3]])
    with pytest.raises(ValueError):
        suppress([[-1, 2]])


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=1, max_value=6).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(min_value=0, max_value=40), min_size=cols, max_size=cols),
            min_size=1,
            max_size=7,
        )
    ),
    st.integers(min_value=2, max_value=10),
)
def test_no_suppressed_cell_of_any_table_can_be_recovered_from_the_published_ones(cells, limit):
    result = suppress(cells, min_count=limit)
    _published_values_are_safe(result, limit)
    assert _recoverable_cells(result.grid, result.suppressed) == []
    # Primary cells are always suppressed.
    for r, row in enumerate(result.primary):
        for c, flag in enumerate(row):
            assert not flag or result.suppressed[r][c]
