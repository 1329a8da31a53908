"""`flask outcomes score` and `flask outcomes rescore`."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from feedback.outcomes_views import services
from outcomes.store import DomainScore, Measurement, Occasion
from tests.conftest import utcnow
from tests.feedback.outcomes_views import ANSWERS, send

ROOT = Path(__file__).resolve().parents[3]
V2_DIR = ROOT / "tests" / "outcomes" / "fixtures" / "frameworks"

# Worked example 1 of complex-safeguarding-v1.yaml.
EXAMPLE_1 = {
    "feel-safe": "safe",
    "trusted-adult": "yes",
    "listened-to": "mostly",
    "school": "rather-not-say",
    "feelings": "ok",
    "home": "bad",
    "stayed-away": "yes",
    "future": "really-good",
    "what-helped": ["talking"],
    "anything-else": "My worker is alright.",
}


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_score_reads_json_lines_and_prints_scores(runner):
    request = {"questionnaire": "checkin", "version": 1, "answers": EXAMPLE_1}
    result = runner.invoke(
        args=["outcomes", "score", "--stdin"], input=json.dumps(request) + "\n\n"
    )
    assert result.exit_code == 0, result.output
    (out,) = lines(result.output)
    assert out["indicators"]["safety.feel-safe"] == 75
    assert out["indicators"]["going-missing.stayed-away"] == 0
    assert "education.going-well" not in out["indicators"]
    assert out["domains"] == {
        "safety": 75,
        "trusted-relationships": 100,
        "listened-to": 75,
        "education": None,
        "health-wellbeing": 50,
        "family-home": 25,
        "going-missing": 0,
        "hopes-goals": 100,
    }


def test_bad_lines_get_an_error_each_and_the_rest_carry_on(runner):
    good = json.dumps({"questionnaire": "checkin", "answers": {"feel-safe": "safe"}})
    given = [
        "{not json",
        json.dumps([1, 2]),
        json.dumps({"questionnaire": "nope", "version": 1, "answers": {}}),
        json.dumps({"questionnaire": "checkin", "version": 9, "answers": {}}),
        json.dumps({"questionnaire": "checkin", "version": 1, "answers": {"who": "me"}}),
        json.dumps({"questionnaire": "checkin", "version": 1, "answers": {"feel-safe": "meh"}}),
        json.dumps({"questionnaire": "checkin", "version": 1, "answers": "safe"}),
        good,
    ]
    result = runner.invoke(args=["outcomes", "score", "--stdin"], input="\n".join(given) + "\n")
    assert result.exit_code == 1
    out = lines(result.output)
    assert len(out) == len(given)
    errors = [o.get("error") for o in out[:-1]]
    assert all(errors), out
    assert "not valid JSON" in errors[0]
    assert "expected a JSON object" in errors[1]
    assert "no questionnaire called 'nope'" in errors[2]
    assert "no version 9" in errors[3]
    assert "no question 'who'" in errors[4]
    assert "'meh' is not an answer to question 'feel-safe'" in errors[5]
    assert "answers must be an object" in errors[6]
    assert out[-1]["indicators"] == {"safety.feel-safe": 75}


def test_score_needs_stdin_flag(runner):
    result = runner.invoke(args=["outcomes", "score"])
    assert result.exit_code == 2
    assert "--stdin" in result.output


def test_rescore_under_v2_keeps_v1_and_reports_skipped(
    app, runner, session, make_case, make_invitation
):
    case = make_case()
    now = utcnow()
    services.record_case_facts(
        session,
        case,
        services.FactValues(2, "partly", "home", "out"),
        None,
        now - timedelta(days=40),
    )
    session.commit()
    send(app, session, make_invitation(case).invitation, EXAMPLE_1, now - timedelta(days=30))
    send(app, session, make_invitation(case).invitation, ANSWERS, now)
    send(app, session, make_invitation().invitation, EXAMPLE_1, now)  # another case
    v1_before = sorted(
        session.execute(
            select(Measurement.indicator, Measurement.score)
            .join(Occasion)
            .where(Occasion.framework_version == 1)
        ).all()
    )

    result = runner.invoke(
        args=[
            "outcomes",
            "rescore",
            "--framework",
            "complex-safeguarding",
            "--version",
            "2",
            "--frameworks-dir",
            str(V2_DIR),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Rescored 3 responses under complex-safeguarding v2." in result.output
    # "future" answered really-good twice; rather not say once, which is not scorable anyway.
    assert "hopes-goals.feel-about-future: 2" in result.output

    session.expire_all()
    counts = dict(
        session.execute(
            select(Occasion.framework_version, func.count()).group_by(Occasion.framework_version)
        ).all()
    )
    assert counts == {1: 3, 2: 3}
    v1_after = sorted(
        session.execute(
            select(Measurement.indicator, Measurement.score)
            .join(Occasion)
            .where(Occasion.framework_version == 1)
        ).all()
    )
    assert v1_after == v1_before
    v2 = session.execute(
        select(Occasion.occasion_type, Occasion.measured_at, Occasion.id)
        .where(Occasion.framework_version == 2, Occasion.pseudonym == _pseudonym(app, case))
        .order_by(Occasion.measured_at)
    ).all()
    assert [row.occasion_type for row in v2] == ["baseline", "review"]
    first = dict(
        session.execute(
            select(Measurement.indicator, Measurement.score).where(
                Measurement.occasion_id == v2[0].id
            )
        ).all()
    )
    assert first["safety.feel-safe"] == 80  # "safe" on v2's stretched five-point scale
    assert first["going-missing.missing-episodes"] == 33  # the case facts went with it
    assert "hopes-goals.feel-about-future" not in first
    assert session.scalar(
        select(func.count())
        .select_from(DomainScore)
        .join(Occasion)
        .where(Occasion.framework_version == 2)
    )


def test_rescoring_twice_replaces_rather_than_duplicates(app, runner, session, make_invitation):
    send(app, session, make_invitation().invitation, EXAMPLE_1, utcnow())
    args = ["outcomes", "rescore", "--framework", "complex-safeguarding", "--version", "1"]
    assert runner.invoke(args=args).exit_code == 0
    result = runner.invoke(args=args)
    assert "Rescored 1 responses" in result.output
    assert "Skipped no answers." in result.output
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Occasion)) == 1


def test_rescore_unknown_version_is_refused(runner):
    result = runner.invoke(
        args=["outcomes", "rescore", "--framework", "complex-safeguarding", "--version", "7"]
    )
    assert result.exit_code == 1
    assert "has no version 7" in result.output


def _pseudonym(app, case):
    from outcomes.store import pseudonymise

    return pseudonymise(app.config["PSEUDONYM_KEY"].encode(), case.reference)


def test_rebuild_summaries_gives_the_same_dashboard_numbers(
    app, runner, session, make_case, make_invitation
):
    from sqlalchemy import delete

    from outcomes.store import ScoreCell, summary_counts

    case = make_case()
    send(app, session, make_invitation(case).invitation, EXAMPLE_1, utcnow() - timedelta(days=40))
    send(app, session, make_invitation(case).invitation, ANSWERS, utcnow())
    before = summary_counts(session)
    cells = sorted(tuple(row) for row in session.execute(select(ScoreCell.__table__)))
    assert before["outcomes_score_cell"] > 0
    session.execute(delete(ScoreCell))
    session.commit()
    result = runner.invoke(args=["outcomes", "rebuild-summaries"])
    assert result.exit_code == 0, result.output
    assert "Young people and families in the store: 1" in result.output
    session.expire_all()
    assert summary_counts(session) == before
    assert sorted(tuple(row) for row in session.execute(select(ScoreCell.__table__))) == cells
