"""`flask report monthly` and `flask text analyse`."""

import csv
import io
import json

from sqlalchemy import select

from feedback.audit.models import AuditEvent
from tests.feedback.dashboard import seed


def test_report_monthly_json(runner, session, make_team):
    make_team("north")
    seed(session, range(12), scores={"safety": 50})
    seed(session, range(100, 104), team="south", scores={"safety": 50})
    session.commit()
    result = runner.invoke(args=["report", "monthly", "--month", "2026-03", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["month"] == "2026-03"
    tables = {t["key"]: t for t in data["tables"]}
    headline = dict(tables["headline"]["rows"])
    assert headline["Young people and families who answered"] == "15"
    people = {r[0]: r[1:] for r in tables["people"]["rows"]}
    assert people["Safety"][-1] == "15"
    assert people["Going missing"][-1] == "c"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.export")).one()
    assert event.actor == "system"


def test_report_monthly_for_a_team_is_differenced(runner, session, make_team):
    make_team("north")
    make_team("south")
    seed(session, range(12), scores={"safety": 50})
    seed(session, range(100, 104), team="south", scores={"safety": 50})
    session.commit()
    result = runner.invoke(
        args=["report", "monthly", "--month", "2026-03", "--format", "json", "--team", "north"]
    )
    data = json.loads(result.output)
    people = {r[0]: r[1:] for t in data["tables"] if t["key"] == "people" for r in t["rows"]}
    assert people["Safety"][-1] == "10"


def test_report_monthly_csv(runner, session):
    seed(session, range(12))
    session.commit()
    result = runner.invoke(args=["report", "monthly", "--month", "2026-03", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert ["Headline figures"] in rows
    assert ["Young people and families who answered", "10"] in rows


def test_report_monthly_rejects_a_bad_month(runner):
    result = runner.invoke(args=["report", "monthly", "--month", "March"])
    assert result.exit_code != 0
    assert "like 2026-03" in result.output
    result = runner.invoke(args=["report", "monthly", "--month", "2026-03", "--team", "nope"])
    assert result.exit_code != 0
    assert "no team nope" in result.output


def test_text_analyse_stdin(runner):
    result = runner.invoke(
        args=["text", "analyse", "--stdin"],
        input="my worker really listens to me\nthe waiting list is too long\n",
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 2
    assert lines[0]["text"] == "my worker really listens to me"
    assert "listened-to" in lines[0]["themes"]
    assert set(lines[1]) == {"text", "sentiment", "polarity", "themes"}


def test_text_analyse_needs_input(runner):
    result = runner.invoke(args=["text", "analyse"])
    assert result.exit_code != 0
