"""Statistical disclosure control: what a manager may see of a count, a statistic or a table.

The default rule is the ONS "10-5" rule:

- a count covering fewer than ``threshold`` (10) distinct young people shows ``"c"``;
- a count of ``threshold`` or more is rounded to the nearest ``rounding`` (5), halves up;
- a percentage or mean is computed from the unrounded data and shown only where its
  denominator is at least ``threshold``;
- in a table, further cells are suppressed ("secondary suppression") so that no
  suppressed cell can be worked out from the totals and the cells that are shown;
- a filtered view is checked against the views wider than it ("differencing"), so that
  two views cannot be subtracted to reveal a small group (`lattice_safe`);
- counts and the sums behind means are perturbed by the cell key method (below).

Cell key perturbation (after the ABS TableBuilder, Thompson, Broadfoot and Elazar 2013,
and ONS Census 2021). Every person in the store carries a fixed random record key; a
cell's key is the sum of its people's keys, modulo 2**32, so the same people always give
the same cell key, whichever view or output the cell is shown in. Two fixed tables, read
with different bits of the cell key, give the cell's perturbations:

- a count of ``n >= threshold`` is shown as ``rule.round(n + p)``, with ``p`` from
  `COUNT_PERTURBATION`: -2 to 2, mean 0 (0 for 40% of keys, +-1 for 20% each, +-2 for
  10% each). Rounding then gives a multiple of 5 that is never below the threshold;
- a mean over ``people`` young people (at least the threshold) is shown as
  ``mean + rule.spread * v / people``, clipped to 0-100 and rounded, with ``v`` from
  `SUM_PERTURBATION`: +-1/128 to +-1 (never 0), uniform, mean 0. That is the sum behind
  the mean perturbed by up to ``spread`` points a person: one young person's scores can
  never be read off exactly, and a mean over ``n`` people moves by at most
  ``spread / n`` points (2.5 at the default spread of 25 and 10 people).

Asking again, or through another output, gives the same figure, so repeating a query
averages nothing out. Percentages are worked out from the perturbed counts.

Public API::

    Reason = Literal["primary", "secondary", "differencing"]

    @dataclass(frozen=True) class Rule: threshold: int = 10; rounding: int = 5;
        spread: float = 25.0
        def round(self, n: int) -> int          # to the nearest `rounding`, halves up
        def safe(self, complement: int) -> bool # 0 or at least the threshold
    CELL_KEYS = 2**32; COUNT_PERTURBATION; SUM_PERTURBATION
    cell_key(key_sum) -> int; count_perturbation(key) -> int; sum_perturbation(key) -> float
    lattice_safe(complement: int, others: Iterable[int], rule) -> bool
    TOTAL                                       # the label of a table's margins
    DEFAULT_RULE = Rule()
    SUPPRESSED = "c"
    @dataclass(frozen=True) class Shown:
        display: str                 # "c", or the rounded count / formatted statistic
        value: int | float | None    # rounded; None when suppressed
        suppressed: bool
        reason: Reason | None        # None when shown

    @dataclass(frozen=True) class Totals:          # input only: true totals of people
        rows: Mapping[str, int] | None = None
        cols: Mapping[str, int] | None = None
        grand: int | None = None

    @dataclass(frozen=True) class ProtectedTable:
        rows: tuple[str, ...]; cols: tuple[str, ...]
        cells: Mapping[tuple[str, str], Shown]
        row_totals: Mapping[str, Shown]; col_totals: Mapping[str, Shown]
        grand_total: Shown
        def cell(self, row: str, col: str) -> Shown

    def protect_count(n: int, rule: Rule = DEFAULT_RULE, *, key: int | None = None) -> Shown
    def perturbed_count(n: int, key: int) -> int
    def protect_mean(total: float, scores: int, people: int, key: int, rule) -> Shown
    def protect_statistic(value: float | None, denominator: int, rule: Rule = DEFAULT_RULE, *,
                          places: int = 0, suffix: str = "") -> Shown
    def protect_percentage(numerator: int, denominator: int, rule: Rule = DEFAULT_RULE, *,
                           places: int = 0) -> Shown
    def protect_table(counts: Mapping[tuple[str, str], int], rows: Sequence[str],
                      cols: Sequence[str], rule: Rule = DEFAULT_RULE, *,
                      totals: Totals | None = None,
                      unsafe: Iterable[tuple[str, str]] = (),
                      keys: Mapping[tuple[str, str], int] | None = None) -> ProtectedTable
        # unsafe: cells (TOTAL for a margin) hidden for differencing; keys: cell keys of
        # the cells and margins, to perturb the counts shown
    def complement_safe(filtered_n: int, unfiltered_n: int, rule: Rule = DEFAULT_RULE) -> bool
    def protect_filtered_table(filtered: Mapping[tuple[str, str], int],
                               unfiltered: Mapping[tuple[str, str], int],
                               rows: Sequence[str], cols: Sequence[str],
                               rule: Rule = DEFAULT_RULE, *,
                               filtered_totals: Totals | None = None,
                               unfiltered_totals: Totals | None = None) -> ProtectedTable

Tables. ``counts`` maps ``(row, col)`` to a count of young people; a missing key is a
zero, because SQL ``GROUP BY`` leaves empty groups out. Totals are the sums of the cells
unless ``totals`` gives the true number of distinct people (a young person can sit in
several columns, e.g. several exploitation strands, so a total of people can be less than
the sum). Secondary suppression treats every total as if it were the sum of its parts
whatever was passed: that is conservative, since a sum is what lets an attacker work a
cell out. A one-way table is a table with one column; its row totals then repeat the
cells and can be ignored.

Rounded cells are rounded independently of their totals, so shown cells need not add up
to the shown total; that is intended (it is part of the protection).

Secondary suppression works on the table with its margins as one grid of lines: each row
with its row total, each column with its column total, the column totals with the grand
total and the row totals with the grand total. First, any line with exactly one suppressed
entry gets a second, repeated until stable. The second is chosen, in order of preference:
a cell whose crossing line already has a suppression (so it closes the pattern rather than
opening a new line), an interior cell before a total, the smallest value. That alone is
not enough: a suppressed cell can still be pinned down by combining several lines (for
example, a cell that is the only link between two otherwise separate blocks of suppressed
cells). Seen as a bipartite graph, rows against columns with suppressed cells as edges, a
suppressed cell is recoverable from the line sums exactly when its edge is a bridge; so
each remaining bridge is closed into a cycle along the cheapest path of further
suppressions. The result: no suppressed cell is determined by the shown values and the
line equations, even if the shown values were exact.

Nothing that leaves this module carries an unrounded count: ``Shown`` holds the rounded
value or ``None``, and ``ProtectedTable`` holds only ``Shown`` objects.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

__all__ = [
    "CELL_KEYS",
    "COUNT_PERTURBATION",
    "DEFAULT_RULE",
    "SUM_PERTURBATION",
    "TOTAL",
    "SUPPRESSED",
    "ProtectedTable",
    "Reason",
    "Rule",
    "Shown",
    "Totals",
    "cell_key",
    "complement_safe",
    "count_perturbation",
    "lattice_safe",
    "perturbed_count",
    "protect_mean",
    "sum_perturbation",
    "protect_count",
    "protect_filtered_table",
    "protect_percentage",
    "protect_statistic",
    "protect_table",
]

Reason = Literal["primary", "secondary", "differencing"]
REASONS: tuple[Reason, ...] = ("primary", "secondary", "differencing")

SUPPRESSED = "c"
TOTAL = "\x00total"  # the label of a table's margins, which no row or column can have

CELL_KEYS = 2**32
# The p-tables: 256 entries each, read with the low byte of the cell key for counts and
# the next byte for sums, so the two perturbations of a cell are independent. Record keys
# are uniform, so every entry is as likely as any other.
COUNT_PERTURBATION: tuple[int, ...] = (0,) * 102 + (1, -1) * 51 + (2, -2) * 26
SUM_PERTURBATION: tuple[float, ...] = tuple(
    sign * k / 128 for k in range(1, 129) for sign in (1, -1)
)


@dataclass(frozen=True, slots=True)
class Rule:
    threshold: int = 10
    rounding: int = 5
    # How far, in points of one person's score, the sum behind a mean may be moved.
    spread: float = 25.0

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ValueError("threshold must be at least 1")
        if self.rounding < 1:
            raise ValueError("rounding must be at least 1")
        if self.spread < 0:
            raise ValueError("spread cannot be negative")

    def safe(self, complement: int) -> bool:
        """Whether a group that two views differ by may be revealed by subtracting them:
        nobody, or at least the threshold."""
        return complement == 0 or complement >= self.threshold

    def round(self, n: int) -> int:
        # Half up, not Python's half-to-even, so the published rule is followed exactly:
        # with base 10, 15 -> 20 and 25 -> 30. Integer arithmetic avoids float error.
        return (2 * n + self.rounding) // (2 * self.rounding) * self.rounding


DEFAULT_RULE = Rule()


def cell_key(key_sum: int) -> int:
    return key_sum % CELL_KEYS


def count_perturbation(key: int) -> int:
    return COUNT_PERTURBATION[cell_key(key) % 256]


def sum_perturbation(key: int) -> float:
    return SUM_PERTURBATION[cell_key(key) // 256 % 256]


def lattice_safe(complement: int, others: Iterable[int], rule: Rule = DEFAULT_RULE) -> bool:
    """Whether a view may be shown beside every wider view that adds to it a group of
    ``complement`` people (the same teams, some filters dropped) and any set of the other
    teams, each of ``others`` being what one other team adds.

    The groups the wider views add are the complement plus any sum of ``others``. If the
    complement reaches the threshold, so does every such sum; if it is a small group, the
    view is unsafe; if it is empty, the smallest non-empty sum is one team's own count, so
    each other team must add nobody or at least the threshold.
    """
    if not rule.safe(complement):
        return False
    return complement > 0 or all(rule.safe(n) for n in others)


@dataclass(frozen=True, slots=True)
class Shown:
    display: str
    value: int | float | None
    suppressed: bool
    reason: Reason | None

    def __post_init__(self) -> None:
        # Guard the invariant here so that no code path can build a suppressed cell that
        # still carries a number.
        if self.suppressed:
            if self.value is not None or self.display != SUPPRESSED or self.reason not in REASONS:
                raise ValueError("a suppressed cell shows 'c', no value, and a reason")
        elif self.value is None or self.reason is not None:
            raise ValueError("a shown cell has a value and no reason")


@dataclass(frozen=True, slots=True)
class Totals:
    """True totals of distinct people, where they are not simply the sums of the cells."""

    rows: Mapping[str, int] | None = None
    cols: Mapping[str, int] | None = None
    grand: int | None = None


@dataclass(frozen=True)
class ProtectedTable:
    rows: tuple[str, ...]
    cols: tuple[str, ...]
    cells: Mapping[tuple[str, str], Shown]
    row_totals: Mapping[str, Shown]
    col_totals: Mapping[str, Shown]
    grand_total: Shown

    def cell(self, row: str, col: str) -> Shown:
        return self.cells[(row, col)]


def _suppressed(reason: Reason) -> Shown:
    return Shown(display=SUPPRESSED, value=None, suppressed=True, reason=reason)


def _shown_count(n: int, rule: Rule, key: int | None = None) -> Shown:
    rounded = rule.round(n if key is None else perturbed_count(n, key))
    return Shown(display=f"{rounded:,}", value=rounded, suppressed=False, reason=None)


def _check_count(n: int, what: str = "count") -> None:
    if n < 0:
        raise ValueError(f"{what} cannot be negative: {n}")


def protect_count(n: int, rule: Rule = DEFAULT_RULE, *, key: int | None = None) -> Shown:
    """A count of people; with its cell key, perturbed before it is rounded."""
    _check_count(n)
    # Zero is "fewer than threshold" too and is suppressed: "nobody in this team was
    # exploited online" is as much a disclosure about a small group as "one was", and
    # showing zeros but not ones would tell the reader that a "c" means at least one.
    if n < rule.threshold:
        return _suppressed("primary")
    return _shown_count(n, rule, key)


def perturbed_count(n: int, key: int) -> int:
    """The unrounded count that percentages are worked out from: never the true one."""
    return n + count_perturbation(key)


def protect_mean(
    total: float, scores: int, people: int, key: int, rule: Rule = DEFAULT_RULE
) -> Shown:
    """The mean of ``scores`` scores (0-100) summing to ``total``, given by ``people``
    young people, with the sum perturbed by the cell key: see the module notes."""
    _check_count(people, "people")
    if people < rule.threshold:
        return _suppressed("primary")
    if scores < people:
        raise ValueError("every person counted gave at least one score")
    mean = total / scores + rule.spread * sum_perturbation(key) / people
    return protect_statistic(min(100.0, max(0.0, mean)), people, rule)


def protect_statistic(
    value: float | None,
    denominator: int,
    rule: Rule = DEFAULT_RULE,
    *,
    places: int = 0,
    suffix: str = "",
) -> Shown:
    """A mean or percentage computed by the caller from unrounded data."""
    _check_count(denominator, "denominator")
    if denominator < rule.threshold:
        return _suppressed("primary")
    if value is None or not math.isfinite(value):
        raise ValueError(f"a statistic over {denominator} people needs a finite value")
    # Only the rounded figure is kept: a mean to many places times a known denominator
    # gives back the exact total.
    rounded = round(value, places) + 0.0  # + 0.0 turns -0.0 into 0.0
    return Shown(
        display=f"{rounded:,.{places}f}{suffix}", value=rounded, suppressed=False, reason=None
    )


def protect_percentage(
    numerator: int,
    denominator: int,
    rule: Rule = DEFAULT_RULE,
    *,
    places: int = 0,
) -> Shown:
    """``numerator`` out of ``denominator`` as a percentage, from the unrounded counts.

    Shown wherever the denominator reaches the threshold, as the rule says, even when the
    numerator is small: do not print the percentage beside a suppressed numerator or
    denominator, since one recovers the other.
    """
    _check_count(numerator, "numerator")
    _check_count(denominator, "denominator")
    if numerator > denominator:
        raise ValueError("numerator cannot exceed denominator")
    if denominator < rule.threshold:
        return _suppressed("primary")
    return protect_statistic(
        100 * numerator / denominator, denominator, rule, places=places, suffix="%"
    )


def complement_safe(
    filtered_n: int,
    unfiltered_n: int,
    rule: Rule = DEFAULT_RULE,
) -> bool:
    """Whether a filtered count may be shown beside the unfiltered one.

    The complement (those the filter left out) is revealed by subtraction; it is safe when
    it is empty (the two views are the same group) or at least the threshold.
    """
    _check_count(filtered_n)
    complement = unfiltered_n - filtered_n
    if complement < 0:
        raise ValueError("a filtered count cannot exceed the unfiltered count")
    return complement == 0 or complement >= rule.threshold


# --- tables -------------------------------------------------------------------------------
#
# Internally a table is an (R+1) x (C+1) grid of raw counts: index R is the row of column
# totals, index C the column of row totals, (R, C) the grand total. This grid never leaves
# the module.

_Pos = tuple[int, int]
_Node = tuple[str, int]  # ("r", row) or ("c", column) in the graph of suppressed cells


def _grid(
    counts: Mapping[tuple[str, str], int],
    rows: tuple[str, ...],
    cols: tuple[str, ...],
    totals: Totals | None,
) -> list[list[int]]:
    if not rows or not cols:
        raise ValueError("a table needs at least one row and one column")
    if len(set(rows)) != len(rows) or len(set(cols)) != len(cols):
        raise ValueError("row and column labels must be unique")
    row_index = {r: i for i, r in enumerate(rows)}
    col_index = {c: j for j, c in enumerate(cols)}
    grid = [[0] * (len(cols) + 1) for _ in range(len(rows) + 1)]
    for (r, c), n in counts.items():
        if r not in row_index or c not in col_index:
            # A stray key would silently go missing from the totals.
            raise ValueError(f"count for unknown cell {(r, c)!r}")
        _check_count(n)
        grid[row_index[r]][col_index[c]] = n
    R, C = len(rows), len(cols)
    for i in range(R):
        grid[i][C] = sum(grid[i][:C])
    for j in range(C):
        grid[R][j] = sum(grid[i][j] for i in range(R))
    grid[R][C] = sum(grid[i][C] for i in range(R))
    if totals is not None:
        _apply_totals(grid, totals, row_index, col_index)
    return grid


def _apply_totals(
    grid: list[list[int]],
    totals: Totals,
    row_index: Mapping[str, int],
    col_index: Mapping[str, int],
) -> None:
    R, C = len(row_index), len(col_index)
    for labels, given, place in (
        (row_index, totals.rows, lambda k: (k, C)),
        (col_index, totals.cols, lambda k: (R, k)),
    ):
        if given is None:
            continue
        if set(given) != set(labels):
            raise ValueError("totals must cover exactly the table's rows or columns")
        for label, n in given.items():
            _check_count(n, "total")
            i, j = place(labels[label])
            grid[i][j] = n
    if totals.grand is not None:
        _check_count(totals.grand, "total")
        grid[R][C] = totals.grand


def _lines(R: int, C: int) -> list[list[_Pos]]:
    """Every row and column of the grid, margins included: each is parts plus a total."""
    return [[(i, j) for j in range(C + 1)] for i in range(R + 1)] + [
        [(i, j) for i in range(R + 1)] for j in range(C + 1)
    ]


def _cost(grid: list[list[int]], pos: _Pos) -> tuple[int, int]:
    # Interior cells before marginal totals before the grand total, because a total is
    # what readers most want; then the smallest value, to lose the least information.
    i, j = pos
    R, C = len(grid) - 1, len(grid[0]) - 1
    return (int(i == R) + int(j == C), grid[i][j])


def _secondary(grid: list[list[int]], reasons: dict[_Pos, Reason]) -> None:
    R, C = len(grid) - 1, len(grid[0]) - 1
    lines = _lines(R, C)

    def crossing(line: list[_Pos], pos: _Pos) -> list[_Pos]:
        i, j = pos
        if line[0][0] == line[-1][0]:  # a row: the crossing line is the column
            return [(k, j) for k in range(R + 1)]
        return [(i, k) for k in range(C + 1)]

    def opens_new_line(line: list[_Pos], pos: _Pos) -> bool:
        return not any(q in reasons for q in crossing(line, pos))

    while True:
        changed = True
        while changed:
            changed = False
            for line in lines:
                if sum(pos in reasons for pos in line) == 1:
                    # A cell whose crossing line already has a suppression closes the
                    # pattern instead of starting a new line that needs a partner of its
                    # own; on random tables this halves the secondary suppressions
                    # (one small cell otherwise cascades into a staircase across the table).
                    pick = min(
                        (p for p in line if p not in reasons),
                        key=lambda p: (opens_new_line(line, p), _cost(grid, p), p),
                    )
                    reasons[pick] = "secondary"
                    changed = True
        bridge = _find_bridge(reasons, R, C)
        if bridge is None:
            return
        for pos in _cheapest_detour(grid, reasons, bridge):
            reasons[pos] = "secondary"


def _find_bridge(reasons: Mapping[_Pos, Reason], R: int, C: int) -> _Pos | None:
    """A suppressed cell whose value the line equations pin down, if any.

    Rows and columns are nodes, suppressed cells edges. A change to suppressed values that
    keeps every line sum must be a signed cycle in this graph, so a cell on no cycle (a
    bridge) cannot change: it is recoverable.
    """
    adjacent: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for i, j in reasons:
        adjacent.setdefault(("r", i), []).append(("c", j))
        adjacent.setdefault(("c", j), []).append(("r", i))
    # Tarjan's bridges, iteratively, in one pass over the graph; the smallest is returned
    # so that the choice does not depend on the order of the search.
    order: dict[tuple[str, int], int] = {}
    low: dict[tuple[str, int], int] = {}
    bridges: list[_Pos] = []
    for root in sorted(adjacent):
        if root in order:
            continue
        order[root] = low[root] = len(order)
        # Each frame: a node, the node it was reached from, and its neighbours still to see.
        stack: list[tuple[_Node, _Node | None, Iterator[_Node]]] = [
            (root, None, iter(adjacent[root]))
        ]
        while stack:
            node, parent, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if parent is not None:
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        bridges.append(_edge(parent, node))
                continue
            if child == parent:
                continue  # one edge between two lines: a cell is never there twice
            if child in order:
                low[node] = min(low[node], order[child])
            else:
                order[child] = low[child] = len(order)
                stack.append((child, node, iter(adjacent[child])))
    return min(bridges) if bridges else None


def _edge(a: tuple[str, int], b: tuple[str, int]) -> _Pos:
    row, col = (a, b) if a[0] == "r" else (b, a)
    return (row[1], col[1])


def _cheapest_detour(
    grid: list[list[int]], reasons: Mapping[_Pos, Reason], bridge: _Pos
) -> list[_Pos]:
    """Cells to suppress so that ``bridge`` lies on a cycle: the cheapest other path
    from its row to its column, where already suppressed cells cost nothing.

    Every node inside a path gains two path edges, so no line is left with exactly one
    suppressed entry.
    """
    R, C = len(grid) - 1, len(grid[0]) - 1
    start, goal = ("r", bridge[0]), ("c", bridge[1])
    zero = (0, 0, 0)
    best: dict[tuple[str, int], tuple[int, int, int]] = {start: zero}
    came: dict[tuple[str, int], tuple[str, int]] = {}
    heap = [(zero, start)]
    while heap:
        cost, node = heapq.heappop(heap)
        if node == goal:
            break
        if cost > best[node]:
            continue
        side, k = node
        others = (
            [("c", j) for j in range(C + 1)] if side == "r" else [("r", i) for i in range(R + 1)]
        )
        for nxt in others:
            pos = (k, nxt[1]) if side == "r" else (nxt[1], k)
            if pos == bridge:
                continue
            if pos in reasons:
                step = zero
            else:
                rank, value = _cost(grid, pos)
                step = (1, rank, value)
            total = (cost[0] + step[0], cost[1] + step[1], cost[2] + step[2])
            if nxt not in best or total < best[nxt]:
                best[nxt] = total
                came[nxt] = node
                heapq.heappush(heap, (total, nxt))
    path: list[_Pos] = []
    node = goal
    while node != start:
        prev = came[node]
        path.append((prev[1], node[1]) if prev[0] == "r" else (node[1], prev[1]))
        node = prev
    return [pos for pos in path if pos not in reasons]


def _primary(grid: list[list[int]], rule: Rule) -> dict[_Pos, Reason]:
    # Zeros included; see protect_count.
    return {
        (i, j): "primary"
        for i, line in enumerate(grid)
        for j, n in enumerate(line)
        if n < rule.threshold
    }


def _positions(rows: tuple[str, ...], cols: tuple[str, ...]) -> dict[tuple[str, str], _Pos]:
    """Every cell and margin of the grid by its labels, TOTAL naming the margins."""
    labels, columns = [*rows, TOTAL], [*cols, TOTAL]
    return {(r, c): (i, j) for i, r in enumerate(labels) for j, c in enumerate(columns)}


def _publish(
    grid: list[list[int]],
    reasons: Mapping[_Pos, Reason],
    rows: tuple[str, ...],
    cols: tuple[str, ...],
    rule: Rule,
    keys: Mapping[_Pos, int] | None = None,
) -> ProtectedTable:
    def shown(i: int, j: int) -> Shown:
        reason = reasons.get((i, j))
        if reason:
            return _suppressed(reason)
        return _shown_count(grid[i][j], rule, None if keys is None else keys.get((i, j), 0))

    R, C = len(rows), len(cols)
    return ProtectedTable(
        rows=rows,
        cols=cols,
        cells=MappingProxyType(
            {(r, c): shown(i, j) for i, r in enumerate(rows) for j, c in enumerate(cols)}
        ),
        row_totals=MappingProxyType({r: shown(i, C) for i, r in enumerate(rows)}),
        col_totals=MappingProxyType({c: shown(R, j) for j, c in enumerate(cols)}),
        grand_total=shown(R, C),
    )


def protect_table(
    counts: Mapping[tuple[str, str], int],
    rows: Sequence[str],
    cols: Sequence[str],
    rule: Rule = DEFAULT_RULE,
    *,
    totals: Totals | None = None,
    unsafe: Iterable[tuple[str, str]] = (),
    keys: Mapping[tuple[str, str], int] | None = None,
) -> ProtectedTable:
    """Primary suppression, the ``unsafe`` cells and margins hidden for differencing (the
    caller knows the wider views), and secondary suppression over all of them. With
    ``keys`` (cell keys by cell, TOTAL naming margins; a missing one counts as 0) the
    counts shown are perturbed."""
    rows, cols = tuple(rows), tuple(cols)
    grid = _grid(counts, rows, cols, totals)
    reasons = _primary(grid, rule)
    where = _positions(rows, cols)
    for label in unsafe:
        if label not in where:
            raise ValueError(f"no cell {label!r} to hide")
        reasons.setdefault(where[label], "differencing")
    _secondary(grid, reasons)
    by_position = None if keys is None else {where[label]: k for label, k in keys.items()}
    return _publish(grid, reasons, rows, cols, rule, by_position)


def protect_filtered_table(
    filtered: Mapping[tuple[str, str], int],
    unfiltered: Mapping[tuple[str, str], int],
    rows: Sequence[str],
    cols: Sequence[str],
    rule: Rule = DEFAULT_RULE,
    *,
    filtered_totals: Totals | None = None,
    unfiltered_totals: Totals | None = None,
) -> ProtectedTable:
    """The filtered table, safe to show beside the unfiltered one.

    A cell (totals included) whose complement in the unfiltered table is a small non-empty
    group is suppressed with reason "differencing"; secondary suppression then runs over
    the filtered table. The unfiltered table is protected on its own with ``protect_table``.
    """
    rows, cols = tuple(rows), tuple(cols)
    grid = _grid(filtered, rows, cols, filtered_totals)
    whole = _grid(unfiltered, rows, cols, unfiltered_totals)
    reasons = _primary(grid, rule)
    for i, line in enumerate(grid):
        for j, n in enumerate(line):
            safe = complement_safe(n, whole[i][j], rule)  # raises on inconsistent data first
            if (i, j) not in reasons and not safe:
                reasons[(i, j)] = "differencing"
    _secondary(grid, reasons)
    return _publish(grid, reasons, rows, cols, rule)
