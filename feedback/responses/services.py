"""Responses: drafts saved answer by answer, then sent once.

Services flush; the view commits, once per request.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import secrets
from collections import OrderedDict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from argon2.exceptions import InvalidHashError, VerificationError
from blinker import Namespace
from flask_babel import gettext
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session, contains_eager, joinedload

from feedback.cases.models import Case
from feedback.i18n_outcomes import outcome_word
from feedback.invitations.models import Invitation
from feedback.invitations.services import keep_the_day
from feedback.responses.models import Answer, Response
from feedback.safeguarding.detector import ANOTHER_LANGUAGE, LEVELS, scan
from feedback.staff.passwords import hasher
from outcomes import store
from outcomes.framework import get_framework
from outcomes.questionnaires import RATHER_NOT_SAY, Question, Questionnaire, get_questionnaire
from outcomes.rescore import RawResponse, record_response
from outcomes.text import analyse, redact
from outcomes.vocabulary import age_band

_signals = Namespace()
# Sent when an answer has been saved, in the same transaction, as
# receiver(response, session=, question=, value=, now=, respondent=). A receiver that is
# worried by the answer returns a Concern; the young person's next page depends on it.
answer_saved = _signals.signal("answer-saved")
# Sent as a response is made final, in the same transaction and with the same arguments
# less question and value (plus questionnaire), before its answers are scored.
response_sent = _signals.signal("response-sent")
# Sent as a named response is scored, as receiver(response, session=, case=). A receiver
# returns what the response is scored with beside its answers: (case facts as
# indicator -> score, goal ratings 0-10). The outcomes feature answers it.
scoring_facts = _signals.signal("scoring-facts")
# Asked as quotes are shown, as receiver(None, session=). A receiver returns free-text
# answers in another language, as they were written, that a manager has read, each with
# whether it may be quoted: {text: bool}. Only those are quoted (`read_quotes`). The
# alerts answer it.
words_read = _signals.signal("words-read")


class AlreadySubmitted(Exception):
    pass


@dataclass(frozen=True)
class Respondent:
    """What other features may know of who is answering.

    A named draft has its case. An anonymous draft has nothing in the database that says
    whose it is: while they answer, the browser session knows the team that sent the link
    and holds a key of its own, so that a feature can tell one draft's events apart
    without keeping anything that joins to the response row.
    """

    team_id: int | None
    draft_key: str | None = None


@dataclass(frozen=True)
class Concern:
    """An answer that worries a feature (the safeguarding alerts): how urgent, whether it
    is news (whether anyone has just been told), and in how many minutes someone else is
    told if nobody has read it, which the young person is told too."""

    level: str
    fresh: bool = True
    told_again_after: int | None = None


def most_urgent(concerns) -> Concern | None:
    found = [c for c in concerns if isinstance(c, Concern)]
    if not found:
        return None
    level = next(lv for lv in LEVELS if any(c.level == lv for c in found))
    first = next(c for c in found if c.level == level)
    return Concern(
        level, fresh=any(c.fresh for c in found), told_again_after=first.told_again_after
    )


@dataclass(frozen=True)
class Saved:
    answer: Answer
    concern: Concern | None = None


@dataclass
class SubmitResult:
    response: Response
    occasion_type: str
    measurements: int
    concern: Concern | None = None


def _facts_and_goals(session: Session, response: Response, case: Case | None):
    facts: dict = {}
    goals: list[int] = []
    if case is None:
        return facts, goals
    for _receiver, found in scoring_facts.send(response, session=session, case=case):
        if found:
            facts.update(found[0])
            goals.extend(found[1])
    return facts, goals


def quotable(text: str, quote_consent: bool | None, worried: bool = False) -> bool:
    """Whether words may be quoted: only with consent, and never words that worried us.
    The detector is asked again at any level, so words that would raise an alert are
    never quoted even if, by the time they are sent, they had not."""
    return bool(quote_consent) and not worried and not scan(text).flag


def held_quotable(text: str, quote_consent: bool | None) -> bool:
    """Whether words in another language may be kept as a quote that waits for a manager
    to read them: only with consent, and only where nothing but their language made the
    detector flag them. The worry their language raised is a person's to lift: until a
    manager has read them (`read_quotes`) no words of them are shown."""
    return bool(quote_consent) and scan(text).categories == (ANOTHER_LANGUAGE,)


# Quotes already redacted, by a digest of the words they came from: remembered, as
# `read_quotes` asks again for every view, but never keyed by a young person's own words,
# which the process would otherwise hold (names and all) after retention had removed them
# from the database. Up to QUOTES_KEPT, the oldest forgotten first.
QUOTES_KEPT = 4096
_quotes: OrderedDict[bytes, str] = OrderedDict()


def quote_of(text: str) -> str:
    """The words of a quote as the store keeps them: names, places, phone numbers and
    email addresses taken out."""
    key = hashlib.sha256(text.encode("utf-8")).digest()
    quote = _quotes.get(key)
    if quote is None:
        quote = _quotes[key] = redact(text)
        while len(_quotes) > QUOTES_KEPT:
            _quotes.popitem(last=False)
    return quote


@dataclass(frozen=True)
class ReadQuotes:
    """Quotes, as the store keeps them, of answers in another language that a manager
    has read: those they said may be shown, and those they said may not."""

    quotable: frozenset[str] = frozenset()
    withheld: frozenset[str] = frozenset()

    @property
    def read(self) -> frozenset[str]:
        return self.quotable | self.withheld


def read_quotes(session: Session) -> ReadQuotes:
    """What managers have read of the quotes in another language (the receivers of
    `words_read` say): only those they said may be quoted are ever shown."""
    said: dict[str, bool] = {}
    for _receiver, found in words_read.send(None, session=session):
        for text, quotable in (found or {}).items():
            quote = quote_of(text)
            said[quote] = said.get(quote, True) and bool(quotable)
    return ReadQuotes(
        quotable=frozenset(q for q, ok in said.items() if ok),
        withheld=frozenset(q for q, ok in said.items() if not ok),
    )


def record_comments(
    session: Session,
    occasion: store.Occasion,
    questionnaire: Questionnaire,
    answers: dict[str, object],
    quote_consent: bool | None,
    worrying: Collection[str] = (),
) -> int:
    """`new_comments` into the store, for an occasion already written."""
    comments = new_comments(questionnaire, answers, quote_consent, worrying)
    return len(store.record_comments(session, occasion, comments))


def new_comments(
    questionnaire: Questionnaire,
    answers: dict[str, object],
    quote_consent: bool | None,
    worrying: Collection[str] = (),
) -> list[store.NewComment]:
    """Themes and sentiment of each free-text answer, for the store; the words only as a
    redacted quote, only with consent, and never from an answer that worried us
    (`worrying` names those questions) or that the detector flags now.

    An answer in another language has no themes or sentiment (`outcomes.text.analyse`
    reads English only), and its quote is kept only to wait for a manager's read
    (`held_quotable`): the store marks it by its sentiment, and reports show it only once
    it is among `read_quotes`."""
    comments = []
    for question in questionnaire.questions:
        text = answers.get(question.id)
        if not question.kind.is_free_text or not isinstance(text, str):
            continue
        if not text.strip() or text == RATHER_NOT_SAY:
            continue
        analysis = analyse(text)
        if analysis.analysed:
            keep = quotable(text, quote_consent, question.id in worrying)
        else:
            keep = held_quotable(text, quote_consent)
        quote = quote_of(text) if keep else None
        comments.append(
            store.NewComment(
                question=question.id,
                sentiment=analysis.sentiment,
                polarity=analysis.polarity,
                themes=tuple(
                    store.ThemeRow(m.code, m.domain, m.sentiment) for m in analysis.themes
                ),
                quote=quote,
            )
        )
    return comments


def questionnaire_of(response: Response | Invitation) -> Questionnaire:
    return get_questionnaire(response.questionnaire_code, response.questionnaire_version)


def carry_over_draft(new: Invitation, *, session: Session, now: datetime) -> None:
    """Answers saved through a link that was withdrawn (by hand, or by this new link)
    while it still worked carry on with the new link, so a young person loses nothing
    when their worker sends a fresh one. A draft on a link that had run out, or that
    would have run out by now, stays behind: a new check-in starts afresh."""
    draft = session.scalar(
        select(Response)
        .join(Invitation, Invitation.id == Response.invitation_id)
        .where(
            Invitation.case_id == new.case_id,
            Invitation.questionnaire_code == new.questionnaire_code,
            Invitation.id != new.id,
            Invitation.withdrawn_at.is_not(None),
            Invitation.withdrawn_at < Invitation.expires_at,
            Invitation.expires_at > now,
            Response.status == "draft",
        )
        .order_by(Invitation.withdrawn_at.desc(), Invitation.id.desc())
        .limit(1)
    )
    if draft is not None:
        draft.invitation_id = new.id
        session.flush()


# Every page of a draft reads its answers: they come in the same query as the draft.
_WITH_ANSWERS = (joinedload(Response.answers),)

# What every page of a journey reads first, built once: a statement made afresh on each
# request costs more than the database takes to answer it (SQLAlchemy keeps a built
# statement's cache key, so only the parameter changes).
_LINK_AND_DRAFT = (
    select(Invitation, Response)
    .join(Invitation.case)
    .outerjoin(Response, Response.invitation_id == Invitation.id)
    .options(contains_eager(Invitation.case), *_WITH_ANSWERS)
    .where(Invitation.id == bindparam("invitation_id"))
)
_DRAFT_OF_LINK = (
    select(Response)
    .where(Response.invitation_id == bindparam("invitation_id"))
    .options(*_WITH_ANSWERS)
)


def find_link_and_draft(
    session: Session, invitation_id: int | None
) -> tuple[Invitation | None, Response | None]:
    """A link with its case, and its named draft (with its answers) if one was started,
    in one statement: what every page of a journey reads first."""
    if not invitation_id:
        return None, None
    found = (
        session.execute(_LINK_AND_DRAFT, {"invitation_id": invitation_id}).unique().one_or_none()
    )
    return (found[0], found[1]) if found else (None, None)


# `start_or_resume`'s draft when it has not been read yet.
NOT_READ = object()


def start_or_resume(
    session: Session, invitation: Invitation, now: datetime, draft: object = NOT_READ
) -> Response:
    """The named draft of `invitation`, started if there is none. `draft`: the draft (or
    None) as `find_link_and_draft` read it in this transaction, saving a second read."""
    response = (
        session.scalars(_DRAFT_OF_LINK, {"invitation_id": invitation.id}).unique().one_or_none()
        if draft is NOT_READ
        else draft
    )
    if response is None:
        response = Response(
            invitation_id=invitation.id,
            case_id=invitation.case_id,
            anonymous=False,
            questionnaire_code=invitation.questionnaire_code,
            questionnaire_version=invitation.questionnaire_version,
            status="draft",
            started_at=now,
            updated_at=now,
        )
        session.add(response)
    if invitation.opened_at is None:
        invitation.opened_at = now
    session.flush()
    return response


def _anonymous_key(session: Session, model) -> int:
    """A key for an anonymous response or answer: drawn at random below zero, apart from
    the counter that numbers the named ones, so that it neither follows the order answers
    came in nor moves that counter (SQLite numbers a new row after the largest key)."""
    while True:
        key = -(secrets.randbelow(2**31 - 1) + 1)
        if session.get(model, key) is None:
            return key


def start_or_resume_anonymous(
    session: Session, invitation: Invitation, draft_id: int | None, now: datetime
) -> Response:
    """The draft this browser holds, or a new one. Nothing in the database links an
    anonymous draft to its invitation: only the browser's session knows which it is, so
    it can be resumed in the same browser session and nowhere else."""
    response = session.get(Response, draft_id, options=_WITH_ANSWERS) if draft_id else None
    if (
        response is None
        or not response.anonymous
        or response.status != "draft"
        or response.questionnaire_code != invitation.questionnaire_code
        or response.questionnaire_version != invitation.questionnaire_version
    ):
        response = Response(
            id=_anonymous_key(session, Response),
            invitation_id=None,
            case_id=None,
            anonymous=True,
            questionnaire_code=invitation.questionnaire_code,
            questionnaire_version=invitation.questionnaire_version,
            status="draft",
            started_at=keep_the_day(now),
            updated_at=keep_the_day(now),
        )
        session.add(response)
    if invitation.opened_at is None:
        invitation.opened_at = keep_the_day(now)
    session.flush()
    return response


def find_draft(
    session: Session, invitation_id: int | None, draft_id: int | None
) -> Response | None:
    """The draft a browser session holds, if any, without starting one: an anonymous
    draft by its id (only the session knows it), a named one by its invitation."""
    if draft_id:
        response = session.get(Response, draft_id)
        return response if response is not None and response.status == "draft" else None
    if invitation_id:
        return session.scalar(
            select(Response).where(
                Response.invitation_id == invitation_id, Response.status == "draft"
            )
        )
    return None


def answers_of(response: Response) -> dict[str, object]:
    return response.answer_map()


# --------------------------------------------------------------------------
# Who may see a draft's answers again
#
# Every answer is saved, so nothing is lost; but its content is shown again only to the
# browser session that gave it. That session holds a random secret, and each answer keeps
# a hash of it. Another session (another phone, the link reopened from the history) sees
# which questions were answered, not what was said. Leaving clears the hashes, so a copy
# of the session cookie taken earlier stops revealing anything.


def viewer_of(secret: str, response: Response) -> str:
    # The draft is part of the hash: one browser session answering an anonymous link and
    # a named one leaves no value shared by the two sets of answers.
    return hashlib.sha256(f"viewer:{response.id}:{secret}".encode()).hexdigest()


def visible_answers(response: Response, viewer: str | None) -> dict[str, object]:
    """The answers this viewer gave (or may see through the PIN), by question."""
    if not viewer:
        return {}
    return {a.question_id: a.value for a in response.answers if a.viewer_hash == viewer}


def sees_everything(response: Response, viewer: str | None) -> bool:
    return all(a.viewer_hash == viewer for a in response.answers)


def forget_viewer(session: Session, response: Response, viewer: str) -> None:
    """The session leaves: its answers stay saved but are shown to nobody."""
    for answer in response.answers:
        if answer.viewer_hash == viewer:
            answer.viewer_hash = None
    session.flush()


# --------------------------------------------------------------------------
# The optional PIN

PIN_LENGTH = 4


class PinError(ValueError):
    """The PIN cannot be set or used; the message is fit to show the young person."""


def _peppered(secret: str, response: Response, pin: str) -> str:
    # Keyed with the app's secret and the draft: a copy of the database alone gives
    # nothing to try 10,000 PINs against.
    return hmac.new(
        secret.encode(), f"pin:{response.id}:{pin}".encode(), hashlib.sha256
    ).hexdigest()


def normalise_pin(typed: str | None) -> str:
    pin = "".join((typed or "").split())
    if not pin:
        raise PinError(gettext("Enter your 4 numbers"))
    if len(pin) != PIN_LENGTH or not pin.isascii() or not pin.isdigit():
        raise PinError(gettext("Your PIN is 4 numbers, like 2580"))
    return pin


def may_set_pin(response: Response, viewer: str | None) -> bool:
    """Only a named draft, only once, and only by a session that may already see every
    saved answer: otherwise the PIN would open answers the setter never gave."""
    return (
        not response.anonymous
        and response.status == "draft"
        and response.pin_hash is None
        and sees_everything(response, viewer)
    )


def set_pin(session: Session, response: Response, typed: str, viewer: str, *, secret: str) -> None:
    pin = normalise_pin(typed)
    if not may_set_pin(response, viewer):
        raise PinError("A PIN has already been set for this check-in")
    response.pin_hash = hasher().hash(_peppered(secret, response, pin))
    response.pin_failures = 0
    session.flush()


def pin_tries_left(response: Response, tries: int) -> int:
    return max(0, tries - (response.pin_failures or 0))


def use_pin(
    session: Session, response: Response, typed: str, viewer: str, *, secret: str, tries: int
) -> None:
    """A right PIN lets this session see every saved answer; a wrong one is counted
    against the draft. Raises PinError saying what to do next."""
    if response.pin_hash is None or response.status != "draft":
        raise PinError("There is no PIN for this check-in")
    if pin_tries_left(response, tries) == 0:
        raise PinError("Your PIN has been tried too many times, so it no longer works")
    pin = normalise_pin(typed)
    try:
        hasher().verify(response.pin_hash, _peppered(secret, response, pin))
    except (VerificationError, InvalidHashError):
        # Counted in the database, not per address or session, in one statement so that
        # guesses sent at the same moment are all counted.
        session.execute(
            update(Response)
            .where(Response.id == response.id)
            .values(pin_failures=Response.pin_failures + 1)
        )
        session.flush()
        session.refresh(response, ["pin_failures"])
        left = pin_tries_left(response, tries)
        if left == 0:
            raise PinError(
                "That PIN is not right. It has been tried too many times, so it no longer works"
            ) from None
        raise PinError(
            f"That PIN is not right. You can try {left} more time{'s' if left != 1 else ''}"
        ) from None
    response.pin_failures = 0
    for answer in response.answers:
        answer.viewer_hash = viewer
    session.flush()


def save_answer(
    session: Session,
    response: Response,
    question: Question,
    value: object,
    now: datetime,
    *,
    viewer: str | None = None,
    respondent: Respondent | None = None,
) -> Saved:
    """Save one answer to a draft, shown again only to `viewer`; tell the features that
    listen (see `answer_saved`) and return what worried them, if anything."""
    exact = now
    if response.status != "draft":
        raise AlreadySubmitted
    if response.anonymous:
        now = keep_the_day(now)
    if not question.is_valid_answer(value):
        raise ValueError(f"not a valid answer to {question.id}")
    answer = next((a for a in response.answers if a.question_id == question.id), None)
    encoded = json.dumps(value, ensure_ascii=False)
    if answer is None:
        # Another request (a second tap, another phone) may be saving this question's
        # first answer right now: insert or, if its row is there, update it.
        answer = _upsert_answer(
            session,
            response,
            question.id,
            key=_anonymous_key(session, Answer) if response.anonymous else None,
            value_json=encoded,
            answered_at=now,
            viewer_hash=viewer,
        )
    else:
        answer.value_json = encoded
        answer.answered_at = now
        answer.viewer_hash = viewer
    response.updated_at = now
    session.flush()
    # Alerts are raised at the exact time, whatever the anonymity of the answer.
    concern = most_urgent(
        rv
        for _receiver, rv in answer_saved.send(
            response,
            session=session,
            question=question,
            value=value,
            now=exact,
            respondent=respondent,
        )
    )
    if concern is not None and _more_urgent(concern.level, answer.concern):
        answer.concern = concern.level
        session.flush()
    return Saved(answer, concern)


def _upsert_answer(
    session: Session,
    response: Response,
    question_id: str,
    *,
    key: int | None,
    value_json: str,
    answered_at: datetime,
    viewer_hash: str | None,
) -> Answer:
    """The first answer to a question, as one INSERT ... ON CONFLICT DO UPDATE on
    (response, question): two requests saving it at once leave one row, with the later
    value, and neither fails. On PostgreSQL the second waits for the first to commit and
    then updates its row; SQLite lets one writer in at a time. The row keeps its key and
    the worry it raised (`concern`), as an answer saved again does."""
    session.flush()  # the response has its id; earlier changes go first
    row = {
        "response_id": response.id,
        "question_id": question_id,
        "value_json": value_json,
        "answered_at": answered_at,
        "viewer_hash": viewer_hash,
    }
    if key is not None:
        row["id"] = key
    statement = _answer_upsert(session.get_bind(Answer).dialect.name, tuple(row))
    # What is in the row now, as the statement returns it, among the draft's answers (no
    # change to flush: the row already belongs to the draft).
    answer = session.scalars(statement, row, execution_options={"populate_existing": True}).one()
    if answer not in response.answers:
        response.answers.append(answer)
    return answer


@functools.cache
def _answer_upsert(dialect: str, columns: tuple[str, ...]):
    """`_upsert_answer`'s statement for a row of `columns`, built once a dialect (and once
    more for an anonymous answer, whose key is drawn at random): only its parameters
    change."""
    statement = store.insert_for(dialect, Answer).values({c: bindparam(c) for c in columns})
    changes = ("value_json", "answered_at", "viewer_hash")
    return statement.on_conflict_do_update(
        index_elements=[Answer.response_id, Answer.question_id],
        set_={c: statement.excluded[c] for c in changes},
    ).returning(Answer)


def _more_urgent(level: str, than: str | None) -> bool:
    return than is None or LEVELS.index(level) < LEVELS.index(than)


@dataclass(frozen=True)
class SharedAnswer:
    question: str
    answer: str


@dataclass(frozen=True)
class SharedCheckIn:
    sent_at: datetime
    title: str
    answers: tuple[SharedAnswer, ...]


def answer_label(question: Question, value: object) -> str:
    """An answer in the words the young person chose it by."""
    return question.answer_label(value)


def shared_with_worker(session: Session, case_id: int) -> list[SharedCheckIn]:
    """The answers the young person was told their worker reads, from each sent check-in,
    newest first. Answers for the service only, and anonymous feedback, never appear."""
    sent = session.scalars(
        select(Response)
        .where(
            Response.case_id == case_id,
            Response.status == "submitted",
            Response.anonymous.is_(False),
        )
        .order_by(Response.submitted_at.desc(), Response.id.desc())
    )
    found = []
    for response in sent:
        questionnaire = questionnaire_of(response)
        answers = response.answer_map()
        shared = tuple(
            SharedAnswer(q.text, answer_label(q, answers[q.id]))
            for q in questionnaire.questions
            if q.shown_to_worker(questionnaire) and q.id in answers
        )
        if shared:
            found.append(
                SharedCheckIn(response.submitted_at, outcome_word(questionnaire.title), shared)
            )
    return found


def first_unanswered(questionnaire: Questionnaire, answers: dict[str, object]) -> Question | None:
    return next((q for q in questionnaire.questions if q.id not in answers), None)


def previous_question(questionnaire: Questionnaire, question: Question) -> Question | None:
    i = questionnaire.position(question.id) - 1
    return questionnaire.questions[i - 1] if i > 0 else None


def next_question(questionnaire: Questionnaire, question: Question) -> Question | None:
    i = questionnaire.position(question.id)
    return questionnaire.questions[i] if i < len(questionnaire.questions) else None


def has_free_text(questionnaire: Questionnaire, answers: dict[str, object]) -> bool:
    return any(
        q.kind.is_free_text and answers.get(q.id) not in (None, "", RATHER_NOT_SAY)
        for q in questionnaire.questions
    )


def occasion_type_for(session: Session, response: Response, questionnaire: Questionnaire) -> str:
    if questionnaire.kind != "checkin":
        return "exit"
    if response.case_id is None:
        return "review"
    earlier = session.scalar(
        select(func.count(Response.id)).where(
            Response.case_id == response.case_id,
            Response.status == "submitted",
            Response.questionnaire_code == questionnaire.code,
            Response.id != response.id,
        )
    )
    return "baseline" if not earlier else "review"


def context_for(case: Case, response_id: int, pseudonym_key: bytes, on: datetime) -> store.Context:
    return store.Context(
        pseudonym=store.pseudonymise(pseudonym_key, case.reference),
        response_ref=store.pseudonymise(pseudonym_key, f"response:{response_id}"),
        team=case.team.code,
        age_band=age_band(case.date_of_birth, on.date()),
        strands=tuple(case.strands),
        gender=case.gender,
    )


def anonymous_context(response_id: int, pseudonym_key: bytes) -> store.Context:
    """An anonymous response in the store: a person of its own, under a pseudonym of the
    response's random key, with nothing about who they are (no team, age, gender or
    strands), so that the store adds nothing to what could single them out."""
    return store.Context(
        pseudonym=store.pseudonymise(pseudonym_key, f"anonymous:{response_id}"),
        response_ref=store.pseudonymise(pseudonym_key, f"response:{response_id}"),
        team="",
        age_band="",
        strands=(),
        gender=None,
    )


def submit_response(
    session: Session,
    response: Response,
    *,
    pseudonym_key: bytes,
    now: datetime,
    quote_consent: bool | None = None,
    invitation: Invitation | None = None,
    respondent: Respondent | None = None,
) -> SubmitResult:
    """Make the response final, score it, and write its measurements under the pseudonym.

    One transaction: the caller commits once after this returns, so either all of it
    happens or none of it does. Sending twice at once (a double press) sends once: the
    second raises AlreadySubmitted.
    """
    if response.status != "draft":
        raise AlreadySubmitted
    # Made final in one conditional statement, so that of two sends racing each other
    # only one finds the draft still a draft.
    made_final = session.execute(
        update(Response)
        .where(Response.id == response.id, Response.status == "draft")
        .values(status="submitted")
        .execution_options(synchronize_session=False)
    )
    if made_final.rowcount != 1:
        raise AlreadySubmitted
    questionnaire = questionnaire_of(response)
    answers = response.answer_map()
    response.status = "submitted"
    response.submitted_at = keep_the_day(now) if response.anonymous else now
    # Set, not left to the column's update to the second, which would match used_at.
    response.updated_at = response.submitted_at
    response.quote_consent = quote_consent if has_free_text(questionnaire, answers) else None
    # A sent response is never shown again, so nothing needs to know who gave it.
    for answer in response.answers:
        answer.viewer_hash = None
    if response.invitation_id is not None:
        invitation = session.get(Invitation, response.invitation_id)
    if invitation is not None:
        # Who took part is recorded here, on the invitation; for an anonymous response
        # this is the only trace, and it says nothing of what they said.
        invitation.used_at = keep_the_day(now) if response.anonymous else now
    case = session.get(Case, response.case_id) if response.case_id else None
    occasion_type = occasion_type_for(session, response, questionnaire)
    framework = get_framework(questionnaire.framework_code, questionnaire.framework_version)
    if case is not None:
        context = context_for(case, response.id, pseudonym_key, now)
    elif response.anonymous:
        context = anonymous_context(response.id, pseudonym_key)
    else:
        context = None
    result = SubmitResult(response, occasion_type, 0)
    if context is not None:
        facts, goals = _facts_and_goals(session, response, case)
        worrying = {a.question_id for a in response.answers if a.concern}
        _occasion, scores = record_response(
            session,
            framework,
            RawResponse(
                context=context,
                questionnaire_code=questionnaire.code,
                questionnaire_version=questionnaire.version,
                answers=answers,
                facts=facts,
                goals=goals,
                submitted_at=now,
                occasion_type=occasion_type,
            ),
            new_comments(questionnaire, answers, response.quote_consent, worrying),
        )
        result.measurements = len(scores.indicators)
    result.concern = most_urgent(
        rv
        for _receiver, rv in response_sent.send(
            response,
            session=session,
            questionnaire=questionnaire,
            now=now,
            respondent=respondent,
        )
    )
    session.flush()
    return result
