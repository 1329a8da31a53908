from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from feedback import db
from feedback.cases import services
from feedback.cases.forms import (
    CaseForm,
    CloseCaseForm,
    FamilyContactForm,
    InviteForm,
    RemoveContactForm,
    ReopenCaseForm,
    WithdrawForm,
    with_channels,
)
from feedback.cases.models import CLOSURE_REASONS, FamilyContact
from feedback.clock import now, today
from feedback.i18n import s_, sl_
from feedback.i18n_outcomes import outcome_word, outcome_words
from feedback.invitations import services as invitations
from feedback.invitations.models import Invitation
from feedback.outbox import invitations as sending
from feedback.outbox import services as outbox
from feedback.outbox.senders import sender_channels
from feedback.responses import services as responses
from feedback.staff import access
from feedback.staff.access import CASE_READERS, CASE_WORKERS, roles_required
from outcomes.questionnaires import get_questionnaire
from outcomes.vocabulary import GENDERS, STRANDS, age_band

bp = Blueprint("cases", __name__, url_prefix="/cases")
JUST_ISSUED = "just_issued"
INVITABLE = ("checkin", "service-feedback")
# What staff call each questionnaire on the case page.
STAFF_TITLES = {
    invitations.EXIT_YOUNG_PERSON: sl_("Exit interview"),
    invitations.EXIT_FAMILY: sl_("Family exit interview"),
}


@bp.route("")
@roles_required(*CASE_READERS)
def list_cases():
    cases = services.visible_cases(db.session(), current_user)
    return render_template("cases/list.html", cases=cases, strands=outcome_words(STRANDS))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def new_case():
    form = CaseForm()
    # A retired team takes no new cases.
    form.team.choices = [(t.id, t.name) for t in current_user.teams if t.retired_at is None]
    if len(form.team.choices) == 1 and not form.is_submitted():
        form.team.data = form.team.choices[0][0]
    if form.validate_on_submit():
        dob = form.date_of_birth.data
        if dob >= today() or dob.year < 1990:
            form.date_of_birth.errors.append(s_("Date of birth must be a real date in the past"))
        else:
            try:
                case = services.open_case(
                    db.session(),
                    services.CaseDetails(
                        reference=form.reference.data,
                        label=form.label.data,
                        date_of_birth=dob,
                        team_id=form.team.data,
                        strands=tuple(form.strands.data),
                        gender=form.gender.data or None,
                    ),
                    current_user,
                    now(),
                )
            except services.CaseError as error:
                target = form.reference if error.field == "reference" else form.team
                target.errors.append(str(error))
            else:
                db.session().commit()
                return redirect(url_for("cases.show", case_id=case.id))
    return render_template("cases/new.html", form=form), 400 if form.errors else 200


@bp.route("/<int:case_id>")
@roles_required(*CASE_READERS)
def show(case_id: int):
    case = services.get_visible_case(db.session(), current_user, case_id)
    if case is None:
        abort(404)
    return _render_case(case)


def _render_case(case, invite_form: InviteForm | None = None, status: int = 200):
    issued = session.pop(JUST_ISSUED, None)
    if issued and issued.get("case_id") != case.id:
        issued = None
    if invite_form is None:
        invite_form = InviteForm(formdata=None)
    with_channels(invite_form.how, sender_channels(current_app.config))
    # What the young person was told "your worker will read": for their worker's eyes.
    is_worker = current_user.id == case.practitioner_id
    listed = invitations.invitations_for_case(db.session(), case.id)
    return render_template(
        "cases/show.html",
        case=case,
        age_band=age_band(case.date_of_birth, today()),
        strands=outcome_words(STRANDS),
        genders=outcome_words(GENDERS),
        invitations=[(inv, invitations.state_of(inv, now())) for inv in listed],
        messages=outbox.messages_for_invitations(db.session(), [inv.id for inv in listed]),
        issued=issued,
        invite_form=invite_form,
        withdraw_form=WithdrawForm(),
        is_worker=is_worker,
        shared=responses.shared_with_worker(db.session(), case.id) if is_worker else None,
        titles={
            **{code: outcome_word(get_questionnaire(code).title) for code in INVITABLE},
            **{code: str(title) for code, title in STAFF_TITLES.items()},
        },
        referral=case.referral,
        reasons=CLOSURE_REASONS,
        reopen_form=ReopenCaseForm(),
        remove_contact_form=RemoveContactForm(),
    ), status


@bp.route("/<int:case_id>/invitations", methods=["POST"])
@roles_required(*CASE_WORKERS)
def invite(case_id: int):
    case = services.get_visible_case(db.session(), current_user, case_id)
    if case is None:
        abort(404)
    if case.status != "open":
        abort(400)
    code = request.form.get("questionnaire", "checkin")
    if code not in INVITABLE:
        abort(400)
    questionnaire = get_questionnaire(code)
    form = InviteForm()
    if not form.validate_on_submit():
        return _render_case(case, form, 400)
    try:
        delivery = sending.check_delivery(
            form.how.data or "show",
            form.phone.data,
            form.email.data,
            sender_channels(current_app.config),
        )
    except sending.DeliveryError as error:
        _field_error(form, error)
        return _render_case(case, form, 400)
    for attempt in range(2):
        try:
            issued = invitations.invite(
                db.session(),
                case,
                questionnaire,
                config=current_app.config,
                created_by_id=current_user.id,
                now=now(),
                language=form.language.data,
                easy_read=bool(form.easy_read.data),
            )
            if delivery is not None:
                sending.send_link(db.session(), issued, delivery, now=now())
            db.session().commit()
            break
        except IntegrityError:
            # Someone issued a link for the same questionnaire at the same moment: the
            # unique index stopped a second live link. Once more, replacing theirs.
            db.session().rollback()
            if attempt:
                raise
            case = services.get_visible_case(db.session(), current_user, case_id)
    _show_once(case, outcome_word(questionnaire.title), issued, sent_by=delivery)
    return redirect(url_for("cases.show", case_id=case.id))


def _field_error(form, error: sending.DeliveryError, prefix: str = "") -> None:
    field = getattr(form, prefix + error.field, None) or getattr(form, error.field)
    field.errors = [*field.errors, str(error)]


def _shown(issued: invitations.IssuedInvitation, sent_by=None) -> dict:
    return {
        "link": url_for("young.open_link", token=issued.token, _external=True),
        "code": issued.display_code,
        "expires": issued.invitation.expires_at.strftime("%-d %B %Y"),
        # How it was sent, never where: the session cookie is no place for an address.
        "sent_by": sent_by.in_words if sent_by is not None else None,
    }


def _show_once(
    case,
    title: str | None,
    issued: invitations.IssuedInvitation | None,
    family: list[tuple[FamilyContact, invitations.IssuedInvitation]] = (),
    *,
    sent_by=None,
    family_sent_by: dict | None = None,
) -> None:
    """The links and codes, shown once on the case page: only hashes are kept. Each
    parent or carer invited gets their own."""
    session[JUST_ISSUED] = {
        "case_id": case.id,
        "title": title,
        **(_shown(issued, sent_by) if issued is not None else {}),
        "family": [
            {
                "name": contact.name,
                "relationship": contact.relationship,
                **_shown(each, (family_sent_by or {}).get(contact.id)),
            }
            for contact, each in family
        ],
    }


@bp.route("/<int:case_id>/close", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def close(case_id: int):
    case = services.get_visible_case(db.session(), current_user, case_id)
    if case is None:
        abort(404)
    if not access.may_close_case(current_user, case):
        flash(s_("This case is already closed. Nothing was changed."), "info")
        return redirect(url_for("cases.show", case_id=case.id))
    form = CloseCaseForm()
    if not form.is_submitted():
        form.closed_on.data = today()
    channels = sender_channels(current_app.config)
    if form.validate_on_submit() and not _close_deliveries_wrong(form, case, channels):
        young_person = form.exit_interview.data == "yes"
        contacts = list(case.family_contacts) if form.family_exit.data == "yes" else []
        try:
            services.close_case(
                db.session(),
                case,
                reason=form.reason.data,
                closed_on=form.closed_on.data,
                by=current_user,
                now=now(),
            )
        except services.CaseError as error:
            form.closed_on.errors.append(str(error))
        else:
            links = invitations.invite_to_exit(
                db.session(),
                case,
                young_person=young_person,
                contacts=contacts,
                config=current_app.config,
                created_by_id=current_user.id,
                now=now(),
                reading=invitations.Reading(
                    form.exit_language.data, bool(form.exit_easy_read.data)
                ),
                family_reading=invitations.FamilyReading(
                    form.family_language.data,
                    bool(form.family_easy_read.data),
                    own_language=bool(form.family_own_language.data),
                ),
            )
            issued = links.young_person
            delivery = form.young_person_delivery if young_person else None
            if issued is not None and delivery is not None:
                sending.send_link(db.session(), issued, delivery, now=now())
            family_sent_by = {}
            for contact, each in links.family:
                if contact.id in form.family_deliveries:
                    sent = form.family_deliveries[contact.id]
                    sending.send_link(db.session(), each, sent, now=now(), contact=contact)
                    family_sent_by[contact.id] = sent
            if issued is not None or links.family:
                title = str(STAFF_TITLES[invitations.EXIT_YOUNG_PERSON]) if issued else None
                _show_once(
                    case,
                    title,
                    issued,
                    links.family,
                    sent_by=delivery,
                    family_sent_by=family_sent_by,
                )
            db.session().commit()
            flash(s_("The case is closed. Its check-in links no longer work."), "success")
            return redirect(url_for("cases.show", case_id=case.id))
    # Offered: the ways the sender can send (checked above whatever was offered).
    with_channels(form.exit_how, channels)
    return render_template("cases/close.html", case=case, form=form), 400 if form.errors else 200


def _close_deliveries_wrong(form: CloseCaseForm, case, channels) -> bool:
    """Check how each exit link is to go before anything is written: a wrong number or
    address, or a parent who cannot be reached, is said on the form and nothing closes.
    Keeps what was found on the form."""
    form.young_person_delivery = None
    form.family_deliveries = {}
    try:
        if form.exit_interview.data == "yes":
            form.young_person_delivery = sending.check_delivery(
                form.exit_how.data or "show", form.exit_phone.data, form.exit_email.data, channels
            )
        if form.family_exit.data == "yes" and form.family_how.data == "send":
            form.family_deliveries = {
                contact.id: sending.contact_delivery(contact, channels)
                for contact in case.family_contacts
            }
    except sending.DeliveryError as error:
        _field_error(form, error, prefix="exit_")
        return True
    return False


@bp.route("/<int:case_id>/family-contacts/new", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def add_contact(case_id: int):
    case = services.get_visible_case(db.session(), current_user, case_id)
    if case is None:
        abort(404)
    if not access.may_keep_family_contacts(current_user, case):
        abort(403)
    form = FamilyContactForm()
    if form.validate_on_submit():
        try:
            services.add_family_contact(
                db.session(),
                case,
                services.ContactDetails(
                    name=form.name.data,
                    relationship=form.relationship.data,
                    phone=form.phone.data,
                    email=form.email.data,
                    language=form.language.data or "en",
                ),
                by=current_user,
                now=now(),
            )
        except services.ContactError as error:
            getattr(form, error.field).errors = [*getattr(form, error.field).errors, str(error)]
        else:
            db.session().commit()
            flash(s_("Parent or carer added."), "success")
            return redirect(url_for("cases.show", case_id=case.id))
    return (
        render_template("cases/family_contact.html", case=case, form=form),
        400 if form.errors else 200,
    )


@bp.route("/<int:case_id>/family-contacts/<int:contact_id>/remove", methods=["POST"])
@roles_required(*CASE_WORKERS)
def remove_contact(case_id: int, contact_id: int):
    case = services.get_visible_case(db.session(), current_user, case_id)
    contact = db.session().get(FamilyContact, contact_id)
    if case is None or contact is None or contact.case_id != case.id:
        abort(404)
    if not access.may_keep_family_contacts(current_user, case):
        abort(403)
    if not RemoveContactForm().validate_on_submit():
        abort(400)
    services.remove_family_contact(db.session(), contact, by=current_user, now=now())
    db.session().commit()
    flash(s_("Parent or carer removed. Any link of theirs no longer works."), "success")
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/<int:case_id>/reopen", methods=["POST"])
@roles_required(*CASE_WORKERS)
def reopen(case_id: int):
    case = services.get_visible_case(db.session(), current_user, case_id)
    if case is None:
        abort(404)
    if not ReopenCaseForm().validate_on_submit():
        abort(400)
    if not access.may_reopen_case(current_user, case):
        flash(s_("This case is already open. Nothing was changed."), "info")
        return redirect(url_for("cases.show", case_id=case.id))
    referral = services.reopen_case(db.session(), case, by=current_user, now=now())
    db.session().commit()
    flash(
        s_(
            "The case is open again: referral %(number)s. Any exit interview link no longer works.",
            number=referral.number,
        ),
        "success",
    )
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/<int:case_id>/invitations/<int:invitation_id>/withdraw", methods=["POST"])
@roles_required(*CASE_WORKERS)
def withdraw_invitation(case_id: int, invitation_id: int):
    case = services.get_visible_case(db.session(), current_user, case_id)
    invitation = db.session().get(Invitation, invitation_id)
    if case is None or invitation is None or invitation.case_id != case.id:
        abort(404)
    if not WithdrawForm().validate_on_submit():
        abort(400)
    try:
        invitations.withdraw(db.session(), invitation, now(), by_id=current_user.id)
    except invitations.InvitationError as error:
        flash(str(error), "info")
    else:
        db.session().commit()
        flash(
            s_("The link and code no longer work. Anything the young person saved is kept."),
            "success",
        )
    return redirect(url_for("cases.show", case_id=case.id))
