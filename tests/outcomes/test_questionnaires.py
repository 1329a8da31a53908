"""Questionnaire files: what a valid one gives, and what a broken one is told."""

from __future__ import annotations

import copy

import pytest
import yaml

from outcomes.questionnaires import (
    DefinitionError,
    all_questionnaires,
    load_questionnaire_file,
    parse_questionnaire,
)

FACES = [{"id": f"face-{i}", "label": f"Face {i}"} for i in range(5)]
VALID = {
    "code": "tiny",
    "version": 1,
    "kind": "checkin",
    "title": "Tiny",
    "framework": {"code": "complex-safeguarding", "version": 1},
    "questions": [
        {"id": "safe", "type": "scale", "text": "?", "audience": "worker", "options": FACES},
        {"id": "words", "type": "free-text", "text": "?", "audience": "service"},
    ],
}


def broken(change) -> str:
    data = copy.deepcopy(VALID)
    change(data)
    with pytest.raises(DefinitionError) as caught:
        parse_questionnaire(data, source="tiny.yaml")
    return str(caught.value)


def test_every_definition_file_is_valid():
    assert {code for code, _ in all_questionnaires()} == {
        "checkin",
        "exit-young-person",
        "exit-family",
        "service-feedback",
    }


def test_a_valid_file_gives_questions_of_their_types(tmp_path):
    path = tmp_path / "tiny-v1.yaml"
    path.write_text(yaml.safe_dump(VALID), encoding="utf-8")
    tiny = load_questionnaire_file(path)
    assert tiny.source == "tiny-v1.yaml"
    assert [q.kind.name for q in tiny.questions] == ["scale", "free-text"]
    assert tiny.question("words").max_length == 2000


def test_an_unknown_key_names_file_path_and_key():
    message = broken(lambda d: d["questions"][0]["options"][1].update(colour="red"))
    assert message == "tiny.yaml: questions[0].options[1].colour: is not a key this entry can have"


def test_an_unknown_top_level_key_is_an_error():
    message = broken(lambda d: d.update(titel="Tiny"))
    assert message == "tiny.yaml: titel: is not a key this entry can have"


def test_a_wrong_type_names_file_path_and_what_was_given():
    message = broken(lambda d: d["questions"][0]["options"][1].update(label=3))
    assert message.startswith("tiny.yaml: questions[0].options[1].label: ")
    assert "valid string" in message and "got 3" in message


def test_a_missing_field_names_file_and_path():
    message = broken(lambda d: d["questions"][1].pop("audience"))
    assert message == "tiny.yaml: questions[1].audience: is missing"


def test_an_unknown_question_type_lists_the_types():
    message = broken(lambda d: d["questions"][0].update(type="slider"))
    assert message.startswith("tiny.yaml: questions[0].type: must be one of scale, yes-no")
    assert "got 'slider'" in message


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["questions"][0]["options"].pop(),
            "questions[0].options: a scale question has exactly five options (the faces)",
        ),
        (
            lambda d: d["questions"][0]["options"][1].update(id="face-0"),
            "questions[0].options: duplicate option id 'face-0'",
        ),
        (
            lambda d: d["questions"][0]["options"][1].update(id="rather-not-say"),
            "questions[0].options: duplicate option id 'rather-not-say'",
        ),
        (
            lambda d: d["questions"][1].update(indicator="safety.feel-safe"),
            "questions[1].indicator: a free-text question cannot be scored on an indicator",
        ),
        (
            lambda d: d["questions"][1].update(max_length=0),
            "questions[1].max_length: Input should be greater than or equal to 1",
        ),
        (lambda d: d["questions"][1].update(id="safe"), "questions: duplicate question id 'safe'"),
        (lambda d: d.update(questions=[]), "questions: List should have at least 1 item"),
        (lambda d: d.update(version="1"), "version: Input should be a valid integer"),
        (lambda d: d.update(kind="survey"), "kind: Input should be 'checkin'"),
        (lambda d: d["framework"].pop("version"), "framework.version: is missing"),
        (
            lambda d: d.update(anonymous=True),
            "questions: an anonymous questionnaire cannot share answers with a worker",
        ),
    ],
)
def test_rules_of_a_questionnaire(change, expected):
    assert broken(change).startswith(f"tiny.yaml: {expected}")


def test_every_problem_is_reported_at_once():
    def two_problems(d):
        d.pop("title")
        d["framework"]["colour"] = "red"

    message = broken(two_problems)
    assert "title: is missing" in message
    assert "framework.colour: is not a key this entry can have" in message


def test_a_file_that_is_not_yaml(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("code: [unclosed", encoding="utf-8")
    with pytest.raises(DefinitionError, match="bad.yaml: file: not valid YAML"):
        load_questionnaire_file(path)


def test_a_file_that_is_not_a_mapping():
    with pytest.raises(DefinitionError, match="tiny.yaml: file: "):
        parse_questionnaire(["code"], source="tiny.yaml")
