"""Scoring: answers, facts and goal ratings in; indicator and domain scores out.

Pure functions: no database, no app. The worked examples in
``definitions/frameworks/complex-safeguarding-v1.yaml`` are the specification, and the
tests are written from them.

Indicator scores. Each question's type scores its answer on the points of its
indicator's scale (see `outcomes.question_types`): scored options map in order onto the
points (worst to best) and ``reverse`` flips the order. Unscored options ("not sure"),
``RATHER_NOT_SAY``, a missing answer and a value that is not one of the options give no
score. Facts a practitioner records are scored by `score_facts`, goal ratings by
`score_goals`.

Domain scores and coverage. A domain's score is the mean of its indicators that were
scored on the occasion. It is None when fewer than the framework's ``domain_coverage``
share of the indicators the occasion *could have measured* in that domain were scored.
The indicators an occasion could have measured are:

- the indicators fed by the questionnaire's scored questions (only the questions in
  ``questions`` when that is given), answered or not; and
- the indicators given as facts or goal ratings on that occasion.

So a domain nobody asked about gets no entry at all, while a domain that was asked about
and left unanswered gets None. In `combine`, an indicator present with the value None is
one that could have been measured but was not.

Indicators the framework lacks. Answers scored under a framework other than the one the
questionnaire was written for (rescoring under a new version) may name an indicator that
version dropped, or one whose scale has a different number of points. Those answers are
skipped, not fatal, and listed in `Scores.skipped`; `outcomes.rescore` reports them.
Under the questionnaire's own framework this cannot happen, since
`outcomes.framework.check_all` refuses such a pairing at start-up.

Public API::

    @dataclass(frozen=True) class Scores:
        indicators: dict[str, float]          # full code -> 0-100, scored ones only
        domains: dict[str, float | None]      # domain code -> mean, None below coverage
        skipped: tuple[str, ...] = ()         # indicator codes of answers not scorable here

    @dataclass(frozen=True) class Measured:
        scores: dict[str, float | None]       # None: asked, but no score
        skipped: tuple[str, ...]

    measure_answers(questionnaire, answers, framework, *, questions=None) -> Measured
    score_answers(questionnaire, answers, framework, *, questions=None) -> Scores
    score_facts(framework, facts) -> dict[str, float]
    score_goals(progress) -> float | None
    combine(framework, *indicator_dicts, skipped=()) -> Scores
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from outcomes.framework import Framework
from outcomes.questionnaires import Questionnaire

GOAL_INDICATOR = "hopes-goals.goal-progress"
GOAL_RATING_MAX = 10


@dataclass(frozen=True)
class Scores:
    indicators: dict[str, float]
    domains: dict[str, float | None]
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Measured:
    scores: dict[str, float | None]
    skipped: tuple[str, ...] = ()


def measure_answers(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    framework: Framework,
    *,
    questions: Collection[str] | None = None,
) -> Measured:
    """Indicator scores of the scored questions, None where a question gave no score."""
    if questions is not None:
        unknown = sorted(set(questions) - {q.id for q in questionnaire.questions})
        if unknown:
            raise ValueError(
                f"questionnaire {questionnaire.code} v{questionnaire.version} has no "
                f"question(s) {', '.join(unknown)}"
            )
    scores: dict[str, float | None] = {}
    skipped: list[str] = []
    for question in questionnaire.questions:
        if question.indicator is None or (questions is not None and question.id not in questions):
            continue
        value = answers.get(question.id)
        fits = framework.has_indicator(question.indicator) and len(
            framework.indicator(question.indicator).scale.points
        ) == len(question.scored_options)
        if not fits:
            if question.kind.scored_place(question, value) is not None:
                skipped.append(question.indicator)
            continue
        points = framework.indicator(question.indicator).scale.points
        scores[question.indicator] = question.kind.score(question, value, points)
    return Measured(scores, tuple(skipped))


def score_answers(
    questionnaire: Questionnaire,
    answers: Mapping[str, Any],
    framework: Framework,
    *,
    questions: Collection[str] | None = None,
) -> Scores:
    """Score one response's answers. `questions` limits scoring to those question ids
    (a practitioner sees scores only from the answers shared with the worker)."""
    measured = measure_answers(questionnaire, answers, framework, questions=questions)
    return combine(framework, measured.scores, skipped=measured.skipped)


def score_facts(framework: Framework, facts: Mapping[str, Any]) -> dict[str, float]:
    """Score practitioner-recorded facts, keyed by indicator full code.

    A count (int) for an indicator whose scale has bands, an option id for one whose
    scale has options. None means not recorded and is left out. Anything else is a
    ValueError naming the fact."""
    scores: dict[str, float] = {}
    for code, value in facts.items():
        if value is None:
            continue
        if not framework.has_indicator(code):
            raise ValueError(f"{code!r} is not an indicator of framework {framework}")
        indicator = framework.indicator(code)
        scale = indicator.scale
        if indicator.source != "practitioner" or (scale.options is None and scale.bands is None):
            raise ValueError(
                f"{code!r} is not a fact a practitioner records in framework {framework}"
            )
        if scale.bands is not None:
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{code!r} needs a count of 0 or more, got {value!r}")
            score = scale.score_count(value)
        else:
            score = scale.score_option(value) if isinstance(value, str) else None
            if score is None:
                raise ValueError(
                    f"{code!r} must be one of {', '.join(scale.options or ())}, got {value!r}"
                )
        assert score is not None  # bands cover every count: checked when the file is read
        scores[code] = score
    return scores


def score_goals(progress: Sequence[int]) -> float | None:
    """The goal-progress score: the mean of ratings 0-10, times 10. None with no goals."""
    if not progress:
        return None
    for rating in progress:
        if (
            not isinstance(rating, int)
            or isinstance(rating, bool)
            or not 0 <= rating <= GOAL_RATING_MAX
        ):
            raise ValueError(f"a goal rating must be a whole number 0-10, got {rating!r}")
    return sum(progress) / len(progress) * 10


def combine(
    framework: Framework,
    *indicator_dicts: Mapping[str, float | None],
    skipped: Iterable[str] = (),
) -> Scores:
    """Merge indicator scores from several sources and work out the domain scores.

    An indicator with the value None counts as one the occasion could have measured
    but did not (see the module docstring). An indicator given twice is a ValueError:
    there is no rule for which to believe."""
    merged: dict[str, float | None] = {}
    for scores in indicator_dicts:
        for code, score in scores.items():
            if not framework.has_indicator(code):
                raise ValueError(f"{code!r} is not an indicator of framework {framework}")
            if code in merged:
                raise ValueError(f"indicator {code!r} is scored twice on one occasion")
            if score is not None and not 0 <= score <= 100:
                raise ValueError(f"indicator {code!r} has score {score}, outside 0-100")
            merged[code] = score

    coverage = framework.settings.domain_coverage
    indicators: dict[str, float] = {}
    domains: dict[str, float | None] = {}
    for domain in framework.domains:
        possible = [i.full_code for i in domain.indicators if i.full_code in merged]
        if not possible:
            continue
        answered: list[float] = []
        for code in possible:
            score = merged[code]
            if score is not None:
                indicators[code] = score
                answered.append(score)
        if not answered or len(answered) / len(possible) < coverage:
            domains[domain.code] = None
        else:
            domains[domain.code] = sum(answered) / len(answered)
    return Scores(indicators, domains, tuple(skipped))
