"""Occasions written straight into the analytical store, for tests of what is read back."""

from __future__ import annotations

import itertools

from outcomes.store import Context, Occasion, record_occasion

_refs = itertools.count()


def record_checkin(
    session,
    person,
    when,
    scores,
    *,
    team="north",
    age_band="14-15",
    gender="girl",
    strands=("criminal-exploitation",),
    kind="checkin",
    occasion_type="review",
) -> Occasion:
    """One scored check-in (domain scores only) for a person, by an int or a name."""
    return record_occasion(
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
        questionnaire_kind=kind,
        occasion_type=occasion_type,
        measured_at=when,
        indicator_scores={},
        domain_scores=scores,
    )
