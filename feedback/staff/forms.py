from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import EmailField, PasswordField, RadioField, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from feedback.staff.models import ROLES
from feedback.staff.services import EMAIL


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


class MemberForm(FlaskForm):
    role = RadioField(
        "Role",
        choices=list(ROLES.items()),
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose a role")],
    )
    teams = SelectMultipleField(
        "Teams",
        description="Practitioners and managers belong to at least one team",
        coerce=int,
        widget=GovCheckboxesInput(),
        validators=[Optional()],
    )
    submit = SubmitField("Save changes", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """Yes or no to a change that takes effect at once."""

    confirm = RadioField(
        choices=[("yes", "Yes"), ("no", "No")],
        widget=GovRadioInput(),
        validators=[InputRequired(message="Choose yes or no")],
    )
    submit = SubmitField("Continue", widget=GovSubmitInput())
