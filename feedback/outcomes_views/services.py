"""Case facts, goals, a case's journey, and rescoring. Services flush; callers commit.

A practitioner's view of a young person's journey is worked out here from the raw
answers, not read from the analytical store: the store holds every scored answer,
including those the young person was told only the service would read, and the worker
must see scores from the answers shared with them and nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.cases.models import Case
from feedback.i18n import s_, sl_
from feedback.outcomes_views.models import MAX_GOALS, CaseFacts, Goal, GoalRating
from feedback.responses.models import Response
from feedback.responses.services import (
    anonymous_context,
    context_for,
    occasion_type_for,
    questionnaire_of,
)
from outcomes.distance import DomainChange, domain_change
from outcomes.framework import KIND_SOURCES, Framework, get_framework
from outcomes.questionnaires import get_questionnaire
from outcomes.rescore import RawResponse
from outcomes.scoring import GOAL_INDICATOR, combine, measure_answers, score_facts, score_goals

# Each recorded fact and the framework indicator it is scored on. The values stored are
# the option ids of the indicator's scale (see complex-safeguarding-v1.yaml).
FACT_INDICATORS: dict[str, str] = {
    "missing_episodes": "going-missing.missing-episodes",
    "in_education": "education.in-education",
    "living_at_home": "family-home.living-at-home",
    "in_borough": "safety.in-borough",
}
# The words of each option, translated where they are shown.
FACT_OPTIONS: dict[str, dict[str, object]] = {
    "in_education": {
        "yes": sl_("Yes, full-time"),
        "partly": sl_("Partly: part-time or some of the time"),
        "no": sl_("No"),
    },
    "living_at_home": {
        "home": sl_("At home or with family"),
        "placement": sl_("In a placement or supported accommodation"),
    },
    "in_borough": {"in": sl_("In the borough"), "out": sl_("Out of the borough")},
}
# How the admins' framework page names each fact that feeds an indicator.
FACT_FEED_TEXT = {
    "missing_episodes": sl_("Case facts: missing episodes"),
    "in_education": sl_("Case facts: in education"),
    "living_at_home": sl_("Case facts: living at home"),
    "in_borough": sl_("Case facts: in borough"),
}


# --- case facts -------------------------------------------------------------------------


@dataclass(frozen=True)
class FactValues:
    missing_episodes: int
    in_education: str
    living_at_home: str
    in_borough: str


def record_case_facts(
    session: Session, case: Case, values: FactValues, recorded_by_id: int | None, now: datetime
) -> CaseFacts:
    if not 0 <= values.missing_episodes <= 99:
        raise ValueError("missing episodes must be 0-99")
    for name, options in FACT_OPTIONS.items():
        if getattr(values, name) not in options:
            raise ValueError(f"{name} must be one of {', '.join(options)}")
    facts = CaseFacts(
        case_id=case.id,
        recorded_at=now,
        recorded_by_id=recorded_by_id,
        missing_episodes=values.missing_episodes,
        in_education=values.in_education,
        living_at_home=values.living_at_home,
        in_borough=values.in_borough,
    )
    session.add(facts)
    session.flush()
    return facts


def latest_case_facts(
    session: Session, case_id: int, on: datetime | None = None
) -> CaseFacts | None:
    """The most recent facts recorded for the case (up to `on`, when given).

    Facts recorded since the previous check-in are the newest by definition; if none were
    recorded since, the newest before it still describe the case best."""
    query = select(CaseFacts).where(CaseFacts.case_id == case_id)
    if on is not None:
        query = query.where(CaseFacts.recorded_at <= on)
    return session.scalar(query.order_by(CaseFacts.recorded_at.desc(), CaseFacts.id.desc()))


def facts_as_indicators(facts: CaseFacts | None) -> dict[str, object]:
    if facts is None:
        return {}
    return {code: getattr(facts, name) for name, code in FACT_INDICATORS.items()}


# --- goals ------------------------------------------------------------------------------


def offers_goals(response: Response, case: Case) -> bool:
    """Goals are set and rated at a named check-in while the case is open: not in an exit
    interview, nor once the case has closed."""
    questionnaire = get_questionnaire(response.questionnaire_code, response.questionnaire_version)
    return (
        response.case_id is not None and questionnaire.kind == "checkin" and case.status == "open"
    )


def active_goals(session: Session, case_id: int) -> list[Goal]:
    return list(
        session.scalars(
            select(Goal)
            .where(Goal.case_id == case_id, Goal.active.is_(True))
            .order_by(Goal.created_at, Goal.id)
        )
    )


def set_goals(session: Session, case_id: int, texts: list[str], now: datetime) -> list[Goal]:
    """Add the young person's goals (blank ones are left out), up to three in all."""
    texts = [t.strip() for t in texts if t and t.strip()]
    existing = active_goals(session, case_id)
    if len(existing) + len(texts) > MAX_GOALS:
        raise ValueError(f"a young person can have at most {MAX_GOALS} goals")
    goals = [Goal(case_id=case_id, text=t, created_at=now, active=True) for t in texts]
    session.add_all(goals)
    session.flush()
    return goals


def goals_with_latest_rating(session: Session, case_id: int) -> list[tuple[Goal, int | None]]:
    """Each active goal with its rating at the latest sent check-in that rated it (ratings
    in a draft are not the worker's to see until it is sent)."""
    goals = active_goals(session, case_id)
    latest: dict[int, int] = {}
    rows = session.execute(
        select(GoalRating.goal_id, GoalRating.rating)
        .join(Response, Response.id == GoalRating.response_id)
        .where(
            GoalRating.goal_id.in_([g.id for g in goals] or [-1]),
            Response.status == "submitted",
        )
        .order_by(Response.submitted_at, Response.id)
    )
    for goal_id, rating in rows:
        latest[goal_id] = rating
    return [(g, latest.get(g.id)) for g in goals]


def ratings_for_response(session: Session, response_id: int) -> dict[int, int]:
    """Goal id -> rating given in this response."""
    return dict(
        session.execute(
            select(GoalRating.goal_id, GoalRating.rating).where(
                GoalRating.response_id == response_id
            )
        ).all()
    )


def rate_goals(
    session: Session, response: Response, ratings: Mapping[int, int | None], now: datetime
) -> None:
    """Save the ratings given in a draft response; None ("I'd rather not say") removes
    any rating given earlier in the same draft."""
    if response.status != "draft":
        raise ValueError("the response has been sent")
    goals = {g.id: g for g in active_goals(session, response.case_id)}
    held = {
        r.goal_id: r
        for r in session.scalars(select(GoalRating).where(GoalRating.response_id == response.id))
    }
    for goal_id, rating in ratings.items():
        if goal_id not in goals:
            raise ValueError(f"goal {goal_id} is not one of this case's goals")
        if rating is not None and not 0 <= rating <= 10:
            raise ValueError("a goal rating is 0-10")
        row = held.get(goal_id)
        if rating is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(
                GoalRating(goal_id=goal_id, response_id=response.id, rating=rating, rated_at=now)
            )
        else:
            row.rating = rating
            row.rated_at = now
    session.flush()


# --- what a response is scored with ---------------------------------------------------


def scoring_facts(response: Response, *, session: Session, case: Case) -> tuple[dict, list[int]]:
    """Answers `feedback.responses.services.scoring_facts`."""
    return facts_source(session, response, case)


def facts_source(session: Session, response: Response, case: Case) -> tuple[dict, list[int]]:
    """The case facts as they stood when the response was sent, and the goal ratings
    given in it."""
    facts = latest_case_facts(session, case.id, response.submitted_at)
    goals = list(ratings_for_response(session, response.id).values())
    return facts_as_indicators(facts), goals


def occasion_types(session: Session, case_id: int) -> dict[int, str]:
    """Response id -> occasion type, as it was given when each response was sent: the
    first check-in of a case is its baseline, later ones are reviews, exit interviews
    are exits."""
    types: dict[int, str] = {}
    seen_codes: set[str] = set()
    for response in _submitted(session, case_id):
        questionnaire = get_questionnaire(
            response.questionnaire_code, response.questionnaire_version
        )
        if questionnaire.kind != "checkin":
            types[response.id] = "exit"
        else:
            first = questionnaire.code not in seen_codes
            seen_codes.add(questionnaire.code)
            types[response.id] = "baseline" if first else "review"
    return types


def _submitted(session: Session, case_id: int | None = None) -> list[Response]:
    query = select(Response).where(Response.status == "submitted", Response.case_id.is_not(None))
    if case_id is not None:
        query = query.where(Response.case_id == case_id)
    return list(
        session.scalars(query.order_by(Response.case_id, Response.submitted_at, Response.id))
    )


def raw_responses(session: Session, pseudonym_key: bytes) -> Iterator[RawResponse]:
    """Every submitted response, as `outcomes.rescore` takes it: those of a case, then
    the anonymous ones, each under the pseudonym it was sent under."""
    yield from _case_responses(session, pseudonym_key)
    anonymous = select(Response).where(Response.status == "submitted", Response.anonymous)
    for response in session.scalars(anonymous):
        yield RawResponse(
            context=anonymous_context(response.id, pseudonym_key),
            questionnaire_code=response.questionnaire_code,
            questionnaire_version=response.questionnaire_version,
            answers=response.answer_map(),
            submitted_at=response.submitted_at,
            occasion_type=occasion_type_for(session, response, questionnaire_of(response)),
        )


def _case_responses(session: Session, pseudonym_key: bytes) -> Iterator[RawResponse]:
    types_by_case: dict[int, dict[int, str]] = {}
    for response in _submitted(session):
        case = session.get(Case, response.case_id)
        if case.id not in types_by_case:
            types_by_case[case.id] = occasion_types(session, case.id)
        facts, goals = facts_source(session, response, case)
        yield RawResponse(
            context=context_for(case, response.id, pseudonym_key, response.submitted_at),
            questionnaire_code=response.questionnaire_code,
            questionnaire_version=response.questionnaire_version,
            answers=response.answer_map(),
            facts=facts,
            goals=goals,
            submitted_at=response.submitted_at,
            occasion_type=types_by_case[case.id][response.id],
        )


# --- a case's journey, from what the young person shared with their worker -------------


@dataclass(frozen=True)
class JourneyPoint:
    response_id: int
    submitted_at: datetime
    occasion_type: str
    domains: dict[str, float | None]


@dataclass(frozen=True)
class Journey:
    framework: Framework
    points: list[JourneyPoint]
    distance: list[DomainChange] = field(default_factory=list)

    @property
    def domains(self) -> list:
        """The framework's domains that have a score on at least one occasion."""
        scored = {code for p in self.points for code, s in p.domains.items() if s is not None}
        return [d for d in self.framework.domains if d.code in scored]


def worker_questions(questionnaire) -> set[str]:
    return {q.id for q in questionnaire.questions if q.shown_to_worker(questionnaire)}


def case_journey(session: Session, case: Case) -> Journey:
    """Domain scores at each of the young person's own submitted responses, scored from
    the answers they shared with their worker only, with the case facts and goal ratings
    of each; and the distance travelled from the first to the latest."""
    framework = _journey_framework()
    types = occasion_types(session, case.id)
    points: list[JourneyPoint] = []
    for response in _submitted(session, case.id):
        questionnaire = get_questionnaire(
            response.questionnaire_code, response.questionnaire_version
        )
        if KIND_SOURCES.get(questionnaire.kind) != "young-person":
            continue
        measured = measure_answers(
            questionnaire,
            response.answer_map(),
            framework,
            questions=worker_questions(questionnaire),
        )
        facts, goals = facts_source(session, response, case)
        known = {c: v for c, v in facts.items() if framework.has_indicator(c)}
        goal_scores: dict[str, float | None] = {}
        goal_score = score_goals(goals)
        if goal_score is not None and framework.has_indicator(GOAL_INDICATOR):
            goal_scores[GOAL_INDICATOR] = goal_score
        scores = combine(framework, measured.scores, score_facts(framework, known), goal_scores)
        points.append(
            JourneyPoint(response.id, response.submitted_at, types[response.id], scores.domains)
        )
    return Journey(framework, points, _distance(framework, points))


def _journey_framework() -> Framework:
    # Scores under different versions are on different rulers: the whole journey is
    # scored under the version today's check-in is written for.
    checkin = get_questionnaire("checkin")
    return get_framework(checkin.framework_code, checkin.framework_version)


def _distance(framework: Framework, points: list[JourneyPoint]) -> list[DomainChange]:
    if not points:
        return []
    baseline_point = next((p for p in points if p.occasion_type == "baseline"), points[0])
    latest_point = points[-1]
    out = []
    for domain in framework.domains:
        baseline = baseline_point.domains.get(domain.code)
        latest = None if latest_point is baseline_point else latest_point.domains.get(domain.code)
        if (
            baseline is None
            and latest is None
            and not any(p.domains.get(domain.code) is not None for p in points)
        ):
            continue
        out.append(domain_change(domain, baseline, latest))
    return out


# --- the framework as admins see it -----------------------------------------------------


@dataclass(frozen=True)
class Feed:
    """Something that feeds an indicator: a questionnaire question, or a case fact."""

    kind: str  # "question", "fact" or "goals"
    text: str
    questionnaire: str | None = None
    question_id: str | None = None
    audience: str | None = None


def indicator_feeds(framework: Framework) -> dict[str, list[Feed]]:
    from outcomes.questionnaires import all_questionnaires

    feeds: dict[str, list[Feed]] = {i.full_code: [] for i in framework.indicators}
    for (code, version), questionnaire in sorted(all_questionnaires().items()):
        if (questionnaire.framework_code, questionnaire.framework_version) != (
            framework.code,
            framework.version,
        ):
            continue
        for q in questionnaire.questions:
            if q.indicator in feeds:
                feeds[q.indicator].append(
                    Feed(
                        "question",
                        q.text,
                        s_("%(code)s v%(version)s", code=code, version=version),
                        q.id,
                        q.audience,
                    )
                )
    for name, indicator in FACT_INDICATORS.items():
        if indicator in feeds:
            feeds[indicator].append(Feed("fact", str(FACT_FEED_TEXT[name])))
    if GOAL_INDICATOR in feeds:
        feeds[GOAL_INDICATOR].append(Feed("goals", s_("The young person's goal ratings")))
    return feeds
