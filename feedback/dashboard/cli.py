"""Commands: the monthly report for the regional data return, and free-text analysis."""

from __future__ import annotations

import json
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from feedback import db

report_group = AppGroup("report", help="Reports for senior managers and data returns.")
text_group = AppGroup("text", help="Free-text answers: themes and sentiment.")


@report_group.command("monthly")
@click.option("--month", required=True, help="The month, like 2026-03.")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv"]), default="json", show_default=True
)
@click.option(
    "--team", "teams", multiple=True, help="A team's code; repeat for more. Default: all."
)
def monthly(month: str, fmt: str, teams: tuple[str, ...]) -> None:
    """Print the monthly report's tables, with disclosure control applied."""
    from feedback.dashboard import exports, services
    from feedback.dashboard.forms import parse_month
    from feedback.dashboard.routes import framework

    first = parse_month(month)
    if first is None:
        raise click.BadParameter("a year and month, like 2026-03", param_hint="--month")
    session = db.session()
    known = services.team_names(session)
    unknown = [code for code in teams if code not in known]
    if unknown:
        raise click.BadParameter(f"no team {', '.join(unknown)}", param_hint="--team")
    try:
        report = services.build_monthly_report(
            session,
            framework(),
            first,
            tuple(sorted(set(teams))) or None,
            current_app.config.get("REPORT_SECTIONS", []),
        )
    except services.MonthNotEnded as not_ended:
        raise click.BadParameter(str(not_ended), param_hint="--month") from None
    if fmt == "json":
        body = json.dumps(
            {
                "month": f"{first:%Y-%m}",
                "teams": list(teams) or None,
                "tables": [
                    {
                        "key": t.key,
                        "title": t.title,
                        "head": list(t.head),
                        "rows": [list(r) for r in t.rows],
                    }
                    for t in report.tables
                ],
            },
            indent=2,
        )
    else:
        body = exports.write_csv(
            report.tables,
            titles=True,
            filters=services.filter_summary(report.dashboard.selection, known),
        )
    services.audit(
        session,
        None,
        "report.export",
        f"monthly report {first:%Y-%m}.{fmt}",
        report.dashboard.selection,
        format=fmt,
        via="cli",
    )
    session.commit()
    click.echo(body, nl=fmt == "json")


@text_group.command("analyse")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read one comment a line from stdin.")
@click.argument("comments", nargs=-1)
def analyse_command(from_stdin: bool, comments: tuple[str, ...]) -> None:
    """Print one JSON object a comment: sentiment, polarity and theme codes."""
    from outcomes.text import analyse, analysis_to_json

    if not from_stdin and not comments:
        raise click.UsageError("give comments as arguments, or --stdin")
    lines = (line.rstrip("\r\n") for line in sys.stdin) if from_stdin else iter(comments)
    for line in lines:
        click.echo(json.dumps(analysis_to_json(analyse(line)), ensure_ascii=False))


def init_app(app: Flask) -> None:
    app.cli.add_command(report_group)
    app.cli.add_command(text_group)
