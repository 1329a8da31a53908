"""A question's field is drawn once for what every young person sees alike, and kept:
kept drawings are exactly what the macro draws, differ by the answer shown, the
language and easy read, and never hold words a young person typed."""

from __future__ import annotations

import re

import pytest

from feedback.checkin import widgets
from feedback.checkin.widgets import drawn_fields, question_macro
from outcomes.questionnaires import RATHER_NOT_SAY, all_questionnaires

pytestmark = pytest.mark.parametrize("databases", ["sqlite"], indirect=True)


@pytest.fixture(autouse=True)
def nothing_kept():
    drawn_fields.clear()
    yield
    drawn_fields.clear()


def _macro(app, question):
    widget = widgets.widget_for(question)
    return getattr(app.jinja_env.get_template(widget.template).module, widget.macro)


def _arguments(question, questionnaire, current=None, error=None):
    legend = {"text": question.text, "isPageHeading": True}
    hint = question.audience_text_for(questionnaire)
    return (question, current, legend, hint, error)


def _answers_to_show(question):
    """Nothing, each option, rather not say; several options for a choice of several."""
    shown: list[object] = [None, RATHER_NOT_SAY, *(o.id for o in question.options)]
    if question.kind.name == "choose-several":
        shown += [[o.id for o in question.options[:2]], [RATHER_NOT_SAY]]
    return shown


def test_every_kept_field_is_what_the_macro_draws(app):
    with app.test_request_context("/check-in"):
        for questionnaire in all_questionnaires().values():
            for question in questionnaire.questions:
                macro = _macro(app, question)
                draw = question_macro(app.jinja_env, question)
                for current in _answers_to_show(question):
                    arguments = _arguments(question, questionnaire, current)
                    drawn = str(macro(*arguments))
                    assert str(draw(*arguments)) == drawn  # drawn, then kept
                    assert str(draw(*arguments)) == drawn  # the kept one
    assert len(drawn_fields) > 0


def test_the_answer_shown_is_part_of_what_is_kept(app):
    questionnaire = all_questionnaires()[("checkin", 1)]
    question = questionnaire.questions[0]
    with app.test_request_context("/check-in"):
        draw = question_macro(app.jinja_env, question)
        first, second = (o.id for o in question.options[:2])
        checked = re.compile(r'value="([^"]+)"[^>]*checked')
        assert checked.findall(str(draw(*_arguments(question, questionnaire, first)))) == [first]
        assert checked.findall(str(draw(*_arguments(question, questionnaire, second)))) == [second]
        assert checked.findall(str(draw(*_arguments(question, questionnaire)))) == []


def test_words_a_young_person_typed_are_never_kept(app):
    questionnaire = all_questionnaires()[("checkin", 1)]
    question = next(q for q in questionnaire.questions if q.kind.is_free_text)
    with app.test_request_context("/check-in"):
        draw = question_macro(app.jinja_env, question)
        words = "My worker listens to me"
        assert words in str(draw(*_arguments(question, questionnaire, words)))
        assert len(drawn_fields) == 0
        assert words in str(draw(*_arguments(question, questionnaire, words)))
        # A choice that is not one of the question's options is drawn, not kept, too.
        choice = questionnaire.questions[0]
        draw = question_macro(app.jinja_env, choice)
        draw(*_arguments(choice, questionnaire, "not-an-option"))
        assert len(drawn_fields) == 0


@pytest.mark.parametrize("easy_read", [False, True])
def test_each_language_and_easy_read_is_kept_apart(app, easy_read):
    from feedback import i18n

    questionnaire = all_questionnaires()[("checkin", 1)]
    question = questionnaire.questions[0]
    kept = []
    for language in ("en", "pl"):
        with app.test_request_context(f"/check-in?lang={language}"):
            i18n.remember_easy_read(easy_read)
            draw = question_macro(app.jinja_env, question)
            draw(*_arguments(question, questionnaire))
            draw(*_arguments(question, questionnaire))
            kept.append(len(drawn_fields))
    assert kept == [1, 2]
    with app.test_request_context("/check-in?lang=pl"):
        i18n.remember_easy_read(not easy_read)
        question_macro(app.jinja_env, question)(*_arguments(question, questionnaire))
    assert len(drawn_fields) == 3


def test_no_more_than_its_size_is_kept(app):
    questionnaire = all_questionnaires()[("checkin", 1)]
    question = questionnaire.questions[0]
    small = widgets.DrawnFields(size=2)
    macro = _macro(app, question)
    with app.test_request_context("/check-in"):
        for option in question.options:
            small.draw(macro, *_arguments(question, questionnaire, option.id))
    assert len(small) == 2


def test_each_young_person_sees_their_own_answer_and_nobody_elses(app, make_invitation):
    first, second = app.test_client(), app.test_client()
    first.get(f"/r/{make_invitation().token}")
    second.get(f"/r/{make_invitation().token}")
    path = "/check-in/questions/feel-safe"
    checked = re.compile(r'value="([^"]+)"[^>]*checked')
    assert checked.findall(first.get(path).get_data(as_text=True)) == []
    first.post(path, data={"answer": "safe"})
    assert checked.findall(first.get(path).get_data(as_text=True)) == ["safe"]
    assert checked.findall(second.get(path).get_data(as_text=True)) == []
    second.post(path, data={"answer": "unsafe"})
    assert checked.findall(second.get(path).get_data(as_text=True)) == ["unsafe"]
    assert checked.findall(first.get(path).get_data(as_text=True)) == ["safe"]
