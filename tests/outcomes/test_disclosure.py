from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.disclosure import (
    ProtectedTable,
    Rule,
    Shown,
    Totals,
    complement_safe,
    protect_count,
    protect_filtered_table,
    protect_percentage,
    protect_statistic,
    protect_table,
)

ROWS = ("a", "b", "c")
COLS = ("x", "y", "z")


def table_from(matrix: list[list[int]]) -> tuple[dict, tuple[str, ...], tuple[str, ...]]:
    rows = tuple(f"r{i}" for i in range(len(matrix)))
    cols = tuple(f"k{j}" for j in range(len(matrix[0])))
    counts = {(r, c): matrix[i][j] for i, r in enumerate(rows) for j, c in enumerate(cols)}
    return counts, rows, cols


def grid_of(table: ProtectedTable) -> list[list[Shown]]:
    """The table with its margins as an (R+1) x (C+1) grid; the last row and column are
    the totals."""
    grid = [[table.cell(r, c) for c in table.cols] + [table.row_totals[r]] for r in table.rows]
    grid.append([table.col_totals[c] for c in table.cols] + [table.grand_total])
    return grid


def lines_of(R: int, C: int) -> list[list[tuple[int, int]]]:
    """Every line as positions; the last position of each is that line's total."""
    return [[(i, j) for j in range(C + 1)] for i in range(R + 1)] + [
        [(i, j) for i in range(R + 1)] for j in range(C + 1)
    ]


def suppressed_positions(table: ProtectedTable) -> set[tuple[int, int]]:
    return {
        (i, j)
        for i, line in enumerate(grid_of(table))
        for j, shown in enumerate(line)
        if shown.suppressed
    }


def pattern(table: ProtectedTable) -> list[str]:
    return ["".join("c" if s.suppressed else "." for s in line) for line in grid_of(table)]


def rank(matrix: list[list[Fraction]]) -> int:
    m = [row[:] for row in matrix]
    r = 0
    width = len(m[0]) if m else 0
    for col in range(width):
        pivot = next((i for i in range(r, len(m)) if m[i][col] != 0), None)
        if pivot is None:
            continue
        m[r], m[pivot] = m[pivot], m[r]
        for i in range(len(m)):
            if i != r and m[i][col] != 0:
                factor = m[i][col] / m[r][col]
                m[i] = [a - factor * b for a, b in zip(m[i], m[r], strict=True)]
        r += 1
    return r


def pinned(R: int, C: int, suppressed: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Suppressed cells whose value follows from the shown values and the line equations
    (parts minus total is zero), taking every shown value as exact.

    A cell is pinned exactly when its unit vector lies in the row space of the equations
    restricted to the suppressed cells. This is plain linear algebra, independent of how
    the module chooses its suppressions.
    """
    unknowns = sorted(suppressed)
    if not unknowns:
        return set()
    index = {p: k for k, p in enumerate(unknowns)}
    equations = []
    for line in lines_of(R, C):
        row = [Fraction(0)] * len(unknowns)
        for pos in line:
            if pos in index:
                row[index[pos]] = Fraction(-1 if pos == line[-1] else 1)
        equations.append(row)
    base = rank(equations)
    found = set()
    for pos, k in index.items():
        unit = [Fraction(int(m == k)) for m in range(len(unknowns))]
        if rank([*equations, unit]) == base:
            found.add(pos)
    return found


def assert_protected(table: ProtectedTable) -> None:
    R, C = len(table.rows), len(table.cols)
    grid = grid_of(table)
    suppressed = suppressed_positions(table)
    for line in lines_of(R, C):
        assert sum(pos in suppressed for pos in line) != 1, (line, pattern(table))
    assert pinned(R, C, suppressed) == set(), pattern(table)
    for line in grid:
        for shown in line:
            if shown.suppressed:
                assert shown.value is None and shown.display == "c" and shown.reason
            else:
                assert shown.reason is None
                assert isinstance(shown.value, int) and shown.value % 5 == 0
                assert shown.value >= 10
                assert shown.display == f"{shown.value:,}"


# --- single counts --------------------------------------------------------------------------


@pytest.mark.parametrize("n", [0, 1, 9])
def test_a_count_under_ten_shows_c(n):
    assert protect_count(n) == Shown(display="c", value=None, suppressed=True, reason="primary")


@pytest.mark.parametrize(
    ("n", "display", "value"),
    [
        (10, "10", 10),
        (12, "10", 10),
        (13, "15", 15),
        (17, "15", 15),
        (18, "20", 20),
        (22, "20", 20),
        (23, "25", 25),
        (1_234_567, "1,234,565", 1_234_565),
    ],
)
def test_a_count_of_ten_or_more_is_rounded_to_the_nearest_five(n, display, value):
    assert protect_count(n) == Shown(display=display, value=value, suppressed=False, reason=None)


def test_halves_round_up_not_to_even():
    tens = Rule(rounding=10)
    assert protect_count(15, tens).value == 20
    assert protect_count(25, tens).value == 30  # Python's round() would give 20


def test_threshold_and_rounding_are_parameters():
    rule = Rule(threshold=5, rounding=3)
    assert protect_count(4, rule).suppressed
    assert protect_count(5, rule).value == 6
    assert protect_count(7, rule).value == 6


@pytest.mark.parametrize("kwargs", [{"threshold": 0}, {"rounding": 0}])
def test_a_rule_that_protects_nothing_is_refused(kwargs):
    with pytest.raises(ValueError):
        Rule(**kwargs)


def test_a_negative_count_is_refused():
    with pytest.raises(ValueError):
        protect_count(-1)


# --- statistics -----------------------------------------------------------------------------


def test_a_statistic_over_fewer_than_ten_people_is_suppressed():
    assert protect_statistic(3.2, 9).display == "c"
    assert protect_statistic(3.2, 9).reason == "primary"
    assert protect_statistic(None, 0).suppressed


def test_a_statistic_over_ten_people_is_shown():
    assert protect_statistic(3.24, 10, places=1) == Shown("3.2", 3.2, False, None)


def test_a_statistic_keeps_only_its_rounded_value():
    shown = protect_statistic(2.345678, 20, places=2)
    assert shown.value == 2.35
    assert shown.display == "2.35"


def test_a_percentage_is_computed_from_unrounded_counts():
    # Rounded first, 12 of 40 would be 10 of 40: 25%.
    assert protect_percentage(12, 40) == Shown("30%", 30.0, False, None)
    assert protect_percentage(12, 39, places=1).display == "30.8%"


def test_a_percentage_is_shown_only_where_its_denominator_is_at_least_ten():
    assert protect_percentage(3, 9).display == "c"
    assert protect_percentage(3, 10).display == "30%"


def test_a_statistic_without_a_value_over_enough_people_is_a_bug():
    with pytest.raises(ValueError):
        protect_statistic(None, 12)
    with pytest.raises(ValueError):
        protect_statistic(math.nan, 12)


def test_a_statistic_never_shows_minus_zero():
    assert protect_statistic(-0.01, 10, places=1).display == "0.0"


# --- what leaves the module -----------------------------------------------------------------


def test_a_shown_cell_cannot_carry_a_number_when_suppressed():
    with pytest.raises(ValueError):
        Shown(display="c", value=3, suppressed=True, reason="primary")
    with pytest.raises(ValueError):
        Shown(display="c", value=None, suppressed=True, reason=None)
    with pytest.raises(ValueError):
        Shown(display="10", value=10, suppressed=False, reason="primary")


def test_a_shown_cell_has_nowhere_to_hide_a_raw_count():
    shown = protect_count(7)
    assert not hasattr(shown, "__dict__")
    with pytest.raises((AttributeError, TypeError)):
        shown.raw = 7  # type: ignore[attr-defined]


def test_no_raw_count_survives_in_a_protected_table():
    # No raw count here, cell or total, is a multiple of five, so any that leaked would
    # show: cells 6, 22, 12, 44; rows 28, 56; columns 18, 66; grand total 84.
    counts = {("a", "x"): 6, ("a", "y"): 22, ("b", "x"): 12, ("b", "y"): 44}
    table = protect_table(counts, ("a", "b"), ("x", "y"))
    text = repr(table)
    for raw in (6, 22, 12, 44, 28, 56, 18, 66, 84):
        assert f"={raw}," not in text and f"'{raw}'" not in text
    shown = [
        item
        for field in dataclasses.fields(table)
        for value in [getattr(table, field.name)]
        for item in (value.values() if hasattr(value, "values") else [value])
        if isinstance(item, Shown)
    ]
    assert len(shown) == 4 + 2 + 2 + 1
    assert all(item.value is None or item.value % 5 == 0 for item in shown)


# --- tables ---------------------------------------------------------------------------------


def test_a_table_without_small_cells_is_only_rounded():
    counts = {("a", "x"): 12, ("a", "y"): 13, ("b", "x"): 22, ("b", "y"): 18}
    table = protect_table(counts, ("a", "b"), ("x", "y"))
    assert [[table.cell(r, c).display for c in ("x", "y")] for r in ("a", "b")] == [
        ["10", "15"],
        ["20", "20"],
    ]
    # Totals are rounded from the unrounded sums, not added up from rounded cells.
    assert table.row_totals["a"].display == "25"
    assert table.col_totals["x"].display == "35"
    assert table.grand_total.display == "65"
    assert not suppressed_positions(table)


def test_a_row_with_one_small_cell_gets_a_second_suppression():
    counts = {
        ("a", "x"): 3, ("a", "y"): 20, ("a", "z"): 30,
        ("b", "x"): 15, ("b", "y"): 25, ("b", "z"): 40,
        ("c", "x"): 12, ("c", "y"): 33, ("c", "z"): 50,
    }  # fmt: skip
    table = protect_table(counts, ROWS, COLS)
    assert table.cell("a", "x").reason == "primary"
    # Row a: the smallest other cell; column x: its smallest other cell; then the cell
    # that closes the rectangle, rather than the smaller (b, y), which would start a new
    # line needing a partner of its own.
    assert pattern(table) == [
        "cc..",
        "....",
        "cc..",
        "....",
    ]
    assert {table.cell(r, c).reason for r, c in [("a", "y"), ("c", "x"), ("c", "y")]} == {
        "secondary"
    }
    assert table.row_totals["a"].display == "55"
    assert_protected(table)


def test_a_suppressed_total_gets_a_partner_among_the_totals():
    counts = {
        ("a", "x"): 3, ("a", "y"): 20, ("a", "z"): 30,
        ("b", "x"): 2, ("b", "y"): 25, ("b", "z"): 40,
        ("c", "x"): 4, ("c", "y"): 33, ("c", "z"): 50,
    }  # fmt: skip
    table = protect_table(counts, ROWS, COLS)
    assert table.col_totals["x"].reason == "primary"  # 9 people
    # The column totals with the grand total form a line: 9 = grand - y - z, unless
    # another column total goes too; the smaller one, not the grand total.
    assert table.col_totals["y"].reason == "secondary"
    assert not table.col_totals["z"].suppressed
    assert not table.grand_total.suppressed
    assert pattern(table) == [
        "cc..",
        "cc..",
        "cc..",
        "cc..",
    ]
    assert_protected(table)


def test_a_cell_pinned_by_several_lines_is_protected_too():
    # Every line of the line-by-line result has two or more suppressions, yet (3, 3) is
    # the only link between two separate rectangles of suppressed cells, so the row and
    # column sums give it away.
    matrix = [
        [13, 0, 20, 4],
        [6, 56, 11, 54],
        [40, 2, 42, 24],
        [11, 47, 5, 8],
    ]
    line_by_line = {(0, 1), (0, 3), (1, 0), (1, 2), (2, 1), (2, 3), (3, 0), (3, 2), (3, 3)}
    assert (3, 3) in pinned(4, 4, line_by_line)

    counts, rows, cols = table_from(matrix)
    table = protect_table(counts, rows, cols)
    assert line_by_line < suppressed_positions(table)
    assert_protected(table)


def test_a_one_way_table_is_a_table_with_one_column():
    counts = {("a", "n"): 3, ("b", "n"): 20, ("c", "n"): 30, ("d", "n"): 12}
    table = protect_table(counts, ("a", "b", "c", "d"), ("n",))
    assert [table.cell(r, "n").display for r in "abcd"] == ["c", "20", "30", "c"]
    assert table.cell("d", "n").reason == "secondary"  # 12: the smallest other
    assert table.col_totals["n"].display == "65"
    assert_protected(table)


def test_a_missing_cell_is_a_zero_and_suppressed():
    counts = {("a", "x"): 30, ("a", "y"): 20, ("b", "x"): 40}
    table = protect_table(counts, ("a", "b"), ("x", "y"))
    assert table.cell("b", "y").reason == "primary"
    assert_protected(table)


def test_a_count_for_a_cell_outside_the_table_is_refused():
    with pytest.raises(ValueError):
        protect_table({("a", "q"): 30}, ("a",), ("x",))


def test_totals_of_distinct_people_are_shown_but_protected_as_sums():
    # A young person can be in both strands, so the totals of people are below the sums.
    counts = {("a", "x"): 20, ("a", "y"): 30, ("b", "x"): 4, ("b", "y"): 40}
    totals = Totals(rows={"a": 45, "b": 42}, cols={"x": 24, "y": 65}, grand=80)
    table = protect_table(counts, ("a", "b"), ("x", "y"), totals=totals)
    assert [table.row_totals[r].value for r in "ab"] == [45, 40]
    assert [table.col_totals[c].value for c in "xy"] == [25, 65]
    assert table.grand_total.value == 80
    # As if 42 were 4 + 40: (b, y) must go with (b, x), and so on round the square.
    assert pattern(table) == ["cc.", "cc.", "..."]
    assert_protected(table)


def test_totals_must_name_the_tables_rows():
    with pytest.raises(ValueError):
        protect_table({("a", "x"): 30}, ("a",), ("x",), totals=Totals(rows={"b": 30}))


# --- differencing ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filtered", "unfiltered", "safe"),
    [
        (40, 40, True),  # the same group
        (39, 40, False),
        (31, 40, False),
        (30, 40, True),
        (0, 9, False),
        (0, 0, True),
    ],
)
def test_a_filter_is_unsafe_when_it_leaves_out_a_small_group(filtered, unfiltered, safe):
    assert complement_safe(filtered, unfiltered) is safe


def test_a_filter_cannot_find_more_than_there_are():
    with pytest.raises(ValueError):
        complement_safe(41, 40)
    with pytest.raises(ValueError):
        protect_filtered_table({("a", "x"): 3}, {("a", "x"): 2}, ("a",), ("x",))


def test_a_filtered_table_hides_cells_that_differ_from_the_whole_by_a_few():
    unfiltered = {("a", "x"): 30, ("a", "y"): 40, ("b", "x"): 25, ("b", "y"): 50}
    filtered = {("a", "x"): 27, ("a", "y"): 20, ("b", "x"): 15, ("b", "y"): 45}
    table = protect_filtered_table(filtered, unfiltered, ("a", "b"), ("x", "y"))
    # 30 - 27 = 3 and 50 - 45 = 5 people left out by the filter.
    assert table.cell("a", "x").reason == "differencing"
    assert table.cell("b", "y").reason == "differencing"
    assert table.cell("a", "y").reason == "secondary"
    assert table.cell("b", "x").reason == "secondary"
    assert pattern(table) == ["cc.", "cc.", "..."]
    assert_protected(table)


def test_a_filter_that_changes_nothing_is_the_plain_table():
    counts = {("a", "x"): 3, ("a", "y"): 20, ("b", "x"): 15, ("b", "y"): 25}
    rows, cols = ("a", "b"), ("x", "y")
    assert protect_filtered_table(counts, counts, rows, cols) == protect_table(counts, rows, cols)


def test_a_filter_that_leaves_out_a_few_people_overall_hides_the_grand_total():
    unfiltered = {("a", "x"): 30, ("a", "y"): 40, ("b", "x"): 25, ("b", "y"): 50}
    filtered = {("a", "x"): 30, ("a", "y"): 40, ("b", "x"): 25, ("b", "y"): 47}
    table = protect_filtered_table(filtered, unfiltered, ("a", "b"), ("x", "y"))
    assert table.grand_total.reason == "differencing"
    assert_protected(table)


# --- properties -----------------------------------------------------------------------------

FAST = settings(max_examples=200, deadline=None)


@st.composite
def matrices(draw):
    n_rows = draw(st.integers(1, 5))
    n_cols = draw(st.integers(1, 5))
    return [[draw(st.integers(0, 60)) for _ in range(n_cols)] for _ in range(n_rows)]


@FAST
@given(matrices())
def test_any_table_is_protected(matrix):
    counts, rows, cols = table_from(matrix)
    table = protect_table(counts, rows, cols)
    assert_protected(table)
    for (r, c), n in counts.items():
        shown = table.cell(r, c)
        assert shown.suppressed or n >= 10
        assert (shown.reason == "primary") == (n < 10)


@FAST
@given(matrices(), st.data())
def test_any_table_with_totals_of_distinct_people_is_protected(matrix, data):
    counts, rows, cols = table_from(matrix)

    def distinct(parts: list[int]) -> int:
        # Between the largest part (everyone there is in the total) and the sum.
        return data.draw(st.integers(max(parts), sum(parts)))

    totals = Totals(
        rows={r: distinct([counts[(r, c)] for c in cols]) for r in rows},
        cols={c: distinct([counts[(r, c)] for r in rows]) for c in cols},
        grand=distinct(list(counts.values())),
    )
    table = protect_table(counts, rows, cols, totals=totals)
    assert_protected(table)
    for r in rows:
        assert (table.row_totals[r].reason == "primary") == (totals.rows[r] < 10)


@FAST
@given(matrices(), st.data())
def test_any_filtered_table_is_protected(matrix, data):
    unfiltered, rows, cols = table_from(matrix)
    filtered = {key: data.draw(st.integers(0, n)) for key, n in unfiltered.items()}
    table = protect_filtered_table(filtered, unfiltered, rows, cols)
    assert_protected(table)
    for key, n in filtered.items():
        if 0 < unfiltered[key] - n < 10:
            assert table.cell(*key).suppressed
    whole, part = sum(unfiltered.values()), sum(filtered.values())
    if 0 < whole - part < 10:
        assert table.grand_total.suppressed


@FAST
@given(st.integers(0, 10_000), st.integers(1, 20), st.integers(1, 20))
def test_any_count_is_suppressed_or_rounded(n, threshold, rounding):
    rule = Rule(threshold=threshold, rounding=rounding)
    shown = protect_count(n, rule)
    if n < threshold:
        assert shown.suppressed
    else:
        assert shown.value % rounding == 0
        assert abs(shown.value - n) * 2 <= rounding
        assert shown.value != n - rounding / 2  # halves go up


# --- cell key perturbation and the lattice of views -----------------------------------------


def test_the_p_tables_are_balanced():
    from outcomes.disclosure import COUNT_PERTURBATION, SUM_PERTURBATION

    assert len(COUNT_PERTURBATION) == len(SUM_PERTURBATION) == 256
    assert sum(COUNT_PERTURBATION) == 0 and set(COUNT_PERTURBATION) == {-2, -1, 0, 1, 2}
    assert sum(SUM_PERTURBATION) == 0 and 0 not in SUM_PERTURBATION
    assert max(map(abs, SUM_PERTURBATION)) == 1


@FAST
@given(st.integers(10, 10_000), st.integers(0, 2**40))
def test_a_perturbed_count_is_the_same_for_the_same_key_and_never_below_ten(n, key):
    from outcomes.disclosure import cell_key

    shown = protect_count(n, key=key)
    assert shown == protect_count(n, key=cell_key(key))  # only the key modulo 2**32 counts
    assert shown.value % 5 == 0 and shown.value >= 10
    assert abs(shown.value - n) <= 2 + 2.5  # the perturbation, then the rounding


@FAST
@given(
    st.integers(10, 200),
    st.integers(0, 3),
    st.floats(0, 100),
    st.integers(0, 2**32 - 1),
)
def test_a_perturbed_mean_moves_by_at_most_the_spread_over_the_people(people, extra, mean, key):
    from outcomes.disclosure import protect_mean

    scores = people + extra
    shown = protect_mean(mean * scores, scores, people, key)
    assert shown == protect_mean(mean * scores, scores, people, key + 2**32)
    assert abs(shown.value - mean) <= 25 / people + 0.5 + 1e-9
    assert 0 <= shown.value <= 100


def test_a_mean_over_fewer_than_ten_people_is_hidden_whatever_its_key():
    from outcomes.disclosure import protect_mean

    assert protect_mean(500.0, 9, 9, 12345).reason == "primary"


@pytest.mark.parametrize(
    ("complement", "others", "safe"),
    [
        (0, [], True),
        (0, [0, 12, 30], True),
        (0, [0, 3], False),  # a team of 3 added to the view gives them away
        (4, [], False),
        (10, [3], True),  # whatever is added to 10 or more is 10 or more
        (12, [0, 1, 9], True),
    ],
)
def test_a_view_is_safe_against_every_wider_one(complement, others, safe):
    from outcomes.disclosure import lattice_safe

    assert lattice_safe(complement, others) is safe


def test_a_table_hides_what_the_caller_found_unsafe_and_protects_it():
    from outcomes.disclosure import TOTAL

    counts = {("a", "x"): 30, ("a", "y"): 40, ("b", "x"): 25, ("b", "y"): 50}
    table = protect_table(counts, ("a", "b"), ("x", "y"), unsafe=[("a", "x"), (TOTAL, TOTAL)])
    assert table.cell("a", "x").reason == "differencing"
    assert table.grand_total.reason == "differencing"
    assert_protected(table)
    with pytest.raises(ValueError):
        protect_table(counts, ("a", "b"), ("x", "y"), unsafe=[("c", "x")])


def test_a_table_with_cell_keys_shows_perturbed_counts():
    from outcomes.disclosure import TOTAL, count_perturbation

    counts = {("a", "x"): 30, ("a", "y"): 40}
    keys = {
        ("a", "x"): 5,
        ("a", "y"): 7,
        ("a", TOTAL): 12,
        (TOTAL, "x"): 5,
        (TOTAL, "y"): 7,
        (TOTAL, TOTAL): 12,
    }
    table = protect_table(counts, ("a",), ("x", "y"), keys=keys)
    rule = Rule()
    assert table.cell("a", "x").value == rule.round(30 + count_perturbation(5))
    assert table.row_totals["a"].value == rule.round(70 + count_perturbation(12))
