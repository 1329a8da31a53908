from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, ValidationError

from feedback.fields import whole_number
from feedback.i18n import s_, sl_
from feedback.outcomes_views.models import GOAL_TEXT_MAX, MAX_MISSING_EPISODES
from feedback.outcomes_views.services import FACT_OPTIONS
from feedback.staff.widgets import RadioInput, SubmitInput, TextInput
from outcomes.questionnaires import RATHER_NOT_SAY


def _whole_number_0_to_99(form, field):
    text = (field.data or "").strip()
    if not text:
        raise ValidationError(s_("Enter the number of missing episodes, like 0 or 3"))
    if whole_number(text, 10**9) is None:
        raise ValidationError(s_("Number of missing episodes must be a whole number, like 0 or 3"))
    if whole_number(text, MAX_MISSING_EPISODES) is None:
        raise ValidationError(
            s_("Number of missing episodes must be %(most)s or fewer", most=MAX_MISSING_EPISODES)
        )


class CaseFactsForm(FlaskForm):
    missing_episodes = StringField(
        sl_("Missing episodes in the last 4 weeks"),
        description=sl_(
            "Episodes reported to the police or the service. Enter 0 if there were none"
        ),
        widget=TextInput(),
        validators=[_whole_number_0_to_99],
    )
    in_education = RadioField(
        sl_("Are they in education, training or work?"),
        choices=list(FACT_OPTIONS["in_education"].items()),
        widget=RadioInput(),
        validators=[
            InputRequired(message=sl_("Select if they are in education, training or work"))
        ],
    )
    living_at_home = RadioField(
        sl_("Where are they living?"),
        choices=list(FACT_OPTIONS["living_at_home"].items()),
        widget=RadioInput(),
        validators=[InputRequired(message=sl_("Select where they are living"))],
    )
    in_borough = RadioField(
        sl_("Are they living in or out of the borough?"),
        choices=list(FACT_OPTIONS["in_borough"].items()),
        widget=RadioInput(),
        validators=[
            InputRequired(message=sl_("Select if they are living in or out of the borough"))
        ],
    )
    submit = SubmitField(sl_("Save case facts"), widget=SubmitInput())

    @property
    def episodes(self) -> int:
        number = whole_number(self.missing_episodes.data, MAX_MISSING_EPISODES)
        assert number is not None  # the form validated it
        return number


GOAL_TOO_LONG = _l(
    "Your goal must be %(most)s characters or fewer. Make it shorter", most=GOAL_TEXT_MAX
)


_GOAL_LENGTH = Length(max=GOAL_TEXT_MAX, message=GOAL_TOO_LONG)


class SetGoalsForm(FlaskForm):
    goal_1 = StringField(
        _l("Goal 1"), validators=[Length(max=GOAL_TEXT_MAX, message=GOAL_TOO_LONG)]
    )
    goal_2 = StringField(
        _l("Goal 2"), validators=[Length(max=GOAL_TEXT_MAX, message=GOAL_TOO_LONG)]
    )
    goal_3 = StringField(
        _l("Goal 3"), validators=[Length(max=GOAL_TEXT_MAX, message=GOAL_TOO_LONG)]
    )

    @property
    def texts(self) -> list[str]:
        return [(f.data or "").strip() for f in (self.goal_1, self.goal_2, self.goal_3)]


RATE_MESSAGE = _l("Choose a number from 0 to 10, or choose ‘I’d rather not say’")
RATING_CHOICES = [(str(n), str(n)) for n in range(11)] + [
    (RATHER_NOT_SAY, _l("I’d rather not say"))
]


def goal_field_name(goal_id: int) -> str:
    return f"goal_{goal_id}"


def goal_ratings_form(goals, formdata=None, data: dict[int, int] | None = None) -> FlaskForm:
    """One radio field a goal, `goal_<id>`: 0-10 or "I'd rather not say"."""

    class GoalRatingsForm(FlaskForm):
        pass

    for goal in goals:
        setattr(
            GoalRatingsForm,
            goal_field_name(goal.id),
            RadioField(
                goal.text,
                choices=RATING_CHOICES,
                validators=[InputRequired(message=RATE_MESSAGE)],
            ),
        )
    initial = {goal_field_name(g): str(r) for g, r in (data or {}).items()}
    return GoalRatingsForm(formdata=formdata, data=initial or None)
