from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    PasswordField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import EqualTo, InputRequired, Length, Optional, Regexp

from feedback.i18n import sl_
from feedback.staff.models import ROLES
from feedback.staff.services import EMAIL, MIN_PASSWORD
from feedback.staff.widgets import CheckboxesInput as GovCheckboxesInput
from feedback.staff.widgets import PasswordInput as GovPasswordInput
from feedback.staff.widgets import RadioInput as GovRadioInput
from feedback.staff.widgets import SubmitInput as GovSubmitInput
from feedback.staff.widgets import TextInput as GovTextInput


class SignInForm(FlaskForm):
    email = EmailField(
        sl_("Email address"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=sl_("Enter your email address")),
            Regexp(
                EMAIL,
                message=sl_("Enter an email address in the right format, like name@example.org"),
            ),
            Length(max=254, message=sl_("Email address must be 254 characters or fewer")),
        ],
    )
    password = PasswordField(
        sl_("Password"),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message=sl_("Enter your password")),
            Length(max=200, message=sl_("Password must be 200 characters or fewer")),
        ],
    )
    submit = SubmitField(sl_("Sign in"), widget=GovSubmitInput())


class SignOutEverywhereForm(FlaskForm):
    submit = SubmitField(sl_("Sign out everywhere"), widget=GovSubmitInput())


def role_field() -> RadioField:
    return RadioField(
        sl_("Role"),
        choices=list(ROLES.items()),
        widget=GovRadioInput(),
        validators=[InputRequired(message=sl_("Choose a role"))],
    )


def teams_field() -> SelectMultipleField:
    """The teams a member of staff belongs to (their choices are the live teams)."""
    return SelectMultipleField(
        sl_("Teams"),
        description=sl_("Practitioners and managers belong to at least one team"),
        coerce=int,
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )


class MemberForm(FlaskForm):
    role = role_field()
    teams = teams_field()
    submit = SubmitField(sl_("Save changes"), widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """Yes or no to a change that takes effect at once."""

    confirm = RadioField(
        choices=[("yes", sl_("Yes")), ("no", sl_("No"))],
        widget=GovRadioInput(),
        validators=[InputRequired(message=sl_("Choose yes or no"))],
    )
    submit = SubmitField(sl_("Continue"), widget=GovSubmitInput())


class SignInCodeForm(FlaskForm):
    code = StringField(
        sl_("Code"),
        description=sl_(
            "The 6 digits your authenticator app shows for this account now, or one "
            "of your recovery codes"
        ),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=sl_("Enter the code from your authenticator app")),
            Length(max=40, message=sl_("Enter the 6 digits from your app, or a recovery code")),
        ],
    )
    submit = SubmitField(sl_("Continue"), widget=GovSubmitInput())


class EnrolForm(FlaskForm):
    code = StringField(
        sl_("Code from your app"),
        description=sl_("Once you have added the account, type the 6 digits the app shows"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=sl_("Enter the 6 digits your app shows")),
            Length(max=40, message=sl_("Enter the 6 digits your app shows")),
        ],
    )
    submit = SubmitField(sl_("Turn on sign-in codes"), widget=GovSubmitInput())


class NewRecoveryCodesForm(FlaskForm):
    submit = SubmitField(sl_("Make new recovery codes"), widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        sl_("New password"),
        description=sl_(
            "At least %(num)d characters. A few ordinary words in a row make a password that "
            "is long and easy to remember.",
            num=MIN_PASSWORD,
        ),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=sl_("Enter a password"))],
    )
    confirm = PasswordField(
        sl_("Type the password again"),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message=sl_("Type the password again")),
            EqualTo("password", message=sl_("The two passwords are not the same")),
        ],
    )
    submit = SubmitField(sl_("Set password"), widget=GovSubmitInput())
