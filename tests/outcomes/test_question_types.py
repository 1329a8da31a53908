"""Each question type: the answers it accepts, how it stores, scores and shows them."""

from __future__ import annotations

import pytest

from outcomes.question_types import (
    QUESTION_TYPES,
    Agreement,
    ChooseSeveral,
    FreeText,
    Scale,
    YesNo,
    even_points,
    question_type,
)
from outcomes.questionnaires import RATHER_NOT_SAY, DefinitionError, Question, parse_questionnaire

FACES = [
    {"id": "really-bad", "label": "Really bad"},
    {"id": "bad", "label": "Bad"},
    {"id": "ok", "label": "OK"},
    {"id": "good", "label": "Good"},
    {"id": "really-good", "label": "Really good"},
]
HELPED = [
    {"id": "talking", "label": "Talking to my worker"},
    {"id": "activities", "label": "Things to do"},
]


def question(**entry) -> Question:
    entry = {"id": "q", "text": "?", "audience": "worker", **entry}
    parsed = parse_questionnaire(
        {
            "code": "test",
            "version": 1,
            "kind": "checkin",
            "title": "Test",
            "framework": {"code": "complex-safeguarding", "version": 1},
            "questions": [entry],
        },
        source="test.yaml",
    )
    return parsed.questions[0]


def test_the_registry_holds_every_type_under_its_file_name():
    assert set(QUESTION_TYPES) == {
        "scale",
        "yes-no",
        "choose-several",
        "free-text",
        "agreement",
        "choose-one",
    }
    assert isinstance(question_type("agreement"), Agreement)
    with pytest.raises(KeyError):
        question_type("slider")


@pytest.mark.parametrize(
    ("entry", "kind"),
    [
        ({"type": "scale", "options": FACES}, Scale),
        ({"type": "yes-no"}, YesNo),
        ({"type": "agreement"}, Agreement),
        ({"type": "choose-several", "options": HELPED}, ChooseSeveral),
        ({"type": "free-text"}, FreeText),
    ],
)
def test_a_question_carries_its_type_object(entry, kind):
    assert isinstance(question(**entry).kind, kind)


@pytest.mark.parametrize(
    ("entry", "free_text"),
    [
        ({"type": "scale", "options": FACES}, False),
        ({"type": "yes-no"}, False),
        ({"type": "agreement"}, False),
        ({"type": "choose-several", "options": HELPED}, False),
        ({"type": "free-text"}, True),
    ],
)
def test_only_free_text_is_free_text(entry, free_text):
    assert question(**entry).kind.is_free_text is free_text


# --- scale ------------------------------------------------------------------------------


def test_scale_accepts_its_options_and_rather_not_say_only():
    q = question(type="scale", options=FACES)
    for value in ("really-bad", "good", RATHER_NOT_SAY):
        assert q.is_valid_answer(value)
    for value in ("maybe", ["good"], 3, None, ""):
        assert not q.is_valid_answer(value)


def test_scale_scores_its_options_worst_to_best():
    q = question(type="scale", options=FACES)
    ids = [o["id"] for o in FACES]
    assert [q.kind.score(q, i) for i in ids] == [0, 25, 50, 75, 100]
    assert q.kind.score(q, "ok", points=(1, 2, 3, 4, 5)) == 3


def test_reverse_scale_is_flipped():
    q = question(type="scale", options=FACES, reverse=True)
    assert [q.kind.score(q, o["id"]) for o in FACES] == [100, 75, 50, 25, 0]


@pytest.mark.parametrize("value", [RATHER_NOT_SAY, "maybe", None, ["good"], 1])
def test_scale_leaves_other_answers_unscored(value):
    q = question(type="scale", options=FACES)
    assert q.kind.score(q, value) is None


def test_scale_shows_its_options_in_order_and_labels_answers():
    q = question(type="scale", options=FACES)
    assert [o.id for o in q.shown_options] == [o["id"] for o in FACES]
    assert q.answer_label("ok") == "OK"
    assert q.answer_label(RATHER_NOT_SAY) == "I\u2019d rather not say"
    assert q.kind.normalise(q, "ok") == "ok"


# --- yes-no -----------------------------------------------------------------------------


def test_yes_no_has_its_own_options_and_shows_yes_first():
    q = question(type="yes-no")
    assert [o.id for o in q.options] == ["no", "yes", "not-sure"]
    assert [o.id for o in q.shown_options] == ["yes", "no", "not-sure"]
    assert [o.label for o in q.shown_options] == ["Yes", "No", "Not sure"]


def test_yes_no_scores_yes_over_no_and_not_sure_not_at_all():
    q = question(type="yes-no")
    assert q.kind.score(q, "yes") == 100
    assert q.kind.score(q, "no") == 0
    assert q.kind.score(q, "not-sure") is None
    assert q.kind.score(q, RATHER_NOT_SAY) is None
    assert q.is_valid_answer("not-sure")
    assert not q.is_valid_answer("maybe")


def test_reverse_yes_no_is_flipped():
    q = question(type="yes-no", reverse=True)
    assert (q.kind.score(q, "yes"), q.kind.score(q, "no")) == (0, 100)


# --- agreement --------------------------------------------------------------------------


def test_agreement_shows_certainly_true_first_and_dont_know_last():
    q = question(type="agreement")
    assert [o.id for o in q.shown_options] == [
        "certainly-true",
        "partly-true",
        "not-true",
        "dont-know",
    ]
    assert [o.label for o in q.shown_options] == [
        "Certainly true",
        "Partly true",
        "Not true",
        "Don\u2019t know",
    ]


@pytest.mark.parametrize(
    ("value", "score"),
    [
        ("certainly-true", 100),
        ("partly-true", 50),
        ("not-true", 0),
        ("dont-know", None),
        (RATHER_NOT_SAY, None),
        ("maybe", None),
    ],
)
def test_agreement_scores_100_50_0_and_not_dont_know(value, score):
    q = question(type="agreement")
    assert q.kind.score(q, value) == score


def test_agreement_accepts_its_options_and_labels_them():
    q = question(type="agreement")
    assert all(q.is_valid_answer(v) for v in ("certainly-true", "dont-know", RATHER_NOT_SAY))
    assert not q.is_valid_answer("true")
    assert q.answer_label("partly-true") == "Partly true"
    assert len(q.scored_options) == 3


def test_reverse_agreement_is_flipped():
    q = question(type="agreement", reverse=True)
    assert q.kind.score(q, "certainly-true") == 0


def test_agreement_lists_no_options_of_its_own():
    with pytest.raises(DefinitionError, match=r"questions\[0\]\.options: is not a key"):
        question(type="agreement", options=HELPED)


# --- choose-several ---------------------------------------------------------------------


def test_choose_several_accepts_lists_of_its_options():
    q = question(type="choose-several", audience="service", options=HELPED)
    assert q.is_valid_answer(["talking"])
    assert q.is_valid_answer(["talking", "activities"])
    assert q.is_valid_answer(RATHER_NOT_SAY)
    for value in ([], ["nope"], "talking", [1], None):
        assert not q.is_valid_answer(value)


def test_rather_not_say_ticked_on_its_own_is_stored_as_rather_not_say():
    q = question(type="choose-several", audience="service", options=HELPED)
    assert q.kind.normalise(q, [RATHER_NOT_SAY]) == RATHER_NOT_SAY
    assert q.kind.normalise(q, ["talking"]) == ["talking"]


def test_choose_several_is_never_scored_and_labels_each_choice():
    q = question(type="choose-several", audience="service", options=HELPED)
    assert q.kind.score(q, ["talking"]) is None
    assert q.kind.labels(q, ["talking", "activities"]) == ("Talking to my worker", "Things to do")
    assert q.answer_label(["talking", "activities"]) == "Talking to my worker, Things to do"
    assert q.answer_label(RATHER_NOT_SAY) == "I\u2019d rather not say"


# --- free text --------------------------------------------------------------------------


def test_free_text_accepts_words_up_to_its_limit():
    q = question(type="free-text", audience="service", max_length=10)
    assert q.is_valid_answer("")
    assert q.is_valid_answer("ten chars!")
    assert q.is_valid_answer(RATHER_NOT_SAY)
    assert not q.is_valid_answer("eleven char")
    assert not q.is_valid_answer(["words"])


def test_free_text_is_stored_trimmed_and_never_scored():
    q = question(type="free-text", audience="service")
    assert q.kind.normalise(q, "  hello \n") == "hello"
    assert q.kind.normalise(q, None) == ""
    assert q.kind.score(q, "hello") is None


def test_free_text_labels():
    q = question(type="free-text", audience="service")
    assert q.answer_label("My words") == "My words"
    assert q.answer_label("") == "Not answered"
    assert q.answer_label(RATHER_NOT_SAY) == "I\u2019d rather not say"


def test_even_points():
    assert even_points(3) == (0, 50, 100)
    assert even_points(2) == (0, 100)


def test_choose_one_is_a_plain_unscored_single_choice():
    from outcomes.questionnaires import parse_questionnaire

    entry = {
        "id": "who",
        "type": "choose-one",
        "text": "Who with?",
        "audience": "service",
        "options": [
            {"id": "alone", "label": "On my own"},
            {"id": "worker", "label": "With my worker"},
        ],
    }
    base = {
        "code": "t",
        "version": 1,
        "kind": "exit-young-person",
        "title": "T",
        "framework": {"code": "complex-safeguarding", "version": 2},
    }
    q = parse_questionnaire({**base, "questions": [entry]}).question("who")
    assert [o.id for o in q.shown_options] == ["alone", "worker"]
    assert q.is_valid_answer("worker") and not q.is_valid_answer("nobody")
    assert q.kind.score(q, "worker") is None
    assert q.answer_label("alone") == "On my own"
    with pytest.raises(ValueError, match="cannot be scored"):
        parse_questionnaire({**base, "questions": [{**entry, "indicator": "listened-to.x"}]})
