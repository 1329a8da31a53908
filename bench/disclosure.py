"""Benchmark: the differencing attacks on the dashboard, over many random small teams.

Each of --teams scenarios is a small service of its own (a throwaway SQLite database): the
team under attack, small and random, beside another team, every check-in sent through the
app's real write path (case, invitation, answers saved one by one, submit). The attacker
then asks what a manager or admin may ask, through the same service calls the pages and
exports use, and through `flask report monthly` for the command line, and works out:

- two filters: team=T against team=T&gender=girl, to get the only boy's scores
  (n x mean - n' x mean', each domain);
- over time: team T while the month runs, then after a newcomer checked in, to get the
  newcomer's scores; and January against the quarter for a newcomer in February;
- quotes: a quote under team=T that is missing under team=T&gender=girl, for the boy's;
- the command line: `--team A` against `--team A --team B`, for team B's few young
  people's mean;
- report against dashboard: any cell the monthly report shows that the dashboard hides
  (or shows otherwise) for the same month and teams.

A score attack recovers the person when every figure it needs is shown and the result is
within 5 points of their true score (read from the store, which the attacker never sees).
Where a figure it needs is hidden, the attacker falls back to a guess: the mean of the
smallest view shown that holds the person, else 50; mean_abs_error is over every score
attack, guesses included, so it says how far off the attacker ends up. A quote attack
recovers when it attributes the quote; a report attack when the two outputs disagree.

The last line is the summary (target K = 0):

    disclosure attacks=N recovered_within_5_points=K mean_abs_error=E

Run: .venv/bin/python bench/disclosure.py [--teams 200] [--seed 2026]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402 - after the path is set

from outcomes.question_types import ChooseSeveral, Scale, YesNo  # noqa: E402 - after the path is set

MARCH = date(2026, 3, 1)
DOMAINS = (
    "safety",
    "going-missing",
    "trusted-relationships",
    "education",
    "health-wellbeing",
    "family-home",
    "hopes-goals",
    "listened-to",
)
PASSWORD = "bench-password-" + "long-enough"  # a throwaway practitioner's, never signed in
KINDS = ("two-filters", "over-time", "quarter", "quotes", "command-line", "report")


@dataclass
class Tally:
    attacks: int = 0
    recovered: int = 0
    errors: list[float] = field(default_factory=list)
    guessed_within_5: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)

    def score(self, kind: str, estimate: float | None, guess: float, truth: float) -> None:
        self.attacks += 1
        counts = self.by_kind.setdefault(kind, [0, 0])
        counts[0] += 1
        if estimate is not None and abs(estimate - truth) <= 5:
            self.recovered += 1
            counts[1] += 1
        final = guess if estimate is None else estimate
        if estimate is None and abs(guess - truth) <= 5:
            self.guessed_within_5 += 1
        self.errors.append(abs(final - truth))

    def found(self, kind: str, recovered: bool) -> None:
        self.attacks += 1
        counts = self.by_kind.setdefault(kind, [0, 0])
        counts[0] += 1
        if recovered:
            self.recovered += 1
            counts[1] += 1


class Service:
    """One small service: an app on a throwaway database with two teams, each with a
    practitioner. `fresh` empties it for the next scenario by copying back the database
    as it was made, so staff passwords are hashed once, not for every team."""

    def __init__(self, folder: str) -> None:
        import feedback.models  # noqa: F401 - every table on the metadata
        from feedback import create_app, db
        from feedback.db import Base
        from feedback.staff import services as staff
        from outcomes.store import OutcomesBase

        self.path = Path(folder) / "service.sqlite"
        self.template = Path(folder) / "template.sqlite"
        url = f"sqlite:///{self.path}"
        self.app = create_app(
            {
                "APP_ENV": "testing",
                "TESTING": True,
                "DATABASE_URL": url,
                "SECRET_KEY": "bench-secret-key-bench-secret-key-0123",
                "PSEUDONYM_KEY": "bench-pseudonym-key-bench-pseudonym-01",
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
            }
        )
        self.engine = self.app.extensions["db_engine"]

        @event.listens_for(self.engine, "connect")
        def _no_sync(dbapi_connection, _record):
            # A throwaway database: what is timed is not how fast it reaches the disk.
            dbapi_connection.execute("PRAGMA synchronous=OFF")

        Base.metadata.create_all(self.engine)
        OutcomesBase.metadata.create_all(self.engine)
        self.db = db
        with self.app.app_context():
            session = db.session()
            for code in ("team", "other"):
                staff.create_team(session, code, f"{code.title()} team")
                staff.create_user(
                    session,
                    email=f"{code}@example.org",
                    name=code,
                    role="practitioner",
                    password=PASSWORD,
                    team_codes=[code],
                )
            session.commit()
        self.engine.dispose()
        shutil.copyfile(self.path, self.template)
        self.context = None
        self.fresh()

    def fresh(self) -> None:
        from feedback.staff.models import User

        if self.context is not None:
            self.context.pop()  # closes the session of the last scenario
        self.engine.dispose()
        shutil.copyfile(self.template, self.path)
        self.context = self.app.app_context()
        self.context.push()
        self.session = self.db.session()
        self.staff = {u.teams[0].code: u for u in self.session.query(User)}
        self.cases = 0

    def close(self) -> None:
        self.context.pop()
        self.engine.dispose()

    def check_in(
        self,
        rng: random.Random,
        team: str,
        when: datetime,
        *,
        gender: str,
        reference: str | None = None,
        quote: str | None = None,
    ) -> str:
        """A young person's check-in through the real write path; returns the reference."""
        from feedback.cases.models import Case
        from feedback.cases.services import CaseDetails, open_case
        from feedback.invitations.services import issue_invitation
        from feedback.responses.services import save_answer, start_or_resume, submit_response
        from outcomes.questionnaires import get_questionnaire

        session, owner = self.session, self.staff[team]
        questionnaire = get_questionnaire("checkin")
        if reference is None:
            self.cases += 1
            reference = f"BENCH-{self.cases:05d}"
            open_case(
                session,
                CaseDetails(
                    reference,
                    "AB",
                    date(2011, 1, 1),
                    owner.teams[0].id,
                    ("criminal-exploitation",),
                    gender,
                ),
                owner,
                when - timedelta(days=40),
            )
        case = session.query(Case).filter_by(reference=reference).one()
        invitation = issue_invitation(
            session,
            case,
            secret=self.app.config["SECRET_KEY"],
            questionnaire_code=questionnaire.code,
            questionnaire_version=questionnaire.version,
            created_by_id=owner.id,
            now=when - timedelta(hours=2),
            days=14,
        ).invitation
        response = start_or_resume(session, invitation, when)
        for i, question in enumerate(questionnaire.questions, start=1):
            save_answer(
                session,
                response,
                question,
                _answer(rng, question, quote),
                when + timedelta(seconds=20 * i),
            )
        submit_response(
            session,
            response,
            pseudonym_key=self.app.config["PSEUDONYM_KEY"].encode(),
            now=when + timedelta(minutes=5),
            quote_consent=bool(quote),
        )
        session.commit()
        return reference

    def truth(self, reference: str, month: str | None = None) -> dict[str, float]:
        """A young person's domain scores (the mean, if several), from the store."""
        from sqlalchemy import select

        from outcomes.store import DomainScore, Occasion, pseudonymise

        pseudonym = pseudonymise(self.app.config["PSEUDONYM_KEY"].encode(), reference)
        scores: dict[str, list[float]] = {}
        for measured, domain, score in self.session.execute(
            select(Occasion.measured_at, DomainScore.domain, DomainScore.score)
            .join(DomainScore, DomainScore.occasion_id == Occasion.id)
            .where(Occasion.pseudonym == pseudonym)
        ):
            if month is None or f"{measured:%Y-%m}" == month:
                scores.setdefault(domain, []).append(score)
        return {d: statistics.fmean(v) for d, v in scores.items()}

    def dashboard(
        self, as_of: date, *, teams=None, gender=None, period="month", first=MARCH, last=MARCH
    ):
        """What the page and its exports show: the same service call they make."""
        from feedback.dashboard import services
        from outcomes.framework import get_framework
        from outcomes.reports import Filters

        framework = get_framework("complex-safeguarding", 1)
        first, last = services.whole_periods(first, last, period)
        selection = services.Selection(
            filters=Filters(
                date_from=first,
                date_to=services.add_months(last, 1),
                teams=teams,
                gender=gender,
                as_of=as_of,
            ),
            period=period,
            first_month=first,
            last_month=last,
        )
        return services.build_dashboard(
            self.session, framework, selection, services.team_names(self.session)
        )

    def report_cli(self, *teams: str) -> dict[str, dict]:
        args = ["report", "monthly", "--month", "2026-03", "--format", "json"]
        for team in teams:
            args += ["--team", team]
        result = self.app.test_cli_runner().invoke(args=args)
        if result.exit_code != 0:
            raise RuntimeError(result.output)
        return {t["key"]: t for t in json.loads(result.output)["tables"]}


def _answer(rng: random.Random, question, quote: str | None):
    if isinstance(question.kind, Scale):
        return rng.choice(question.options).id
    if isinstance(question.kind, YesNo):
        return rng.choice(("yes", "no"))
    if isinstance(question.kind, ChooseSeveral):
        return ["talking"]
    return quote or ""


def _number(text: str | None) -> float | None:
    return None if text in (None, "c") else float(str(text).replace(",", ""))


def _means(dashboard, label: str = "2026-03") -> dict[str, float | None]:
    scores = dashboard.scores
    if label not in scores.rows:
        return dict.fromkeys(DOMAINS)
    return {d: scores.cell(label, d).mean.value for d in DOMAINS}


def _difference(n_whole, whole, n_part, part, divide=1):
    if whole is None or part is None:
        return None
    return (n_whole * whole - n_part * part) / divide


def _guess(*means: float | None) -> float:
    return next((m for m in means if m is not None), 50.0)


def _other_team(service: Service, rng: random.Random, when: datetime, size: int) -> None:
    for _ in range(size):
        service.check_in(
            rng,
            "other",
            when + timedelta(days=rng.uniform(0, 20)),
            gender=rng.choice(("girl", "boy")),
        )


def two_filters(service: Service, rng: random.Random, tally: Tally) -> None:
    girls = rng.randint(9, 15)
    day = datetime(2026, 3, 3)
    for _ in range(girls):
        service.check_in(rng, "team", day + timedelta(days=rng.uniform(0, 20)), gender="girl")
    boy = service.check_in(rng, "team", day + timedelta(days=rng.uniform(0, 20)), gender="boy")
    _other_team(service, rng, day, rng.randint(10, 25))
    after = date(2026, 4, 2)
    team = _means(service.dashboard(after, teams=("team",)))
    part = _means(service.dashboard(after, teams=("team",), gender="girl"))
    everyone = _means(service.dashboard(after))
    truth = service.truth(boy)
    for d in DOMAINS:
        estimate = _difference(girls + 1, team[d], girls, part[d])
        tally.score("two-filters", estimate, _guess(team[d], everyone[d]), truth[d])


def over_time(service: Service, rng: random.Random, tally: Tally) -> None:
    size = rng.randint(9, 15)
    for _ in range(size):
        service.check_in(
            rng,
            "team",
            datetime(2026, 3, 2) + timedelta(days=rng.uniform(0, 15)),
            gender=rng.choice(("girl", "boy")),
        )
    _other_team(service, rng, datetime(2026, 3, 2), rng.randint(10, 25))
    before = _means(service.dashboard(date(2026, 3, 20), teams=("team",)))
    newcomer = service.check_in(rng, "team", datetime(2026, 3, 25), gender="girl")
    after = _means(service.dashboard(date(2026, 4, 2), teams=("team",)))
    truth = service.truth(newcomer)
    for d in DOMAINS:
        estimate = _difference(size + 1, after[d], size, before[d])
        tally.score("over-time", estimate, _guess(after[d]), truth[d])


def quarter(service: Service, rng: random.Random, tally: Tally) -> None:
    size = rng.randint(9, 15)
    for _ in range(size):
        service.check_in(
            rng,
            "team",
            datetime(2026, 1, 5) + timedelta(days=rng.uniform(0, 20)),
            gender=rng.choice(("girl", "boy")),
        )
    newcomer = service.check_in(rng, "team", datetime(2026, 2, 10), gender="girl")
    _other_team(service, rng, datetime(2026, 1, 5), rng.randint(10, 25))
    as_of = date(2026, 4, 2)
    months = _means(service.dashboard(as_of, teams=("team",), first=date(2026, 1, 1)), "2026-01")
    whole = _means(
        service.dashboard(as_of, teams=("team",), period="quarter", first=date(2026, 1, 1)),
        "2026-Q1",
    )
    truth = service.truth(newcomer)
    for d in DOMAINS:
        estimate = _difference(size + 1, whole[d], size, months[d])
        tally.score("quarter", estimate, _guess(whole[d], months[d]), truth[d])


def quotes(service: Service, rng: random.Random, tally: Tally) -> None:
    day = datetime(2026, 3, 3)
    for i in range(rng.randint(9, 15)):
        service.check_in(
            rng,
            "team",
            day + timedelta(days=rng.uniform(0, 20)),
            gender="girl",
            quote=f"A girl's words {i}" if rng.random() < 0.5 else None,
        )
    service.check_in(
        rng, "team", day + timedelta(days=21), gender="boy", quote="The only boy's words"
    )
    _other_team(service, rng, day, rng.randint(10, 25))
    after = date(2026, 4, 2)
    team = service.dashboard(after, teams=("team",)).quotes
    girls = service.dashboard(after, teams=("team",), gender="girl").quotes
    # Attributed: on the team's list, and not on the girls', while the girls' list is
    # shown and has room for it.
    attributed = "The only boy's words" in team and bool(girls) and len(girls) < 5
    tally.found("quotes", attributed)


def command_line(service: Service, rng: random.Random, tally: Tally) -> None:
    day = datetime(2026, 3, 3)
    big = rng.randint(10, 25)
    few = rng.randint(1, 9)
    for _ in range(big):
        service.check_in(rng, "team", day + timedelta(days=rng.uniform(0, 20)), gender="girl")
    references = [
        service.check_in(rng, "other", day + timedelta(days=rng.uniform(0, 20)), gender="boy")
        for _ in range(few)
    ]
    one = service.report_cli("team")
    both = service.report_cli("team", "other")

    def means(tables):
        return {row[0]: _number(row[-1]) for row in tables["scores"]["rows"]}

    names = _domain_names()
    one, both = means(one), means(both)
    truths = [service.truth(r) for r in references]
    for d in DOMAINS:
        name = names[d]
        truth = statistics.fmean(t[d] for t in truths)
        estimate = _difference(big + few, both[name], big, one[name], divide=few)
        tally.score("command-line", estimate, _guess(both[name], one[name]), truth)


def report_against_dashboard(service: Service, rng: random.Random, tally: Tally) -> None:
    from feedback.dashboard import services
    from outcomes.framework import get_framework

    day = datetime(2026, 3, 3)
    for _ in range(rng.randint(12, 30)):
        service.check_in(
            rng,
            "team",
            day + timedelta(days=rng.uniform(0, 20)),
            gender=rng.choice(("girl", "boy")),
        )
    _other_team(service, rng, day, rng.randint(1, 30))
    framework = get_framework("complex-safeguarding", 1)
    after = date(2026, 4, 2)
    disagree = False
    for teams in (None, ("team",)):
        report = services.build_monthly_report(
            service.session, framework, MARCH, teams, today=after
        )
        dashboard = service.dashboard(after, teams=teams)
        shown = {(t.key, row[0]): row[-1] for t in report.trend for row in t.rows}
        page = {
            (t.key, row[0]): row[-1]
            for t in dashboard.tables
            if t.key in ("scores", "people")
            for row in t.rows
        }
        disagree |= any(page.get(key) != value for key, value in shown.items() if value != "c")
    tally.found("report", disagree)


def _domain_names() -> dict[str, str]:
    from outcomes.framework import get_framework

    return {d.code: d.name for d in get_framework("complex-safeguarding", 1).domains}


ATTACKS = {
    "two-filters": two_filters,
    "over-time": over_time,
    "quarter": quarter,
    "quotes": quotes,
    "command-line": command_line,
    "report": report_against_dashboard,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--teams", type=int, default=200, help="random small teams")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    tally = Tally()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="yv-disclosure-") as folder:
        os.environ.setdefault("INSTANCE_PATH", folder)
        service = Service(folder)
        try:
            for i in range(args.teams):
                if i:
                    service.fresh()
                ATTACKS[KINDS[i % len(KINDS)]](service, random.Random(rng.random()), tally)
        finally:
            service.close()
    seconds = time.perf_counter() - started
    for kind, (n, k) in tally.by_kind.items():
        print(f"{kind}: {n} attacks, {k} recovered")
    print(
        f"{args.teams} teams in {seconds:.0f} s; a fallback guess (the attacker's best shown "
        f"mean) landed within 5 points {tally.guessed_within_5} times: no better than "
        "knowing the group"
    )
    mean_error = statistics.fmean(tally.errors) if tally.errors else float("nan")
    print(
        f"disclosure attacks={tally.attacks} recovered_within_5_points={tally.recovered} "
        f"mean_abs_error={mean_error:.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
