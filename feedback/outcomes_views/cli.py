"""`flask outcomes score`, `rescore` and `rebuild-summaries`. Each command commits once, at
the end."""

from __future__ import annotations

import json
from pathlib import Path

import click
from flask import current_app

from feedback import db
from feedback.outcomes_views import services
from outcomes import store
from outcomes.framework import FrameworkError, get_framework
from outcomes.questionnaires import get_questionnaire
from outcomes.rescore import rescore_report
from outcomes.scoring import score_answers

outcomes_group = click.Group("outcomes", help="The outcomes framework: scoring and rescoring.")


class LineError(ValueError):
    pass


def score_line(line: str) -> dict:
    """One JSON request line scored: {"indicators": ..., "domains": ...}."""
    try:
        request = json.loads(line)
    except json.JSONDecodeError as error:
        raise LineError(f"not valid JSON: {error.msg}") from error
    if not isinstance(request, dict):
        raise LineError("expected a JSON object")
    code, version, answers = (
        request.get("questionnaire"),
        request.get("version"),
        request.get("answers"),
    )
    if not isinstance(code, str):
        raise LineError('questionnaire must be a questionnaire code, like "checkin"')
    if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
        raise LineError("version must be a whole number")
    if not isinstance(answers, dict):
        raise LineError("answers must be an object of question ids and answers")
    try:
        questionnaire = get_questionnaire(code, version)
    except KeyError as error:
        raise LineError(str(error.args[0])) from error
    for question_id, value in answers.items():
        question = questionnaire.question(question_id)
        if question is None:
            raise LineError(
                f"questionnaire {questionnaire.code} v{questionnaire.version} has no "
                f"question {question_id!r}"
            )
        if not question.is_valid_answer(value):
            raise LineError(f"{value!r} is not an answer to question {question_id!r}")
    framework = get_framework(questionnaire.framework_code, questionnaire.framework_version)
    scores = score_answers(questionnaire, answers, framework)
    return {"indicators": scores.indicators, "domains": scores.domains}


def _echo(obj: dict) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False))


@outcomes_group.command("score")
@click.option(
    "--stdin", "from_stdin", is_flag=True, help="Read one JSON request a line from stdin."
)
def score(from_stdin: bool) -> None:
    """Score answers: one JSON object a line in, one JSON object a line out.

    In: {"questionnaire": "checkin", "version": 1, "answers": {"feel-safe": "safe"}}.
    Out: {"indicators": {...}, "domains": {...}}, or {"error": "..."} for a bad line.
    Exits with 1 if any line failed."""
    if not from_stdin:
        raise click.UsageError("Pass --stdin and give one JSON object a line.")
    failed = 0
    for line in click.get_text_stream("stdin"):
        if not line.strip():
            continue
        try:
            _echo(score_line(line))
        except LineError as error:
            failed += 1
            _echo({"error": str(error)})
    if failed:
        raise SystemExit(1)


@outcomes_group.command("rescore")
@click.option("--framework", "code", required=True, help="Framework code.")
@click.option("--version", type=click.IntRange(min=1), required=True, help="Framework version.")
@click.option(
    "--frameworks-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    hidden=True,
    help="Read frameworks from this directory (for tests).",
)
def rescore(code: str, version: int, frameworks_dir: Path | None) -> None:
    """Score every sent response again under a framework version, keeping the scores of
    earlier versions."""
    try:
        framework = get_framework(code, version, directory=frameworks_dir)
    except (KeyError, FrameworkError) as error:
        raise click.ClickException(str(error.args[0])) from error
    session = db.session()
    key = current_app.config["PSEUDONYM_KEY"].encode()
    try:
        report = rescore_report(session, framework, services.raw_responses(session, key))
    except ValueError as error:
        session.rollback()
        raise click.ClickException(f"Nothing was rescored: {error}") from error
    session.commit()
    click.echo(f"Rescored {report.occasions} responses under {framework}.")
    if report.skipped_answers:
        click.echo(f"Skipped {report.skipped_answers} answers {framework} cannot score:")
        for indicator, n in report.skipped_by_indicator.items():
            click.echo(f"  {indicator}: {n}")
    else:
        click.echo("Skipped no answers.")


@outcomes_group.command("rebuild-summaries")
def rebuild_summaries() -> None:
    """Build the dashboard's summary tables afresh from the stored scores.

    Every answer sent keeps them up to date already; this is for after data was loaded
    around the app (a restore, a bulk import)."""
    session = db.session()
    people = store.rebuild_summaries(session)
    counts = store.summary_counts(session)
    session.commit()
    click.echo(f"Rebuilt the summaries. Young people and families in the store: {people}")
    for table, n in counts.items():
        click.echo(f"  {table}: {n} rows")
