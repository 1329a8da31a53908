"""A new type of question needs a type, a widget and its macro, and nothing else.

The type and widget here exist only in this test: a questionnaire file that uses the
type is read, its page drawn, answered, checked and sent through the app as it is."""

from __future__ import annotations

import shutil

import pytest
from jinja2 import ChoiceLoader, DictLoader
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

import outcomes.questionnaires as questionnaires
from feedback.checkin.forms import question_form
from feedback.checkin.widgets import Widget, one_choice_field, register_widget, unregister_widget
from feedback.responses.models import Response
from outcomes.question_types import FixedChoice, Option, register, unregister

LIGHTS = """\
code: lights
version: 1
kind: checkin
framework: {code: complex-safeguarding, version: 1}
title: Lights
questions:
  - id: today
    type: traffic-light
    text: How is today going?
    audience: worker
  - id: words
    type: free-text
    text: Anything else?
    audience: service
    optional: true
"""

MACRO = """\
{% macro lights(question, current, legend, hint_html, error) %}
<fieldset class="lights"><legend>{{ legend.text }}</legend>{{ hint_html }}
{% for option in question.shown_options %}
<input type="radio" name="answer" id="light-{{ option.id }}" value="{{ option.id }}"
  {{- ' checked' if current == option.id }}>
<label for="light-{{ option.id }}">{{ option.label }}</label>
{% endfor %}
<input type="radio" name="answer" value="rather-not-say">
</fieldset>
{% endmacro %}
"""


class TrafficLight(FixedChoice):
    """Red, amber or green, worst first; shown green first."""

    name = "traffic-light"
    options = (Option("red", "Red"), Option("amber", "Amber"), Option("green", "Green"))
    shown_order = ("green", "amber", "red")


@pytest.fixture(autouse=True)
def traffic_lights(tmp_path, monkeypatch):
    """The type, its widget and a questionnaire that uses it, for this test only."""
    for path in questionnaires.DEFINITIONS.glob("*.yaml"):
        shutil.copy(path, tmp_path)
    (tmp_path / "lights-v1.yaml").write_text(LIGHTS, encoding="utf-8")
    monkeypatch.setattr(questionnaires, "DEFINITIONS", tmp_path)
    register(TrafficLight())
    register_widget("traffic-light", Widget(one_choice_field, "lights", template="lights.html"))
    questionnaires.all_questionnaires.cache_clear()
    yield
    unregister("traffic-light")
    unregister_widget("traffic-light")
    questionnaires.all_questionnaires.cache_clear()


@pytest.fixture
def lights_app(app):
    app.jinja_env.loader = ChoiceLoader([DictLoader({"lights.html": MACRO}), app.jinja_env.loader])
    return app


def test_the_type_scores_and_labels_without_a_framework():
    today = questionnaires.get_questionnaire("lights").question("today")
    assert [today.kind.score(today, v) for v in ("red", "amber", "green")] == [0, 50, 100]
    assert today.answer_label("amber") == "Amber"
    assert not today.kind.is_free_text


def test_the_form_accepts_only_the_type_s_answers(lights_app):
    today = questionnaires.get_questionnaire("lights").question("today")
    with lights_app.test_request_context():
        assert question_form(today, formdata=MultiDict({"answer": "green"})).validate()
        assert question_form(today, formdata=MultiDict({"answer": "rather-not-say"})).validate()
        assert not question_form(today, formdata=MultiDict({"answer": "blue"})).validate()


def test_a_young_person_answers_checks_and_sends_it(lights_app, make_invitation, session):
    client = lights_app.test_client()
    client.get(f"/r/{make_invitation(questionnaire=('lights', 1)).token}")

    page = client.get("/check-in/questions/today").get_data(as_text=True)
    assert '<fieldset class="lights">' in page
    assert page.index('id="light-green"') < page.index('id="light-red"')
    assert "Your worker will read this answer." in page

    assert client.post("/check-in/questions/today", data={"answer": "blue"}).status_code == 400
    assert client.post("/check-in/questions/today", data={"answer": "amber"}).status_code == 302
    assert 'id="light-amber" value="amber" checked' in client.get(
        "/check-in/questions/today"
    ).get_data(as_text=True)
    client.post("/check-in/questions/words", data={"rather_not_say": "1"})

    check = client.get("/check-in/check").get_data(as_text=True)
    assert '<span class="app-answer">Amber</span>' in check
    assert client.post("/check-in/check").status_code == 302

    response = session.scalar(select(Response))
    assert response.status == "submitted"
    assert response.answer_map() == {"today": "amber", "words": "rather-not-say"}
