"""A synthetic year of check-ins, so that a newcomer's dashboard has something to show.

Every check-in goes through the same services a young person's phone does (invitation,
answers saved one by one, submit), so scoring, comments, themes and any safeguarding
hooks run for real. Only the clock is made up: each step is given the past time it
happened at.

Everything is drawn from one `random.Random(seed)`, so the same seed on an empty
database gives the same cases, answers and comments. (Invitation tokens and codes still
come from `secrets`: they are never predictable, not even in a demo.)

Nothing here is about a real person. The two comments in DISCLOSURES are invented so
that the alerts page has something on it; they are used only when the caller asks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from feedback.cases.services import CaseDetails, close_case, open_case
from feedback.invitations.services import issue_invitation
from feedback.responses.services import save_answer, start_or_resume, submit_response
from feedback.staff.models import Team, User
from outcomes.question_types import ChooseSeveral, Scale, YesNo
from outcomes.questionnaires import NOT_SURE, RATHER_NOT_SAY, Question, get_questionnaire
from outcomes.vocabulary import age_on

REFERENCE_PREFIX = "DEMO-H"
FIRST_REFERENCE = f"{REFERENCE_PREFIX}0001"

# Uneven on purpose: the small central team has months with fewer than 10 young people,
# so the dashboard shows suppressed cells beside shown ones.
TEAM_WEIGHTS = {"north": 50, "south": 33, "central": 17}

# Main strand, roughly as a Complex Safeguarding caseload splits. The last three are rare
# enough that their cells are always suppressed.
STRAND_WEIGHTS = {
    "criminal-exploitation": 40,
    "sexual-exploitation": 25,
    "missing": 17,
    "serious-youth-violence": 13,
    "radicalisation": 1.7,
    "modern-slavery": 1.7,
    "honour-based-abuse": 1.2,
}
# A second strand, when there is one: going missing goes with almost everything.
SECOND_STRAND = {
    "criminal-exploitation": {"missing": 6, "serious-youth-violence": 3, "sexual-exploitation": 1},
    "sexual-exploitation": {"missing": 7, "criminal-exploitation": 2},
    "missing": {"sexual-exploitation": 5, "criminal-exploitation": 5},
    "serious-youth-violence": {"criminal-exploitation": 7, "missing": 2},
    "radicalisation": {"missing": 1},
    "modern-slavery": {"criminal-exploitation": 2, "missing": 1},
    "honour-based-abuse": {"missing": 1},
}
GENDER_WEIGHTS = {
    "sexual-exploitation": {"girl": 78, "boy": 14, "other": 3, "prefer-not-to-say": 1, None: 4},
    "default": {"girl": 30, "boy": 60, "other": 3, "prefer-not-to-say": 2, None: 5},
}
# Age at the first check-in; most young people in the service are mid-teens.
AGE_WEIGHTS = {11: 3, 12: 6, 13: 12, 14: 20, 15: 24, 16: 22, 17: 13}
CHECKINS_WEIGHTS = {1: 25, 2: 30, 3: 25, 4: 20}
TRAJECTORY_WEIGHTS = {"improving": 58, "steady": 27, "worsening": 15}

FREE_TEXT_SHARE = 0.4
QUOTE_CONSENT_SHARE = 0.5
MISSED_INVITATION_SHARE = 0.25  # an invitation sent before a check-in that was never done

# What young people say, in their words. None of these is a disclosure, and none names a
# person or a place (tests/feedback/demo checks both).
GOING_WELL = [
    "My worker actually listens to me and doesn't just tell me what to do.",
    "I like that my worker texts me back when she says she will.",
    "Going to the gym with my worker has been good. I feel better after.",
    "Things at home are calmer now. Me and my mum are talking more.",
    "I'm back in school most days and it's not as bad as I thought.",
    "The football on a Tuesday is the best bit of my week.",
    "My worker helped me sort my college application. I start in September.",
    "I feel safer than I did before. I don't go out as late.",
    "It helps having someone to talk to who isn't judging me.",
    "My worker came to the meeting with me so I didn't have to talk on my own.",
    "I've got a job interview next week and my worker helped me get ready.",
    "I didn't trust anyone at first but my worker is alright.",
    "The boxing sessions are good, it gives me something to do in the evenings.",
    "I like that we meet at a cafe and not at the office.",
    "My worker explains things properly so I know what's happening.",
    "Getting my bus pass sorted has made a big difference.",
    "I'm sleeping better and I'm not as stressed.",
    "My nan says I'm more like myself again.",
    "The music studio is really good. I recorded my first track.",
    "It's good that I get a say in my plan now.",
    "I've stopped smoking weed as much and I feel better for it.",
    "My worker sticks up for me in meetings.",
    "Me and my foster carer are getting on better.",
    "I know who to call now if something goes wrong.",
    "I'm proud that I've been going to college every day.",
]
COULD_BE_BETTER = [
    "Too many meetings. I have to tell my story again every time.",
    "I waited ages to get a worker and nobody told me why.",
    "My worker changed twice and I had to start again each time.",
    "The police treat me like I'm the one who did something wrong.",
    "Meetings are always in school time so I miss lessons.",
    "I wish there was more to do in the evenings and at weekends.",
    "School keep excluding me instead of helping.",
    "Sometimes I get told about plans after they've already been decided.",
    "I don't like it when they talk about me like I'm not in the room.",
    "It takes too long to get anything done.",
    "My mum and dad argue a lot and nobody helps with that.",
    "I want help with money, I can't afford the bus to college.",
    "Waiting for counselling is taking forever.",
    "I felt judged by the police when I got picked up.",
    "There's too many different people and I don't know who does what.",
    "Letters are really hard to read, use normal words.",
    "I wish my worker could see me more than once every two weeks.",
    "Appointments get cancelled last minute and nobody rings me.",
    "I don't like having to go to the office, people see me go in.",
    "My anxiety is still really bad and I don't know where to get help.",
    "I'd like help to find a job or an apprenticeship.",
    "The new worker doesn't know me yet.",
    "Nothing has really changed at home.",
]
MIXED = [
    "My worker is great but there are too many meetings.",
    "School is going better but I still don't get on with some teachers.",
    "I like the activities but the waiting list for counselling is too long.",
    "Home is a bit better. I still feel like the police are always on my back.",
    "My new worker is nice but I miss my old one.",
    "I'm doing better in college but money is still a problem.",
    "It's getting better slowly. I just want it to go quicker.",
    "Talking helps but I get tired of answering the same questions.",
    "Things are ok. Some days are good and some are bad.",
    "The gym is good but it's only once a week.",
    "My worker listens, I just wish the social worker did as well.",
    "I feel safer at home but school is still hard.",
]
# Two invented disclosures, mild, so the alerts page has something to show.
DISCLOSURES = [
    "I don't feel safe going home some nights.",
    "Some older boys keep asking me to hold stuff for them and I'm scared to say no.",
]
INITIALS = "ABCDEFGHJKLMNPRSTWZ"
HELPED = ("talking", "activities", "school-help", "home-help", "money-help", "feeling-safer")


@dataclass
class _Person:
    reference: str
    team: str
    strands: tuple[str, ...]
    gender: str | None
    date_of_birth: date
    opened_at: datetime
    checkins: list[datetime]
    trajectory: str
    start_level: float  # 0 (worst) to 4 (best), the young person's answers at the start
    step: float  # how far their answers move from one check-in to the next
    leans: dict[str, float]  # per question: this person's answers run above or below


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _person(rng: random.Random, number: int, now: datetime) -> _Person:
    main = _pick(rng, STRAND_WEIGHTS)
    strands = (main,)
    if rng.random() < 0.35:
        strands = (main, _pick(rng, SECOND_STRAND[main]))
    gender = _pick(rng, GENDER_WEIGHTS.get(main, GENDER_WEIGHTS["default"]))
    count = _pick(rng, CHECKINS_WEIGHTS)
    # The case opened some time in the last year; check-ins every four to eight weeks.
    opened_at = now - timedelta(days=rng.uniform(8, 365), hours=rng.uniform(0, 8))
    first = opened_at + timedelta(days=rng.uniform(1, 10))
    checkins = []
    at = first
    while len(checkins) < count and at < now - timedelta(hours=1):
        checkins.append(
            at.replace(hour=rng.randint(9, 20), minute=rng.randint(0, 59), second=0, microsecond=0)
        )
        at += timedelta(days=rng.uniform(28, 56))
    checkins = [c for c in checkins if c < now] or [now - timedelta(hours=2)]
    age = _pick(rng, AGE_WEIGHTS)
    while True:
        dob = (checkins[0] - timedelta(days=int(age * 365.25) + rng.randint(0, 364))).date()
        if age_on(dob, checkins[0].date()) >= 11 and age_on(dob, checkins[-1].date()) <= 17:
            break
        # Too young, or turning 18 within the year: an age that fits the whole span.
        age = rng.randint(12, 16)
    trajectory = _pick(rng, TRAJECTORY_WEIGHTS)
    step = {
        "improving": rng.uniform(0.4, 0.9),
        "steady": rng.uniform(-0.08, 0.08),
        "worsening": -rng.uniform(0.3, 0.7),
    }[trajectory]
    return _Person(
        reference=f"{REFERENCE_PREFIX}{number:04d}",
        team=_pick(rng, TEAM_WEIGHTS),
        strands=strands,
        gender=gender,
        date_of_birth=dob,
        opened_at=opened_at,
        checkins=checkins,
        trajectory=trajectory,
        start_level=min(3.2, max(0.3, rng.gauss(1.7, 0.7))),
        step=step,
        leans={},
    )


def _level(rng: random.Random, person: _Person, question_id: str, k: int) -> float:
    """Where this person's answer to a question sits on 0-4 at their k-th check-in."""
    lean = person.leans.setdefault(question_id, rng.gauss(0, 0.6))
    return person.start_level + lean + person.step * k + rng.gauss(0, 0.45)


def _scale(rng: random.Random, person: _Person, question: Question, k: int, level: float):
    index = min(4, max(0, round(level)))
    # Reverse-scaled questions list options best first; the level is always worst-to-best.
    options = question.options[::-1] if question.reverse else question.options
    return options[index].id


def _yes_no(rng: random.Random, person: _Person, question: Question, k: int, level: float):
    if rng.random() < 0.05:
        return NOT_SURE
    if question.id == "stayed-away":
        bad_odds = 0.6 if "missing" in person.strands else 0.3
        return "yes" if rng.random() < bad_odds * (1 - level / 5) else "no"
    good = rng.random() < min(0.95, max(0.05, level / 4))
    # For a reversed yes-no question "yes" is the worse outcome.
    return ("no" if good else "yes") if question.reverse else ("yes" if good else "no")


def _helped(rng: random.Random, person: _Person, question: Question, k: int, level: float):
    if k == 0 and rng.random() < 0.3 or level < 0.8 and rng.random() < 0.5:
        return ["nothing-yet"]
    weights = (5, 3, 2, 2, 1, 2)
    picked = {rng.choices(HELPED, weights=weights)[0] for _ in range(rng.randint(1, 3))}
    return [o for o in HELPED if o in picked]


def _any_option(rng: random.Random, person: _Person, question: Question, k: int, level: float):
    return rng.choice(question.options).id if question.options else RATHER_NOT_SAY


# How a demo young person answers each type of question; other types get any option.
ANSWERERS = {Scale: _scale, YesNo: _yes_no, ChooseSeveral: _helped}


def _answer(rng: random.Random, person: _Person, question: Question, k: int) -> object:
    if question.kind.is_free_text:
        # Whether they write, and what, is chosen with the whole check-in in view.
        raise ValueError("free text is chosen by _comment")
    shy = 0.08 if question.id in ("home", "stayed-away") else 0.03
    if rng.random() < shy:
        return RATHER_NOT_SAY
    level = _level(rng, person, question.id, k)
    answerer = ANSWERERS.get(type(question.kind), _any_option)
    return answerer(rng, person, question, k, level)


def _comment(rng: random.Random, person: _Person, k: int) -> str:
    # What they write leans the way things are going for them.
    going_well = {"improving": 0.45 + 0.1 * k, "steady": 0.35, "worsening": 0.15}[person.trajectory]
    roll = rng.random()
    if roll < going_well:
        return rng.choice(GOING_WELL)
    if roll < going_well + 0.25:
        return rng.choice(MIXED)
    return rng.choice(COULD_BE_BETTER)


def _practitioners(session: Session) -> dict[str, tuple[int, User]]:
    """Each demo team's id and the practitioner who owns its demo cases."""
    found = {}
    for team in session.scalars(select(Team).where(Team.code.in_(TEAM_WEIGHTS))):
        owner = next((u for u in team.members if u.role == "practitioner"), None)
        if owner is None:
            raise LookupError(f"the demo team {team.code!r} has no practitioner")
        found[team.code] = (team.id, owner)
    missing = set(TEAM_WEIGHTS) - set(found)
    if missing:
        raise LookupError(f"demo teams missing: {', '.join(sorted(missing))}")
    return found


def seed_history(
    session: Session,
    *,
    pseudonym_key: bytes,
    secret: str,
    now: datetime,
    young_people: int = 300,
    seed: int = 2026,
    invitation_days: int = 14,
    disclosures: bool = False,
) -> int:
    """Create `young_people` synthetic cases with a year of check-ins up to `now`.

    The demo teams (north, central, south) and a practitioner in each must exist. Pass
    `disclosures=True` only where alerts are shown: two of the comments are then the
    invented disclosures above. Flushes; the caller commits once. Returns how many
    check-ins were sent.
    """
    rng = random.Random(seed)
    questionnaire = get_questionnaire("checkin")
    teams = _practitioners(session)
    people = [_person(rng, n, now) for n in range(1, young_people + 1)]
    # The invented disclosures go on the latest check-in of two young people seen
    # recently, so they are near the top of the alerts page.
    recent = sorted(people, key=lambda p: (p.checkins[-1], p.reference), reverse=True)
    disclosing = (
        {p.reference: text for p, text in zip(recent[2:], DISCLOSURES, strict=False)}
        if disclosures
        else {}
    )

    sent = 0
    for person in people:
        team_id, owner = teams[person.team]
        case = open_case(
            session,
            CaseDetails(
                person.reference,
                f"{rng.choice(INITIALS)}{rng.choice(INITIALS)}",
                person.date_of_birth,
                team_id,
                person.strands,
                person.gender,
            ),
            owner,
            person.opened_at,
        )

        def invite(at: datetime, case=case, owner=owner):
            return issue_invitation(
                session,
                case,
                secret=secret,
                questionnaire_code=questionnaire.code,
                questionnaire_version=questionnaire.version,
                created_by_id=owner.id,
                now=at,
                days=invitation_days,
            ).invitation

        for k, at in enumerate(person.checkins):
            if rng.random() < MISSED_INVITATION_SHARE:
                # An earlier invitation that was ignored, or started and left. It expired
                # before the next one was sent, and long before `now`.
                missed_at = at - timedelta(days=invitation_days + rng.uniform(2, 10))
                if missed_at > person.opened_at:
                    missed = invite(missed_at)
                    if rng.random() < 0.4:
                        opened = missed_at + timedelta(hours=rng.uniform(1, 48))
                        draft = start_or_resume(session, missed, opened)
                        for question in questionnaire.questions[: rng.randint(1, 3)]:
                            save_answer(
                                session, draft, question, _answer(rng, person, question, k), opened
                            )

            invitation = invite(at - timedelta(days=rng.uniform(0, 3), hours=rng.uniform(0, 6)))
            response = start_or_resume(session, invitation, at)
            wrote = False
            for i, question in enumerate(questionnaire.questions, start=1):
                if not question.kind.is_free_text:
                    value = _answer(rng, person, question, k)
                elif person.reference in disclosing and k == len(person.checkins) - 1:
                    value = disclosing[person.reference]
                elif rng.random() < FREE_TEXT_SHARE:
                    value = _comment(rng, person, k)
                else:
                    value = ""
                wrote = wrote or (question.kind.is_free_text and bool(value))
                save_answer(session, response, question, value, at + timedelta(seconds=25 * i))
            consent = None
            if wrote:
                # Nobody is quoted saying they are unsafe, even in a demo.
                consent = rng.random() < QUOTE_CONSENT_SHARE and person.reference not in disclosing
            submit_response(
                session,
                response,
                pseudonym_key=pseudonym_key,
                now=at + timedelta(minutes=5),
                quote_consent=consent,
            )
            sent += 1

        # A case with no check-in for three months has usually been closed.
        if now - person.checkins[-1] > timedelta(days=90) and rng.random() < 0.7:
            closed = person.checkins[-1] + timedelta(days=rng.uniform(14, 40))
            close_case(
                session, case, reason="planned", closed_on=closed.date(), by=None, now=closed
            )
    session.flush()
    return sent
