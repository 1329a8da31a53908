"""One widget per question type: the form field a question's page uses, and the macro
that draws it (in `macros/question.html` unless a widget says otherwise).

A widget's macro draws from its arguments alone (and from the language and easy-read
choice of the page, through gettext): it sees no request. So what it draws for a
question, an answer chosen from the question's own options (or none) and the same
words around it is the same for every young person, and is kept (`DrawnFields`) rather
than drawn again: the GOV.UK macros behind a question took half the time of its page.
Words a young person typed are never kept: a field holding them is drawn each time.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from flask import has_request_context
from flask_babel import format_number, get_locale, gettext
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


def _kept_answer(question: Question, current: object) -> Hashable | None:
    """`current` as part of a key, when it is something to keep a drawing of: nothing
    chosen, or options of the question. None for anything else (words typed)."""
    if current is None or current == "":
        return ("none", current)
    allowed = {o.id for o in question.options} | {RATHER_NOT_SAY}
    if isinstance(current, str) and current in allowed:
        return ("one", current)
    if isinstance(current, list | tuple) and all(
        isinstance(c, str) and c in allowed for c in current
    ):
        return ("several", tuple(current))
    return None


def page_language() -> tuple[str, bool]:
    """The language and easy-read choice a page is drawn in (gettext's, so the key of
    anything kept must name them)."""
    from feedback import i18n

    if not has_request_context():
        return i18n.DEFAULT, False
    get_locale()  # Flask-Babel chooses once a request; current_language() reads it
    return i18n.current_language(), i18n.wants_easy_read()


class DrawnFields:
    """Question fields already drawn, by everything that decides what is drawn: the
    macro and question (held, so that neither id is reused while kept), the answer
    shown (only options: see `_kept_answer`), the words passed in, the language and
    easy-read. At most `size` of them, the least recently used going first."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._kept: OrderedDict[tuple, tuple[object, Question, str]] = OrderedDict()
        self._lock = threading.Lock()

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def __len__(self) -> int:
        return len(self._kept)

    def draw(self, macro, question: Question, current, legend, hint_html, error):
        answer = _kept_answer(question, current)
        if answer is None:
            return macro(question, current, legend, hint_html, error)
        key = (
            id(macro),
            id(question),
            answer,
            repr(legend),
            str(hint_html),
            repr(error),
            *page_language(),
        )
        with self._lock:
            found = self._kept.get(key)
            if found is not None and found[0] is macro and found[1] is question:
                self._kept.move_to_end(key)
                return found[2]
        drawn = macro(question, current, legend, hint_html, error)
        with self._lock:
            self._kept[key] = (macro, question, drawn)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return drawn


drawn_fields = DrawnFields()


@pass_environment
def question_macro(env: Environment, question: Question):
    """The macro that draws `question`'s field, for templates: called as the macro is,
    and drawn once for what every young person sees alike (`DrawnFields`)."""
    widget = widget_for(question)
    macro = getattr(env.get_template(widget.template).module, widget.macro)

    def draw(question: Question, current, legend, hint_html, error):
        return drawn_fields.draw(macro, question, current, legend, hint_html, error)

    return draw
