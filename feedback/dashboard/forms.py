"""The dashboard's filter form: read from the query string (GET), never trusted.

Every field checks its value against the list it offers, with a message that says what to
do, so a hand-edited URL gets the page back with an error, never a 500.
"""

from __future__ import annotations

import re
from datetime import date

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import ValidationError

from feedback.i18n import s_, sl_, sn_
from feedback.i18n_outcomes import outcome_choices
from feedback.staff.widgets import Select, TextInput
from outcomes.questionnaires import all_questionnaires
from outcomes.vocabulary import AGE_BANDS, GENDERS, QUESTIONNAIRE_KINDS, STRANDS

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_MONTHS = 36
PERIOD_CHOICES = [("month", sl_("Month")), ("quarter", sl_("Quarter"))]


def parse_month(text: str) -> date | None:
    match = MONTH.match(text.strip())
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 2000 <= year <= 2100 or not 1 <= month <= 12:
        return None
    return date(year, month, 1)


def _month(missing, wrong):
    """A month field's check, with its messages whole: `missing` where it is blank,
    `wrong` where it is not a year and month."""

    def check(form, field):
        if not (field.data or "").strip():
            raise ValidationError(str(missing))
        if parse_month(field.data) is None:
            raise ValidationError(str(wrong))

    return check


class ChoiceField(SelectField):
    """A select whose wrong value gets a message naming the field, not "Not a valid
    choice"."""

    def __init__(self, label, *, message, **kwargs) -> None:
        super().__init__(label, widget=Select(), validate_choice=False, **kwargs)
        self.message = message

    def pre_validate(self, form) -> None:
        if self.data not in {value for value, _label in self.choices}:
            raise ValidationError(self.message)


def _options(all_label, values: dict[str, str]) -> list[tuple[str, object]]:
    return [("", all_label), *outcome_choices(values)]


def _kinds_in_use() -> dict[str, str]:
    # Only kinds that have a questionnaire: a filter for one that does not exist yet
    # would promise answers nobody can give.
    kinds = {q.kind for q in all_questionnaires().values()}
    return {code: name for code, name in QUESTIONNAIRE_KINDS.items() if code in kinds}


class DashboardFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that changes nothing

    date_from = StringField(
        sl_("From (month)"),
        description=sl_("Year and month, like 2026-01"),
        widget=TextInput(),
        validators=[
            _month(
                sl_("Enter the first month, like 2026-03"),
                sl_("The first month must be a year and month, like 2026-03"),
            )
        ],
    )
    date_to = StringField(
        sl_("To (month)"),
        description=sl_("Included. Year and month, like 2026-06"),
        widget=TextInput(),
        validators=[
            _month(
                sl_("Enter the last month, like 2026-03"),
                sl_("The last month must be a year and month, like 2026-03"),
            )
        ],
    )
    period = ChoiceField(
        sl_("Group by"),
        choices=PERIOD_CHOICES,
        message=sl_("Select month or quarter"),
        default="month",
    )
    team = ChoiceField(
        sl_("Team"), choices=[], message=sl_("Select a team from the list"), default=""
    )
    age_band = ChoiceField(
        sl_("Age band"),
        choices=_options(sl_("All age bands"), AGE_BANDS),
        message=sl_("Select an age band from the list"),
        default="",
    )
    gender = ChoiceField(
        sl_("Gender"),
        choices=_options(sl_("All genders"), GENDERS),
        message=sl_("Select a gender from the list"),
        default="",
    )
    strand = ChoiceField(
        sl_("Exploitation strand"),
        choices=_options(sl_("All strands"), STRANDS),
        message=sl_("Select an exploitation strand from the list"),
        default="",
    )
    # One questionnaire at a time: different questionnaires are answered by different
    # people, and a view of one is never a subset of a view of all.
    kind = ChoiceField(
        sl_("Questionnaire"),
        choices=outcome_choices(_kinds_in_use()),
        message=sl_("Select a questionnaire from the list"),
        default="checkin",
    )

    def validate_date_to(self, field) -> None:
        start, end = parse_month(self.date_from.data or ""), parse_month(field.data or "")
        if start is None or end is None:
            return
        if end < start:
            raise ValidationError(s_("The last month must be the same as or after the first month"))
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        if months > MAX_MONTHS:
            raise ValidationError(
                sn_("Choose %(num)d month or fewer", "Choose %(num)d months or fewer", MAX_MONTHS)
            )
