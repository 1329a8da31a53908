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
from feedback.cases.forms import CaseForm, InviteForm, WithdrawForm
from feedback.clock import now, today
from feedback.invitations import services as invitations
from feedback.invitations.models import Invitation
from feedback.responses import services as responses
from feedback.staff.access import CASE_READERS, CASE_WORKERS, roles_required
from outcomes.questionnaires import get_questionnaire
from outcomes.vocabulary import GENDERS, STRANDS, age_band

bp = Blueprint("cases", __name__, url_prefix="/cases")
JUST_ISSUED = "just_issued"
INVITABLE = ("checkin", "service-feedback")



@bp.route("")
@roles_required(*CASE_READERS)
def list_cases():
    cases = services.visible_cases(db.session(), current_user)
    return render_template("cases/list.html", cases=cases, strands=STRANDS)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*CASE_WORKERS)
def new_case():
    form = CaseForm()
    form.team.choices = [(t.id, t.name) for t in current_user.teams]
    if len(form.team.choices) == 1 and not form.is_submitted():
        form.team.data = form.team.choices[0][0]
    if form.validate_on_submit():
        dob = form.date_of_birth.data
        if dob >= today() or dob.year < 1990:
            form.date_of_birth.errors.append("Date of birth must be a real date in the past")
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
                target = form.reference if "reference" in str(error) else form.team
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
    issued = session.pop(JUST_ISSUED, None)
    if issued and issued.get("case_id") != case.id:
        issued = None
    # What the young person was told "your worker will read": for their worker's eyes.
    is_worker = current_user.id == case.practitioner_id
    return render_template(
        "cases/show.html",
        case=case,
        age_band=age_band(case.date_of_birth, today()),
        strands=STRANDS,
        genders=GENDERS,
        invitations=[
            (inv, invitations.state_of(inv, now()))
            for inv in invitations.invitations_for_case(db.session(), case.id)
        ],
        issued=issued,
        invite_form=InviteForm(),
        withdraw_form=WithdrawForm(),
        is_worker=is_worker,
        shared=responses.shared_with_worker(db.session(), case.id) if is_worker else None,
        titles={code: get_questionnaire(code).title for code in INVITABLE},
    )


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
    for attempt in range(2):
        try:
            issued = invitations.invite(
                db.session(),
                case,
                questionnaire,
                config=current_app.config,
                created_by_id=current_user.id,
                now=now(),
            )
            db.session().commit()
            break
        except IntegrityError:
            # Someone issued a link for the same questionnaire at the same moment: the
            # unique index stopped a second live link. Once more, replacing theirs.
            db.session().rollback()
            if attempt:
                raise
            case = services.get_visible_case(db.session(), current_user, case_id)
    # Shown once, on the next page: only hashes are kept.
    session[JUST_ISSUED] = {
        "case_id": case.id,
        "title": questionnaire.title,
        "link": url_for("young.open_link", token=issued.token, _external=True),
        "code": issued.display_code,
        "expires": issued.invitation.expires_at.strftime("%-d %B %Y"),
    }
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
        flash("The link and code no longer work. Anything the young person saved is kept.",
              "success")
    return redirect(url_for("cases.show", case_id=case.id))
