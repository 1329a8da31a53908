from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import InputRequired, Length, Optional, Regexp

from feedback.cases.models import CLOSURE_REASONS
from feedback.fields import DayMonthYearField, LanguageField, easy_read_field
from feedback.i18n import s_, sl_
from feedback.i18n_outcomes import outcome_choices
from feedback.staff.widgets import (
    CheckboxesInput,
    CheckboxInput,
    DateInput,
    RadioInput,
    Select,
    SubmitInput,
    TextInput,
)
from outcomes.vocabulary import GENDERS, STRANDS


class CaseForm(FlaskForm):
    reference = StringField(
        sl_("Case reference"),
        description=sl_("The reference from your case management system, like CS-104233"),
        widget=TextInput(),
        validators=[
            InputRequired(message=sl_("Enter the case reference")),
            Length(max=64, message=sl_("Case reference must be 64 characters or fewer")),
            Regexp(
                r"^[A-Za-z0-9][A-Za-z0-9/\- ]*$",
                message=sl_(
                    "Case reference must only include letters, numbers, dashes and slashes"
                ),
            ),
        ],
    )
    label = StringField(
        sl_("Your label for the young person"),
        description=sl_("Their initials or first name only. Do not use their full name"),
        widget=TextInput(),
        validators=[
            InputRequired(message=sl_("Enter initials or a first name")),
            Length(max=60, message=sl_("Label must be 60 characters or fewer")),
        ],
    )
    date_of_birth = DayMonthYearField(
        sl_("Date of birth"),
        description=sl_("For example, 27 3 2010. We only use it to work out an age band"),
        widget=DateInput(),
        validators=[InputRequired(message=sl_("Enter the date of birth"))],
        invalid_message=sl_("Date of birth must be a real date, like 27 3 2010"),
    )
    gender = RadioField(
        sl_("Gender (optional)"),
        choices=outcome_choices(GENDERS),
        widget=RadioInput(),
        validators=[Optional()],
    )
    team = SelectField(
        sl_("Team"),
        coerce=int,
        widget=Select(),
        validators=[InputRequired(message=sl_("Choose a team"))],
    )
    strands = SelectMultipleField(
        sl_("Kinds of exploitation or risk"),
        description=sl_("Choose all that apply"),
        choices=outcome_choices(STRANDS),
        widget=CheckboxesInput(),
        validators=[InputRequired(message=sl_("Choose at least one kind of exploitation or risk"))],
    )
    submit = SubmitField(sl_("Open case"), widget=SubmitInput())


# How the young person gets a link: shown to read out, or sent (feedback.outbox.invitations).
HOW_CHOICES = [
    ("show", sl_("Show me the link and code to read out or copy")),
    ("sms", sl_("Text it to their mobile")),
    ("email", sl_("Email it to them")),
]
NOT_KEPT = sl_("Used for this message only: it is not kept once the message has gone")
IN_THIS_LANGUAGE = sl_(
    "The pages and the message are in this language. They can change it on any page"
)
NOT_A_LANGUAGE = sl_("Choose a language from the list")
EASY_READ = sl_("Use the easy-read version")
YES_NO = [("yes", sl_("Yes")), ("no", sl_("No"))]


def easy_read_words(field) -> None:
    """The easy-read box's hint, in the words of the staff page."""
    field.description = s_("Short sentences, one idea at a time, with a picture for each answer")


def with_channels(field, channels) -> None:
    """Offer only the ways of sending the outbox's sender can do (showing always)."""
    field.choices = [(v, label) for v, label in HOW_CHOICES if v == "show" or v in channels]


def how_field(label) -> RadioField:
    return RadioField(
        label,
        choices=HOW_CHOICES,
        default="show",
        # A way not offered is said in words by feedback.outbox.invitations.check_delivery.
        validate_choice=False,
        widget=RadioInput(),
        validators=[Optional()],
    )


def phone_field() -> StringField:
    """A mobile number typed to text one link to, and not kept after it is sent."""
    return StringField(
        sl_("Their mobile number (if you text it)"),
        description=NOT_KEPT,
        widget=TextInput(),
        validators=[
            Optional(),
            Length(max=30, message=sl_("Enter a UK mobile number, starting 07")),
        ],
    )


def email_field() -> StringField:
    """An email address typed to send one link to, and not kept after it is sent."""
    return StringField(
        sl_("Their email address (if you email it)"),
        description=NOT_KEPT,
        widget=TextInput(),
        validators=[
            Optional(),
            Length(max=254, message=sl_("Enter an email address of 254 characters or fewer")),
        ],
    )


class InviteForm(FlaskForm):
    how = how_field(sl_("How will they get the link?"))
    phone = phone_field()
    email = email_field()
    language = LanguageField(sl_("Language"), description=IN_THIS_LANGUAGE, message=NOT_A_LANGUAGE)
    easy_read = easy_read_field(EASY_READ)
    submit = SubmitField(sl_("Invite to a check-in"), widget=SubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        easy_read_words(self.easy_read)


class WithdrawForm(FlaskForm):
    submit = SubmitField(sl_("Withdraw link"), widget=SubmitInput())


class CloseCaseForm(FlaskForm):
    reason = RadioField(
        sl_("Why is the case closing?"),
        choices=list(CLOSURE_REASONS.items()),
        widget=RadioInput(),
        validators=[InputRequired(message=sl_("Choose why the case is closing"))],
    )
    closed_on = DayMonthYearField(
        sl_("Closure date"),
        description=sl_("The day the work with the young person ended, for example 27 3 2027"),
        widget=DateInput(),
        validators=[InputRequired(message=sl_("Enter the closure date"))],
        invalid_message=sl_("Closure date must be a real date, like 27 3 2027"),
    )
    exit_interview = RadioField(
        sl_("Invite the young person to an exit interview?"),
        description=sl_(
            "A link and code to tell us what their time with the service was like. "
            "Their answers are read by the service without their name, not shown to you"
        ),
        choices=YES_NO,
        widget=RadioInput(),
        validators=[
            InputRequired(message=sl_("Choose whether to invite them to an exit interview"))
        ],
    )
    exit_how = how_field(sl_("How will they get the exit interview link?"))
    exit_phone = phone_field()
    exit_email = email_field()
    exit_language = LanguageField(
        sl_("Language of their exit interview"),
        description=IN_THIS_LANGUAGE,
        message=NOT_A_LANGUAGE,
    )
    exit_easy_read = easy_read_field(EASY_READ)
    family_exit = RadioField(
        sl_("Invite the parents and carers to a family exit interview?"),
        description=sl_(
            "One link and code for each parent or carer kept with the case. "
            "Their answers are read by the service without their name, not shown to you"
        ),
        choices=YES_NO,
        default="no",
        widget=RadioInput(),
        validators=[Optional()],
    )
    family_how = RadioField(
        sl_("How will they get their links?"),
        choices=[
            ("show", sl_("Show me each link and code to pass on")),
            ("send", sl_("Send each their own by text, or by email if they have no mobile kept")),
        ],
        default="show",
        widget=RadioInput(),
        validators=[Optional()],
    )
    family_language = LanguageField(
        sl_("Language of the family exit interview"),
        description=sl_("For every parent or carer, unless you choose their own language below"),
        message=NOT_A_LANGUAGE,
    )
    # Its label is set on each form (below): an apostrophe in a lazy label would not be
    # escaped as the page escapes every other word.
    family_own_language = BooleanField(default=True, widget=CheckboxInput())
    family_easy_read = easy_read_field(EASY_READ)
    submit = SubmitField(sl_("Close case"), widget=SubmitInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.family_own_language.label.text = s_(
            "Use each parent's or carer's own language where it is kept with them and offered"
        )
        easy_read_words(self.exit_easy_read)
        easy_read_words(self.family_easy_read)


class ReopenCaseForm(FlaskForm):
    submit = SubmitField(sl_("Reopen case (re-referral)"), widget=SubmitInput())


class FamilyContactForm(FlaskForm):
    name = StringField(
        sl_("Name"),
        widget=TextInput(),
        validators=[
            InputRequired(message=sl_("Enter their name")),
            Length(max=100, message=sl_("Name must be 100 characters or fewer")),
        ],
    )
    relationship = StringField(
        sl_("Relationship to the young person"),
        description=sl_("For example, Mum, Dad, Grandparent, Foster carer"),
        widget=TextInput(),
        validators=[
            InputRequired(message=sl_("Enter how they are related to the young person")),
            Length(max=60, message=sl_("Relationship must be 60 characters or fewer")),
        ],
    )
    phone = StringField(
        sl_("UK phone number (optional if you give an email)"),
        widget=TextInput(),
        validators=[Optional()],
    )
    email = StringField(
        sl_("Email address (optional if you give a phone number)"),
        widget=TextInput(),
        validators=[Optional()],
    )
    language = StringField(
        sl_("Preferred language code"),
        description=sl_("For example, en for English, pl for Polish"),
        default="en",
        widget=TextInput(),
        validators=[Optional()],
    )
    submit = SubmitField(sl_("Add parent or carer"), widget=SubmitInput())


class RemoveContactForm(FlaskForm):
    submit = SubmitField(sl_("Remove"), widget=SubmitInput())
