"""Parents and carers: their contacts kept with the case, and the family exit interview
they are invited to when the case closes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from feedback.alerts.models import Alert
from feedback.audit.models import AuditEvent
from feedback.cases import services
from feedback.cases.models import Case, FamilyContact
from feedback.invitations import services as invitations
from feedback.invitations.models import Invitation
from feedback.privacy.services import Retention, erase_case, purge
from feedback.responses.models import Response
from outcomes.framework import KIND_SOURCES, get_framework
from outcomes.question_types import question_type
from outcomes.questionnaires import get_questionnaire
from outcomes.store import DomainScore, Occasion, pseudonymise
from tests.conftest import utcnow

FAMILY = get_questionnaire("exit-family")
MUM = services.ContactDetails("Sam Parent", "Mum", phone="020 7946 0018")
GRANDAD = services.ContactDetails("Lee Parent", "Grandad", email="Lee@Example.org", language="pl")
ANSWERS = {
    "listened-to": "certainly-true",
    "treated-well": "certainly-true",
    "child-helped": "partly-true",
    "easy-to-reach": "not-true",
    "things-better": "dont-know",
    "would-recommend": "certainly-true",
    "really-good": "The worker always called back",
    "could-be-better": "rather-not-say",
    "anything-else": "",
    "who-with": "on-my-own",
}


def add(session, case, details=MUM):
    contact = services.add_family_contact(
        session, case, details, by=case.practitioner, now=utcnow()
    )
    session.commit()
    return contact


def close_inviting_family(app, session, case):
    services.close_case(
        session, case, reason="planned", closed_on=utcnow().date(), by=None, now=utcnow()
    )
    issued = [
        invitations.invite(
            session,
            case,
            FAMILY,
            config=app.config,
            created_by_id=None,
            now=utcnow(),
            contact=contact,
        )
        for contact in case.family_contacts
    ]
    session.commit()
    return issued


# --- contacts -------------------------------------------------------------------------------


def test_contacts_are_tidied_kept_with_the_case_and_audited(session, make_case):
    case = make_case()
    mum, grandad = add(session, case), add(session, case, GRANDAD)
    assert (mum.phone, mum.email, mum.language) == ("+442079460018", None, "en")
    assert (grandad.phone, grandad.email, grandad.language) == (None, "lee@example.org", "pl")
    assert [c.name for c in session.get(Case, case.id).family_contacts] == [
        "Sam Parent",
        "Lee Parent",
    ]
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.action == "family-contact-added")
    ).all()
    assert len(events) == 2 and all("Parent" not in str(e.detail) for e in events)


@pytest.mark.parametrize(
    ("details", "field", "message"),
    [
        (services.ContactDetails("A", "Mum"), "phone", "phone number or an email"),
        (services.ContactDetails("A", "Mum", phone="12345"), "phone", "UK phone number"),
        (services.ContactDetails("A", "Mum", phone="+33 1 42 68 53 00"), "phone", "UK phone"),
        (services.ContactDetails("A", "Mum", email="not-an-email"), "email", "email address"),
        (services.ContactDetails("", "Mum", phone="02079460018"), "name", "name"),
        (services.ContactDetails("A", "", phone="02079460018"), "relationship", "related"),
        (
            services.ContactDetails("A", "Mum", phone="02079460018", language="English"),
            "language",
            "language code",
        ),
    ],
)
def test_bad_contacts_are_refused_and_nothing_is_kept(session, make_case, details, field, message):
    case = make_case()
    with pytest.raises(services.ContactError, match=message) as caught:
        services.add_family_contact(session, case, details, by=None, now=utcnow())
    assert caught.value.field == field
    session.rollback()
    assert session.scalars(select(FamilyContact)).all() == []


def test_removing_a_contact_withdraws_their_link_and_is_audited(app, session, make_case):
    case = make_case()
    mum, grandad = add(session, case), add(session, case, GRANDAD)
    first, second = close_inviting_family(app, session, case)
    services.remove_family_contact(session, mum, by=None, now=utcnow())
    session.commit()
    session.expire_all()
    assert [c.id for c in session.get(Case, case.id).family_contacts] == [grandad.id]
    assert session.get(Invitation, first.invitation.id).withdrawn_at is not None
    assert session.get(Invitation, second.invitation.id).withdrawn_at is None
    assert (
        session.scalar(select(AuditEvent).where(AuditEvent.action == "family-contact-removed"))
        is not None
    )


def test_practitioner_adds_and_removes_contacts_from_the_case_page(
    client, auth, session, make_case
):
    case = make_case()
    auth.sign_in(case.practitioner)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "No parent or carer is recorded" in page
    assert client.get(f"/cases/{case.id}/family-contacts/new").status_code == 200

    bad = client.post(
        f"/cases/{case.id}/family-contacts/new",
        data={"name": "Sam Parent", "relationship": "Mum", "phone": "0123", "language": "en"},
    )
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "govuk-error-summary" in text and "Enter a UK phone number" in text
    neither = client.post(
        f"/cases/{case.id}/family-contacts/new",
        data={"name": "Sam Parent", "relationship": "Mum", "language": "en"},
    )
    assert neither.status_code == 400
    assert "Enter a phone number or an email address" in neither.get_data(as_text=True)
    assert session.scalars(select(FamilyContact)).all() == []

    added = client.post(
        f"/cases/{case.id}/family-contacts/new",
        data={
            "name": "Sam Parent",
            "relationship": "Mum",
            "phone": "020 7946 0018",
            "language": "en",
        },
        follow_redirects=True,
    )
    assert "Sam Parent" in added.get_data(as_text=True)
    contact = session.scalar(select(FamilyContact))
    # The button names whom it removes, for a screen reader only: markup, not text.
    button = '<span class="govuk-visually-hidden"> Sam Parent</span>'
    assert button in added.get_data(as_text=True) and "&lt;span" not in added.get_data(as_text=True)
    removed = client.post(
        f"/cases/{case.id}/family-contacts/{contact.id}/remove", follow_redirects=True
    )
    assert "Parent or carer removed" in removed.get_data(as_text=True)
    session.expire_all()
    assert session.scalars(select(FamilyContact)).all() == []


# --- retention and erasure ------------------------------------------------------------------


def test_retention_and_erasure_remove_contacts_with_the_case(app, session, make_case):
    kept, retained, erased = make_case(), make_case(), make_case(reference="CS-FAM-ERASE")
    for case in (kept, retained, erased):
        add(session, case)
    close_inviting_family(app, session, retained)
    retention = Retention.from_config(app.config)
    later = utcnow() + timedelta(days=retention.closed_case_days + 1)
    counts = purge(session, retention, later, apply=True)
    assert counts.closed_cases == 1 and counts.case_invitations == 1
    erase_case(session, "cs-fam-erase", app.config["PSEUDONYM_KEY"].encode(), utcnow())
    session.commit()
    assert session.scalars(select(FamilyContact.case_id)).all() == [kept.id]


# --- the family exit interview and the invitations ------------------------------------------


def test_the_family_exit_interview_feeds_family_indicators_only():
    assert FAMILY.kind == "exit-family" and FAMILY.is_exit and not FAMILY.anonymous
    assert KIND_SOURCES[FAMILY.kind] == "family"
    framework = get_framework("complex-safeguarding", 2)
    agreement = [q for q in FAMILY.questions if q.kind is question_type("agreement")]
    assert len(agreement) == 6
    for question in agreement:
        assert framework.indicator(question.indicator).source == "family"
    assert FAMILY.question("who-with").kind.name == "choose-one"
    assert "your child" in FAMILY.intro


def test_family_links_are_one_per_contact_and_need_a_contact(app, session, make_case):
    case = make_case()
    mum, grandad = add(session, case), add(session, case, GRANDAD)
    first, second = close_inviting_family(app, session, case)
    assert {first.invitation.family_contact_id, second.invitation.family_contact_id} == {
        mum.id,
        grandad.id,
    }
    assert invitations.state_of(first.invitation, utcnow()) is invitations.InvitationState.LIVE
    again = invitations.invite(
        session, case, FAMILY, config=app.config, created_by_id=None, now=utcnow(), contact=mum
    )
    session.commit()
    assert session.get(Invitation, first.invitation.id).withdrawn_at is not None
    assert session.get(Invitation, second.invitation.id).withdrawn_at is None
    assert again.invitation.family_contact_id == mum.id
    with pytest.raises(invitations.InvitationError, match="which parent or carer"):
        invitations.invite(
            session, case, FAMILY, config=app.config, created_by_id=None, now=utcnow()
        )


def test_closing_from_the_page_invites_each_parent_or_carer_once(client, auth, session, make_case):
    case = make_case()
    add(session, case), add(session, case, GRANDAD)
    auth.sign_in(case.practitioner)
    form = client.get(f"/cases/{case.id}/close").get_data(as_text=True)
    assert 'name="family_exit"' in form
    today = utcnow().date()
    response = client.post(
        f"/cases/{case.id}/close",
        data={
            "reason": "planned",
            "exit_interview": "yes",
            "family_exit": "yes",
            "closed_on": [str(today.day), str(today.month), str(today.year)],
        },
    )
    assert response.status_code == 302
    html = client.get(response.location).get_data(as_text=True)
    assert "Family exit interview invitations ready" in html
    assert "Exit interview invitation ready" in html
    links = re.findall(r'family-invite-link">([^<]+)<', html)
    assert len(links) == 2 and all("/r/" in link for link in links)
    again = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert not any(link in again for link in links)
    assert "Family exit interview for Lee Parent (Grandad)" in again
    rows = session.scalars(
        select(Invitation).where(Invitation.questionnaire_code == "exit-family")
    ).all()
    assert len(rows) == 2 and all(r.family_contact_id for r in rows)


def test_cli_close_adds_and_invites_family_contacts_and_invite_picks_one(
    runner, session, make_case
):
    case = make_case(reference="CS-FAM-1")
    result = runner.invoke(
        args=[
            "cases",
            "close",
            "CS-FAM-1",
            "--reason",
            "planned",
            "--no-exit",
            "--family-contact",
            "Sam Parent;Mum;020 7946 0018",
            "--family-contact",
            "Lee Parent;Grandad;lee@example.org",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Family exit interview for Sam Parent (Mum): http" in result.output
    assert "Family exit interview for Lee Parent (Grandad): http" in result.output
    assert len(re.findall(r"Code: [A-Z2-9]{4}-[A-Z2-9]{4}", result.output)) == 2
    session.expire_all()
    assert [c.name for c in session.get(Case, case.id).family_contacts] == [
        "Sam Parent",
        "Lee Parent",
    ]

    result = runner.invoke(
        args=["invite", "--case", "CS-FAM-1", "--questionnaire", "exit-family", "--contact", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "For: Lee Parent (Grandad)" in result.output
    result = runner.invoke(
        args=["invite", "--case", "CS-FAM-1", "--questionnaire", "exit-family", "--contact", "3"]
    )
    assert result.exit_code != 0 and "no number 3" in result.output

    make_case(reference="CS-FAM-2")
    result = runner.invoke(
        args=[
            "cases",
            "close",
            "CS-FAM-2",
            "--reason",
            "planned",
            "--family-contact",
            "Sam;Mum;0123",
        ]
    )
    assert result.exit_code != 0 and "UK phone number" in result.output
    session.expire_all()
    assert session.scalar(select(Case).where(Case.reference == "CS-FAM-2")).status == "open"


def test_family_exit_journey_through_the_pages_is_scored_for_the_family(
    app, client, session, make_case
):
    case = make_case()
    add(session, case)
    (issued,) = close_inviting_family(app, session, case)

    opened = client.get(f"/r/{issued.token}")
    assert opened.status_code == 302
    welcome = client.get(opened.location).get_data(as_text=True)
    assert "your child" in welcome and "other families" in welcome
    assert "other young people" not in welcome
    # A worrying answer is read with the child's case, not the parent's name: the page says so.
    assert "will know it came from your family" in welcome
    assert "with your name" not in welcome

    for question in FAMILY.questions:
        page = client.get(f"/check-in/questions/{question.id}")
        text = page.get_data(as_text=True)
        assert page.status_code == 200, question.id
        assert question.text.rstrip(".?") in text, question.id
        assert "Your worker will read this answer" not in text
        assert "with your name" not in text
        if question.kind.is_free_text:
            assert "will know it came from your family" in text
        sent = client.post(
            f"/check-in/questions/{question.id}", data={"answer": ANSWERS[question.id]}
        )
        assert sent.status_code == 302, (question.id, sent.data[:300])

    check = client.get("/check-in/check").get_data(as_text=True)
    assert "hear from families directly" in check
    done = client.post("/check-in/check", data={"quote_consent": "no"})
    assert done.status_code == 302

    response = session.scalar(select(Response).where(Response.case_id == case.id))
    assert response.status == "submitted" and response.questionnaire_code == "exit-family"
    occasion = session.scalar(
        select(Occasion).where(
            Occasion.pseudonym == pseudonymise(app.config["PSEUDONYM_KEY"].encode(), case.reference)
        )
    )
    assert (occasion.framework_code, occasion.framework_version) == ("complex-safeguarding", 2)
    domains = {
        d.domain: d.score
        for d in session.scalars(select(DomainScore).where(DomainScore.occasion_id == occasion.id))
    }
    # listened to 100, treated well 100, helped 50, easy to reach 0, recommend 100
    assert domains == {"family-experience": 70}


def test_a_parents_disclosure_raises_an_alert(app, client, session, make_case, make_user):
    make_user("manager")
    case = make_case()
    add(session, case)
    (issued,) = close_inviting_family(app, session, case)
    client.get(f"/r/{issued.token}")
    told = ""
    for question in FAMILY.questions:
        answer = ANSWERS[question.id]
        if question.id == "anything-else":
            answer = "His stepdad hits him and I am scared for him"
        sent = client.post(f"/check-in/questions/{question.id}", data={"answer": answer})
        if sent.location.endswith("/check-in/thank-you"):  # straight after the worry
            told = client.get(sent.location).get_data(as_text=True)
            assert "your child's worker" in told.replace("&#39;", "'")
            assert "with your name" not in told
    assert told, "the page straight after the worrying answer was not shown"
    assert client.post("/check-in/check", data={"quote_consent": "no"}).status_code == 302
    assert session.scalar(select(func.count(Alert.id)).where(Alert.case_id == case.id)) == 1
