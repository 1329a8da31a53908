"""Forms for young people's pages: one question a page, built from its definition."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import EqualTo, InputRequired, Length, ValidationError

from outcomes.questionnaires import RATHER_NOT_SAY, Question

CHOOSE_MESSAGE = "Choose an answer, or choose \u2018I\u2019d rather not say\u2019"


class CodeForm(FlaskForm):
    code = StringField(
        "Enter your code",
        description="It is 8 letters and numbers, like ABCD-2345. Your worker gave it to you.",
        validators=[Length(max=40, message="Your code is 8 letters and numbers, like ABCD-2345")],
    )


class SetPinForm(FlaskForm):
    # The service checks the numbers themselves (`normalise_pin`), once, for both forms.
    pin = PasswordField(
        "Choose 4 numbers",
        validators=[Length(max=40, message="Your PIN is 4 numbers, like 2580")],
    )
    pin_again = PasswordField(
        "Type the same 4 numbers again",
        validators=[EqualTo("pin", message="The two PINs are not the same. Type them again")],
    )


class EnterPinForm(FlaskForm):
    pin = PasswordField(
        "Your PIN",
        validators=[Length(max=40, message="Your PIN is 4 numbers, like 2580")],
    )


class ConsentForm(FlaskForm):
    quote_consent = RadioField(
        "Can we use your words in reports, without your name?",
        choices=[("yes", "Yes, you can use my words"), ("no", "No, do not use my words")],
        validators=[InputRequired(message="Choose yes or no")],
    )


def _exclusive_rather_not_say(form, field):
    if RATHER_NOT_SAY in (field.data or []) and len(field.data) > 1:
        raise ValidationError("Choose \u2018I\u2019d rather not say\u2019 on its own, or untick it")


def question_form(question: Question, formdata=None, data: object = None) -> FlaskForm:
    """A form with one field, `answer`, that accepts exactly the answers this question allows."""

    class QuestionForm(FlaskForm):
        pass

    if question.type in ("scale", "yes-no"):
        choices = [(o.id, o.label) for o in question.options] + [(RATHER_NOT_SAY, "")]
        QuestionForm.answer = RadioField(
            question.text, choices=choices, validators=[InputRequired(message=CHOOSE_MESSAGE)]
        )
    elif question.type == "choose-several":
        choices = [(o.id, o.label) for o in question.options] + [(RATHER_NOT_SAY, "")]
        QuestionForm.answer = SelectMultipleField(
            question.text,
            choices=choices,
            validators=[
                InputRequired(
                    message="Choose at least one, or choose \u2018I\u2019d rather not say\u2019"
                ),
                _exclusive_rather_not_say,
            ],
        )
    else:
        QuestionForm.answer = TextAreaField(
            question.text,
            validators=[
                Length(
                    max=question.max_length,
                    message=f"Your answer must be {question.max_length:,} characters or fewer. "
                    "Make it shorter, or tell us the rest another time",
                )
            ],
        )
    if question.type == "free-text" and data == RATHER_NOT_SAY:
        data = None
    return QuestionForm(formdata=formdata, data=None if data is None else {"answer": data})
