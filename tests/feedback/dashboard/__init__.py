"""Helpers for the dashboard tests: data written straight into the analytical store."""

from __future__ import annotations

import itertools
from datetime import datetime

from outcomes.store import Context, ThemeRow, record_comment, record_occasion

_refs = itertools.count()


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
        occasion = record_occasion(
            session,
            Context(
                pseudonym=f"person-{person}",
                response_ref=f"response-{next(_refs)}",
                team=team,
                age_band=age_band,
                strands=tuple(strands),
                gender=gender,
            ),
            framework_code="complex-safeguarding",
            framework_version=1,
            questionnaire_code="checkin",
            questionnaire_kind="checkin",
            occasion_type=occasion_type,
            measured_at=when,
            indicator_scores={},
            domain_scores=scores if scores is not None else {"safety": 60, "education": 40},
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
