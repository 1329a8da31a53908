from __future__ import annotations

import re

from sqlalchemy import func, select

from feedback.cases.models import Case
from feedback.invitations.models import Invitation
from feedback.staff.models import User


def test_users_create(runner, session, make_team):
    make_team("north")
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "New@Example.org",
            "--role",
            "manager",
            "--team",
            "north",
            "--password",
            "a long password!",
        ]
    )
    assert result.exit_code == 0, result.output
    assert session.scalar(select(User).where(User.email == "new@example.org")).role == "manager"


def test_users_create_refuses_bad_input_kindly(runner, make_team):
    make_team("north")
    for args, message in [
        (["--email", "x@example.org", "--role", "manager", "--team", "nope"], "no team"),
        (["--email", "not-an-email", "--role", "manager", "--team", "north"], "not an email"),
        (
            [
                "--email",
                "y@example.org",
                "--role",
                "manager",
                "--team",
                "north",
                "--password",
                "short",
            ],
            "at least 12",
        ),
    ]:
        if "--password" not in args:
            args = [*args, "--password", "a long password!"]
        result = runner.invoke(args=["users", "create", *args])
        assert result.exit_code != 0
        assert message in result.output


def test_users_create_prompts_for_password(runner, session, make_team):
    make_team("north")
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "p@example.org",
            "--role",
            "practitioner",
            "--team",
            "north",
        ],
        input="a long password!\na long password!\n",
    )
    assert result.exit_code == 0, result.output


def test_invite_prints_link_and_code(runner, make_case, session):
    case = make_case()
    result = runner.invoke(args=["invite", "--case", case.reference.lower()])
    assert result.exit_code == 0, result.output
    assert re.search(r"Link: http://localhost/r/[\w-]{22,}", result.output)
    assert re.search(r"Code: [A-Z0-9]{4}-[A-Z0-9]{4}", result.output)
    assert runner.invoke(args=["invite", "--case", "NOPE"]).exit_code != 0


def test_invite_takes_the_language_and_easy_read(runner, make_case, session):
    from feedback.invitations.models import Invitation

    case = make_case()
    args = ["invite", "--case", case.reference, "--language", "ro", "--easy-read"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    invitation = session.scalar(select(Invitation))
    assert (invitation.language, invitation.easy_read) == ("ro", True)
    refused = runner.invoke(args=["invite", "--case", case.reference, "--language", "xx"])
    assert refused.exit_code != 0
    assert "'xx' is not one of" in refused.output


def test_demo_seed_is_safe_to_run_twice(app, runner, session):
    app.config["DEMO_HISTORY_YOUNG_PEOPLE"] = 12
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    assert "History: 12 young people" in first.output
    counts = (
        session.scalar(select(func.count(User.id))),
        session.scalar(select(func.count(Case.id))),
    )
    second = runner.invoke(args=["demo", "seed"])
    assert second.exit_code == 0, second.output
    session.expire_all()
    assert counts == (
        session.scalar(select(func.count(User.id))),
        session.scalar(select(func.count(Case.id))),
    )
    link = re.search(r"Link: \S+/r/(\S+)", second.output).group(1)
    assert link not in first.output
    live = session.scalars(select(Invitation).where(Invitation.used_at.is_(None))).all()
    from tests.conftest import utcnow

    assert sum(1 for i in live if i.expires_at > utcnow()) == 1
