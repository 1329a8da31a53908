from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import InputRequired, Length, Regexp

from feedback.i18n import day_names, s_, sl_
from feedback.settings.services import FIELDS, TRANSLATED_FIELDS
from feedback.staff.forms import role_field, teams_field
from feedback.staff.services import EMAIL
from feedback.staff.widgets import Select as GovSelect
from feedback.staff.widgets import SubmitInput as GovSubmitInput
from feedback.staff.widgets import TextInput as GovTextInput


class InviteForm(FlaskForm):
    name = StringField(
        sl_("Full name"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=sl_("Enter their full name")),
            Length(max=200, message=sl_("Name must be 200 characters or fewer")),
        ],
    )
    email = EmailField(
        sl_("Email address"),
        description=sl_("The link to set their password goes here"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=sl_("Enter their email address")),
            Regexp(
                EMAIL,
                message=sl_("Enter an email address in the right format, like name@example.org"),
            ),
            Length(max=254, message=sl_("Email address must be 254 characters or fewer")),
        ],
    )
    role = role_field()
    teams = teams_field()
    submit = SubmitField(sl_("Send invitation"), widget=GovSubmitInput())


class NewTeamForm(FlaskForm):
    name = StringField(
        sl_("Team name"),
        widget=GovTextInput(),
        validators=[InputRequired(message=sl_("Enter the team's name"))],
    )
    code = StringField(
        sl_("Short code"),
        description=sl_(
            "Lower-case letters, digits and hyphens, like north-east. Used on the "
            "command line and in exports; it cannot be changed later."
        ),
        widget=GovTextInput(),
        validators=[InputRequired(message=sl_("Enter a short code for the team"))],
    )
    submit = SubmitField(sl_("Add team"), widget=GovSubmitInput())


class RenameTeamForm(FlaskForm):
    name = StringField(
        sl_("Team name"),
        widget=GovTextInput(),
        validators=[InputRequired(message=sl_("Enter the team's name"))],
    )
    submit = SubmitField(sl_("Save name"), widget=GovSubmitInput())


def rota_form(managers, data=None) -> FlaskForm:
    """One choice a day of the week (named in the page's language): a manager of the team,
    or nobody."""
    choices = [("", s_("Nobody (every manager of the team)"))] + [
        (str(u.id), u.name) for u in managers
    ]

    class RotaForm(FlaskForm):
        submit = SubmitField(sl_("Save rota"), widget=GovSubmitInput())

    for number, day in enumerate(day_names()):
        setattr(
            RotaForm,
            f"day_{number}",
            SelectField(day, choices=choices, widget=GovSelect(), validate_choice=False),
        )
    return RotaForm(data=data)


def settings_form(data=None) -> FlaskForm:
    class SettingsForm(FlaskForm):
        submit = SubmitField(sl_("Save settings"), widget=GovSubmitInput())

    for field in FIELDS:
        setattr(
            SettingsForm,
            field.key,
            StringField(field.label, description=field.hint, widget=GovTextInput()),
        )
    for field in TRANSLATED_FIELDS:
        setattr(SettingsForm, field.key, StringField(field.label, widget=GovTextInput()))
    return SettingsForm(data=data)
