"""Forms for young people's pages: one question a page, built from its definition."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, StringField
from wtforms.validators import EqualTo, InputRequired, Length

from feedback.checkin.widgets import Widget, page_language, widget_for
from outcomes.questionnaires import Question


class CodeForm(FlaskForm):
    code = StringField(
        _l("Enter your code"),
        description=_l("It is 8 letters and numbers, like ABCD-2345. Your worker gave it to you."),
        validators=[
            Length(max=40, message=_l("Your code is 8 letters and numbers, like ABCD-2345"))
        ],
    )


class SetPinForm(FlaskForm):
    # The service checks the numbers themselves (`normalise_pin`), once, for both forms.
    pin = PasswordField(
        _l("Choose 4 numbers"),
        validators=[Length(max=40, message=_l("Your PIN is 4 numbers, like 2580"))],
    )
    pin_again = PasswordField(
        _l("Type the same 4 numbers again"),
        validators=[EqualTo("pin", message=_l("The two PINs are not the same. Type them again"))],
    )


class EnterPinForm(FlaskForm):
    pin = PasswordField(
        _l("Your PIN"),
        validators=[Length(max=40, message=_l("Your PIN is 4 numbers, like 2580"))],
    )


class ConsentForm(FlaskForm):
    quote_consent = RadioField(
        _l("Can we use your words in reports, without your name?"),
        choices=[("yes", _l("Yes, you can use my words")), ("no", _l("No, do not use my words"))],
        validators=[InputRequired(message=_l("Choose yes or no"))],
    )


def question_form(question: Question, formdata=None, data: object = None) -> FlaskForm:
    """A form with one field, `answer`, that accepts exactly the answers this question allows."""
    widget = widget_for(question)
    data = widget.form_data(data)
    form_class = _form_class(widget, question)
    return form_class(formdata=formdata, data=None if data is None else {"answer": data})


# A question's form class, made once for its widget, question and language (its field's
# words may be translated when the class is made): making a class on every page cost
# as much as the rest of the form.
_FORM_CLASSES: dict[tuple, tuple[Widget, Question, type[FlaskForm]]] = {}
_MOST_CLASSES = 1024


def _form_class(widget: Widget, question: Question) -> type[FlaskForm]:
    key = (id(widget), id(question), *page_language())
    found = _FORM_CLASSES.get(key)
    if found is not None and found[0] is widget and found[1] is question:
        return found[2]

    class QuestionForm(FlaskForm):
        answer = widget.field(question)

    if len(_FORM_CLASSES) >= _MOST_CLASSES:
        _FORM_CLASSES.clear()
    _FORM_CLASSES[key] = (widget, question, QuestionForm)
    return QuestionForm
