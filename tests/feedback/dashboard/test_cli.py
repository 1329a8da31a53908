"""`flask report monthly` and `flask text analyse`."""

import csv
import io
import json

from sqlalchemy import select

from feedback.audit.models import AuditEvent
from tests.feedback.dashboard import seed


def _report(runner, *teams):
    args = ["report", "monthly", "--month", "2026-03", "--format", "json"]
    for team in teams:
        args += ["--team", team]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    return {t["key"]: t for t in json.loads(result.output)["tables"]}


def _people(tables):
    return {r[0]: r[-1] for r in tables["people"]["rows"]}


def test_report_monthly_json(runner, session, make_team):
    make_team("north")
    seed(session, range(11), scores={"safety": 50})
    seed(session, range(100, 104), team="south", scores={"safety": 50})
    session.commit()
    tables = _report(runner)
    headline = {row[0]: row[1] for row in tables["headline"]["rows"]}
    assert headline["Young people who answered a check-in"] == "15"
    people = _people(tables)
    assert people["Safety"] == "15"
    assert people["Going missing"] == "c"
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "report.export")).one()
    assert event.actor == "system"


def test_report_monthly_for_a_team_is_differenced(runner, session, make_team):
    # North has 10 young people, south 5. The report for north beside the report for
    # every team would give south's 5 away by subtraction, so north's report hides them.
    # (Multiples of 5 people show as themselves whatever the perturbation.)
    make_team("north")
    make_team("south")
    seed(session, range(10), scores={"safety": 50})
    seed(session, range(100, 105), team="south", scores={"safety": 50})
    session.commit()
    assert _people(_report(runner))["Safety"] == "15"
    assert _people(_report(runner, "north"))["Safety"] == "c"
    assert _people(_report(runner, "north", "south"))["Safety"] == "15"
    # Ten more in south: north's 10 is now safe beside any other set of teams.
    seed(session, range(105, 115), team="south", scores={"safety": 50})
    session.commit()
    assert _people(_report(runner, "north"))["Safety"] == "10"


def test_report_monthly_csv(runner, session):
    seed(session, range(10))
    session.commit()
    result = runner.invoke(args=["report", "monthly", "--month", "2026-03", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert ["Headline figures"] in rows
    assert ["Young people who answered a check-in", "10", "c", "10"] in rows
    # The notes follow each table, as on each sheet of the XLSX.
    assert any(row[0].startswith("Filters: Mar 2026") for row in rows if row)
    assert any(row[0].startswith('"c": fewer than 10') for row in rows if row)


def test_report_monthly_rejects_a_bad_month(runner):
    result = runner.invoke(args=["report", "monthly", "--month", "March"])
    assert result.exit_code != 0
    assert "like 2026-03" in result.output
    result = runner.invoke(args=["report", "monthly", "--month", "2026-03", "--team", "nope"])
    assert result.exit_code != 0
    assert "no team nope" in result.output
    result = runner.invoke(args=["report", "monthly", "--month", "2099-01"])
    assert result.exit_code != 0
    assert "has not ended yet" in result.output


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
