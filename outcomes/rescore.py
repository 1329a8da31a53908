"""Scoring a whole response, on submit and when rescoring under a new framework version.

`score_response` is the one place a response becomes scores: the app calls it when a
response is submitted, and `rescore` calls it for every stored response, so the two
cannot drift apart.

Rescoring under another version writes a second set of occasions beside the first
(`store.record_occasion` replaces only a scoring under the same framework version), so
reports can run under either version while the service moves over.

Answers the version cannot score are skipped, not fatal: a question whose indicator the
version dropped, or whose indicator's scale now has a different number of points, and
facts or goal ratings for an indicator the version dropped. The skipped answers are
counted in the `RescoreReport` and logged as a warning. A fact the version still has but
whose recorded value it no longer accepts is an error, since that means the new version
changed the meaning of an indicator without a new code.

Public API::

    @dataclass(kw_only=True) class RawResponse: context, questionnaire_code,
        questionnaire_version, answers, facts={}, goals=[], submitted_at, occasion_type
    score_response(framework, raw) -> Scores
    record_response(session, framework, raw) -> (Occasion, Scores)   # score and write one
    @dataclass(frozen=True) class RescoreReport:
        occasions: int; skipped_answers: int; skipped_by_indicator: dict[str, int]
    rescore_report(session, framework, responses) -> RescoreReport
    rescore(session, framework, responses) -> int     # occasions written
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from outcomes import store
from outcomes.framework import Framework
from outcomes.questionnaires import get_questionnaire
from outcomes.scoring import (
    GOAL_INDICATOR,
    Scores,
    combine,
    measure_answers,
    score_facts,
    score_goals,
)

log = logging.getLogger(__name__)


# Keyword-only, so that facts and goals can default to none without reordering fields.
@dataclass(kw_only=True)
class RawResponse:
    """A submitted response as the app keeps it, with nothing the store may not hold.

    ``facts`` are practitioner-recorded facts keyed by indicator full code (see
    `outcomes.scoring.score_facts`); ``goals`` are the young person's goal ratings 0-10."""

    context: store.Context
    questionnaire_code: str
    questionnaire_version: int
    answers: dict[str, Any]
    facts: dict[str, Any] = field(default_factory=dict)
    goals: list[int] = field(default_factory=list)
    submitted_at: datetime
    occasion_type: store.OccasionType


def score_response(framework: Framework, raw: RawResponse) -> Scores:
    """Answers, facts and goal ratings of one response scored under `framework`."""
    questionnaire = get_questionnaire(raw.questionnaire_code, raw.questionnaire_version)
    measured = measure_answers(questionnaire, raw.answers, framework)
    skipped = list(measured.skipped)

    known_facts = {}
    for code, value in raw.facts.items():
        if framework.has_indicator(code):
            known_facts[code] = value
        elif value is not None:
            skipped.append(code)

    goals: dict[str, float | None] = {}
    goal_score = score_goals(raw.goals)
    if goal_score is not None:
        if framework.has_indicator(GOAL_INDICATOR):
            goals[GOAL_INDICATOR] = goal_score
        else:
            skipped.append(GOAL_INDICATOR)

    return combine(
        framework, measured.scores, score_facts(framework, known_facts), goals, skipped=skipped
    )


def record_response(
    session: Session,
    framework: Framework,
    raw: RawResponse,
    comments: Sequence[store.NewComment] = (),
) -> tuple[store.Occasion, Scores]:
    """Score one response under `framework` and write its occasion, with the comments on
    its free text if given: what sending a response does and what rescoring repeats, so
    the two cannot drift apart. One update of the summaries. Flushes."""
    questionnaire = get_questionnaire(raw.questionnaire_code, raw.questionnaire_version)
    scores = score_response(framework, raw)
    occasion = store.record_occasion(
        session,
        raw.context,
        framework_code=framework.code,
        framework_version=framework.version,
        questionnaire_code=questionnaire.code,
        questionnaire_kind=questionnaire.kind,
        occasion_type=raw.occasion_type,
        measured_at=raw.submitted_at,
        indicator_scores=scores.indicators,
        domain_scores=scores.domains,
        comments=comments,
    )
    return occasion, scores


@dataclass(frozen=True)
class RescoreReport:
    occasions: int
    skipped_answers: int
    skipped_by_indicator: dict[str, int]


def rescore_report(
    session: Session, framework: Framework, responses: Iterable[RawResponse]
) -> RescoreReport:
    """Score every response under `framework` and write its occasion. Flushes; the caller
    commits, so a failure part-way leaves the earlier scoring untouched."""
    occasions = 0
    skipped: Counter[str] = Counter()
    for raw in responses:
        _occasion, scores = record_response(session, framework, raw)
        skipped.update(scores.skipped)
        occasions += 1
    if skipped:
        log.warning(
            "rescoring under %s skipped %d answer(s) for indicators it cannot score: %s",
            framework,
            skipped.total(),
            ", ".join(f"{code} ({n})" for code, n in sorted(skipped.items())),
        )
    return RescoreReport(occasions, skipped.total(), dict(sorted(skipped.items())))


def rescore(session: Session, framework: Framework, responses: Iterable[RawResponse]) -> int:
    """`rescore_report`, returning just the number of occasions written."""
    return rescore_report(session, framework, responses).occasions
