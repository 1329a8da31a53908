"""Helpers for the dashboard tests: data written straight into the analytical store."""

from __future__ import annotations

import re
from datetime import datetime

from outcomes.store import ThemeRow, record_comment
from tests.outcomes.store_data import record_checkin


def seed(
    session,
    people,
    *,
    when=datetime(2026, 3, 10),
    team="north",
    scores=None,
    gender="girl",
    age_band="14-15",
    strands=("criminal-exploitation",),
    themes=(),
    quote=None,
    occasion_type="review",
):
    """One check-in each for the given people (ints or names), flushed; returns occasions."""
    occasions = []
    for person in people:
        occasion = record_checkin(
            session,
            person,
            when,
            scores if scores is not None else {"safety": 60, "education": 40},
            team=team,
            age_band=age_band,
            gender=gender,
            strands=strands,
            occasion_type=occasion_type,
        )
        if themes or quote:
            record_comment(
                session,
                occasion,
                question="going-well",
                sentiment="positive",
                polarity=0.4,
                themes=tuple(ThemeRow(code, "listened-to", s) for code, s in themes),
                quote=quote,
            )
        occasions.append(occasion)
    return occasions


def cell(html: str, table_key: str, row_label: str) -> list[str]:
    """The cells of a row of a table on the page, as text."""
    table = html[html.index(f'id="table-{table_key}"') :]
    table = table[: table.index("</table>")]
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        if cells and cells[0] == row_label:
            return cells[1:]
    raise AssertionError(f"no row {row_label!r} in {table_key}")
