from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    EmailField,
    PasswordField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import EqualTo, InputRequired, Length, Optional, Regexp

from feedback.staff.models import ROLES
from feedback.staff.services import EMAIL, MIN_PASSWORD


class SignInForm(FlaskForm):
    email = EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your email address"),
            Regexp(
                EMAIL, message="Enter an email address in the right format, like name@example.org"
            ),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter your password"),
            Length(max=200, message="Password must be 200 characters or fewer"),
        ],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class SignOutEverywhereForm(FlaskForm):
    submit = SubmitField("Sign out everywhere", widget=GovSubmitInput())


def role_field() -> RadioField:
    return RadioField(
        "Role",
        choices=list(ROLES.items()),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose a role")],
    )


def teams_field() -> SelectMultipleField:
    """The teams a member of staff belongs to (their choices are the live teams)."""
    return SelectMultipleField(
        "Teams",
        description="Practitioners and managers belong to at least one team",
        coerce=int,
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )


class MemberForm(FlaskForm):
    role = role_field()
    teams = teams_field()
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """Yes or no to a change that takes effect at once."""

    confirm = RadioField(
        choices=[("yes", "Yes"), ("no", "No")],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose yes or no")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class SignInCodeForm(FlaskForm):
    code = StringField(
        "Code",
        description="The 6 digits your authenticator app shows for this account now, or one "
        "of your recovery codes",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the code from your authenticator app"),
            Length(max=40, message="Enter the 6 digits from your app, or a recovery code"),
        ],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())


class EnrolForm(FlaskForm):
    code = StringField(
        "Code from your app",
        description="Once you have added the account, type the 6 digits the app shows",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the 6 digits your app shows"),
            Length(max=40, message="Enter the 6 digits your app shows"),
        ],
    )
    submit = SubmitField("Turn on sign-in codes", widget=GovSubmitInput())


class NewRecoveryCodesForm(FlaskForm):
    submit = SubmitField("Make new recovery codes", widget=GovSubmitInput())


class SetPasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        description=f"At least {MIN_PASSWORD} characters. A few ordinary words in a row "
        "make a password that is long and easy to remember.",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter a password")],
    )
    confirm = PasswordField(
        "Type the password again",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Type the password again"),
            EqualTo("password", message="The two passwords are not the same"),
        ],
    )
    submit = SubmitField("Set password", widget=GovSubmitInput())
