"""One widget per question type: the form field a question's page uses, and the macro
that draws it (in `macros/question.html` unless a widget says otherwise)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import format_number, gettext
from flask_babel import lazy_gettext as _l
from jinja2 import Environment, pass_environment
from wtforms import Field, RadioField, SelectMultipleField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from outcomes.question_types import Agreement, ChooseOne, ChooseSeveral, FreeText, Scale, YesNo
from outcomes.questionnaires import RATHER_NOT_SAY, Question

CHOOSE_MESSAGE = _l("Choose an answer, or choose ‘I’d rather not say’")
CHOOSE_SOME_MESSAGE = _l("Choose at least one, or choose ‘I’d rather not say’")
MACROS = "macros/question.html"


def _as_saved(saved: object) -> object:
    return saved


def _ticked(saved: object) -> object:
    return [RATHER_NOT_SAY] if saved == RATHER_NOT_SAY else saved


def _unless_rather_not_say(saved: object) -> object:
    return None if saved == RATHER_NOT_SAY else saved


@dataclass(frozen=True)
class Widget:
    """How one type of question is asked on a young person's page."""

    field: Callable[[Question], Field]
    macro: str
    template: str = MACROS
    # A text box has no option for it, so the page gives rather not say a button.
    rather_not_say_button: bool = False
    # What the field starts with, given the answer saved before.
    form_data: Callable[[object], object] = _as_saved


def _choices(question: Question) -> list[tuple[str, str]]:
    return [(o.id, o.label) for o in question.options] + [(RATHER_NOT_SAY, "")]


def one_choice_field(question: Question) -> Field:
    return RadioField(
        question.text,
        choices=_choices(question),
        validators=[InputRequired(message=CHOOSE_MESSAGE)],
    )


def _exclusive_rather_not_say(form, field):
    if RATHER_NOT_SAY in (field.data or []) and len(field.data) > 1:
        raise ValidationError(gettext("Choose ‘I’d rather not say’ on its own, or untick it"))


def several_choices_field(question: Question) -> Field:
    return SelectMultipleField(
        question.text,
        choices=_choices(question),
        validators=[InputRequired(message=CHOOSE_SOME_MESSAGE), _exclusive_rather_not_say],
    )


def text_field(question: Question) -> Field:
    return TextAreaField(
        question.text,
        validators=[
            Length(
                max=question.max_length,
                message=_l(
                    "Your answer must be %(most)s characters or fewer. "
                    "Make it shorter, or tell us the rest another time",
                    most=format_number(question.max_length),
                ),
            )
        ],
    )


WIDGETS: dict[str, Widget] = {
    Scale.name: Widget(one_choice_field, "face_scale"),
    YesNo.name: Widget(one_choice_field, "radios"),
    Agreement.name: Widget(one_choice_field, "radios"),
    ChooseOne.name: Widget(one_choice_field, "radios"),
    ChooseSeveral.name: Widget(several_choices_field, "checkboxes", form_data=_ticked),
    FreeText.name: Widget(
        text_field, "text_box", rather_not_say_button=True, form_data=_unless_rather_not_say
    ),
}


def register_widget(type_name: str, widget: Widget) -> None:
    """Ask questions of the type called `type_name` with `widget`."""
    WIDGETS[type_name] = widget


def unregister_widget(type_name: str) -> None:
    WIDGETS.pop(type_name, None)


def widget_for(question: Question) -> Widget:
    return WIDGETS[question.kind.name]


@pass_environment
def question_macro(env: Environment, question: Question):
    """The macro that draws `question`'s field, for templates."""
    widget = widget_for(question)
    return getattr(env.get_template(widget.template).module, widget.macro)
