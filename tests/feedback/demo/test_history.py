"""The demo's synthetic history: made through the real services, the same for the same
seed, made once however often `demo seed` runs, and free of disclosures and names."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from feedback.cases.models import Case
from feedback.db import Base
from feedback.demo.history import (
    COULD_BE_BETTER,
    DISCLOSURES,
    GOING_WELL,
    MIXED,
    REFERENCE_PREFIX,
    seed_history,
)
from feedback.invitations.models import Invitation
from feedback.responses.models import Answer, Response
from feedback.safeguarding.detector import scan
from feedback.staff import services as staff
from outcomes.store import Comment, DomainScore, Measurement, Occasion, OutcomesBase
from outcomes.text import redact
from tests.conftest import utcnow

KEY = b"test-pseudonym-key"
SECRET = "test-secret-key-test-secret-key-0123"


def _demo_teams(session: Session) -> None:
    for code in ("north", "central", "south"):
        staff.find_team(session, code) or staff.create_team(session, code, f"{code} team")
        staff.create_user(
            session,
            email=f"{code}@example.org",
            name=code,
            role="practitioner",
            password="a long enough password",
            team_codes=[code],
        )


def _count(session: Session, column, *where) -> int:
    return session.scalar(select(func.count(column)).where(*where))


def test_a_small_history_goes_through_the_real_services(session):
    _demo_teams(session)
    now = utcnow()
    sent = seed_history(session, pseudonym_key=KEY, secret=SECRET, now=now, young_people=30)
    session.commit()

    cases = session.scalars(select(Case).order_by(Case.reference)).all()
    assert [c.reference for c in cases] == [f"{REFERENCE_PREFIX}{n:04d}" for n in range(1, 31)]
    assert {c.team.code for c in cases} == {"north", "central", "south"}
    assert all(1 <= len(c.strands) <= 2 for c in cases)
    submitted = _count(session, Response.id, Response.status == "submitted")
    assert sent == submitted >= 30
    # Every question was answered on every check-in, through save_answer.
    answered = _count(
        session,
        Answer.id,
        Answer.response_id.in_(select(Response.id).where(Response.status == "submitted")),
    )
    assert answered == submitted * 10

    occasions = session.scalars(select(Occasion)).all()
    assert len(occasions) == submitted
    assert {o.occasion_type for o in occasions} == {"baseline", "review"}
    assert _count(session, Occasion.id, Occasion.occasion_type == "baseline") == 30
    assert {o.age_band for o in occasions} <= {"11-13", "14-15", "16-17"}
    assert all((now - timedelta(days=366)).date() < o.measured_at <= now.date() for o in occasions)
    assert _count(session, Measurement.id) > 0 and _count(session, DomainScore.score) > 0

    comments = session.scalars(select(Comment)).all()
    assert 0 < len(comments) < submitted
    assert any(c.quote for c in comments) and any(c.quote is None for c in comments)
    # Some invitations were never completed, and none of them is still live.
    unused = session.scalars(select(Invitation).where(Invitation.used_at.is_(None))).all()
    assert unused and all(i.expires_at <= now for i in unused)


def _fingerprint(app, url: str, seed: int) -> tuple:
    import feedback.models  # noqa: F401 - every table on the metadata

    engine = create_engine(url)
    Base.metadata.create_all(engine)
    OutcomesBase.metadata.create_all(engine)
    now = utcnow().replace(year=2026, month=3, day=1, hour=12, minute=0, second=0, microsecond=0)
    # In the app's context, as `demo seed` runs, so that submit and answer hooks work.
    with app.app_context(), Session(engine) as session:
        _demo_teams(session)
        seed_history(session, pseudonym_key=KEY, secret=SECRET, now=now, young_people=12, seed=seed)
        session.commit()
        found = (
            session.execute(
                select(
                    Case.reference, Case.label, Case.date_of_birth, Case.gender, Case.status
                ).order_by(Case.id)
            ).all(),
            session.execute(
                select(
                    Answer.response_id, Answer.question_id, Answer.value_json, Answer.answered_at
                ).order_by(Answer.id)
            ).all(),
            # The store's keys are drawn at random, so its rows are compared as sets.
            sorted(
                session.execute(
                    select(
                        Occasion.pseudonym,
                        Occasion.occasion_type,
                        Occasion.measured_at,
                        Occasion.team,
                        Occasion.age_band,
                    )
                ).all()
            ),
            sorted(
                session.execute(
                    select(
                        Occasion.pseudonym,
                        Occasion.response_ref,
                        DomainScore.domain,
                        DomainScore.score,
                    ).join(DomainScore.occasion)
                ).all()
            ),
            sorted(session.execute(select(Comment.sentiment, Comment.quote)).all(), key=repr),
        )
    engine.dispose()
    return found


def test_the_same_seed_gives_the_same_history(app, tmp_path):
    first = _fingerprint(app, f"sqlite:///{tmp_path / 'a.sqlite'}", seed=7)
    again = _fingerprint(app, f"sqlite:///{tmp_path / 'b.sqlite'}", seed=7)
    other = _fingerprint(app, f"sqlite:///{tmp_path / 'c.sqlite'}", seed=8)
    assert first == again
    assert first != other


def test_demo_seed_twice_does_not_duplicate_the_history(runner, session):
    first = runner.invoke(args=["demo", "seed", "--young-people", "15"])
    assert first.exit_code == 0, first.output
    history = Case.reference.startswith(REFERENCE_PREFIX)
    counts = (
        _count(session, Case.id, history),
        _count(session, Response.id),
        _count(session, Occasion.id),
        _count(session, Comment.id),
    )
    assert counts[0] == 15
    assert f"History: 15 young people, {counts[2]} check-ins" in first.output

    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0, second.output
    session.expire_all()
    # The second run made one new (live) invitation and nothing else.
    assert counts == (
        _count(session, Case.id, history),
        _count(session, Response.id),
        _count(session, Occasion.id),
        _count(session, Comment.id),
    )
    assert f"History: 15 young people, {counts[2]} check-ins" in second.output
    live = session.scalars(select(Invitation).where(Invitation.used_at.is_(None))).all()
    assert sum(1 for i in live if i.expires_at > utcnow()) == 1


def test_disclosures_only_when_asked_and_never_quoted(session):
    _demo_teams(session)
    seed_history(
        session, pseudonym_key=KEY, secret=SECRET, now=utcnow(), young_people=10, disclosures=True
    )
    session.commit()
    texts = session.execute(
        select(Answer.value_json, Response.quote_consent)
        .join(Response, Response.id == Answer.response_id)
        .where(Answer.question_id == "anything-else")
    ).all()
    disclosed = [(v, consent) for v, consent in texts if any(d in v for d in DISCLOSURES)]
    assert len(disclosed) == 2
    assert all(consent is False for _v, consent in disclosed)


@pytest.mark.parametrize("comment", GOING_WELL + COULD_BE_BETTER + MIXED)
def test_demo_comments_are_not_disclosures_and_name_nobody(comment):
    assert not scan(comment).flag
    assert redact(comment) == comment


def test_there_are_about_sixty_comments_and_two_invented_disclosures():
    assert len(set(GOING_WELL + COULD_BE_BETTER + MIXED)) >= 55
    assert all(scan(text).flag for text in DISCLOSURES)
