"""Easy-read files: each covers its questionnaire exactly, changes only words and
pictures, scores the same, and a file that is wrong names itself and the entry."""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import pytest
import yaml

from outcomes.easy_read import (
    DEFINITIONS,
    PICTURES,
    EasyReadError,
    all_easy_read,
    easy_read_of,
    has_easy_read,
    load_easy_read_file,
    parse_easy_read,
)
from outcomes.framework import get_framework
from outcomes.question_types import RATHER_NOT_SAY
from outcomes.questionnaires import DefinitionError, get_questionnaire
from outcomes.scoring import score_answers

SHIPPED = ["checkin", "exit-young-person", "exit-family"]
# Every language the app ships (feedback.i18n.LANGUAGES; outcomes may not import it).
LANGUAGES = ("en", "ur", "ar", "pl", "ro")
WORDS = {"text", "hint", "options"}


def _data(code: str = "checkin") -> dict:
    return yaml.safe_load((DEFINITIONS / f"{code}-v1.yaml").read_text(encoding="utf-8"))


def test_the_check_in_and_both_exit_interviews_have_an_easy_read_in_every_shipped_language():
    assert sorted(code for code, _version in all_easy_read()) == sorted(SHIPPED)
    for code in SHIPPED:
        base = get_questionnaire(code)
        assert base.languages == LANGUAGES
        assert all_easy_read()[(code, 1)].languages == LANGUAGES
        for language in LANGUAGES:
            easy = easy_read_of(base, language)
            assert easy is not None and easy.language == language
            assert has_easy_read(base, language)
    assert easy_read_of(get_questionnaire("service-feedback"), "en") is None
    assert easy_read_of(get_questionnaire("checkin"), "fr") is None


def _strings(questionnaire) -> dict[str, str]:
    """Every string an easy read gives, by where it is."""
    found = {"intro": questionnaire.intro}
    for question in questionnaire.questions:
        found[f"{question.id}.text"] = question.text
        found[f"{question.id}.hint"] = question.hint or ""
        found.update({f"{question.id}.{o.id}": o.label for o in question.options})
    return found


@pytest.mark.parametrize("language", LANGUAGES[1:])
@pytest.mark.parametrize("code", SHIPPED)
def test_each_language_gives_its_own_easy_words_not_the_english(code, language):
    base = get_questionnaire(code)
    english = _strings(easy_read_of(base, "en"))
    easy = _strings(easy_read_of(base, language))
    assert easy.keys() == english.keys()
    for where, words in easy.items():
        if english[where]:
            # "OK" is Romanian too.
            assert words and (words != english[where] or words == "OK"), where
        else:
            assert not words, where


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", SHIPPED)
def test_an_easy_read_says_who_reads_each_answer_in_its_own_language(code, language):
    # The words every questionnaire shares (who reads an answer, "I'd rather not say")
    # are the standard ones of the same language, whichever language's version is asked.
    base = get_questionnaire(code)
    standard = base.in_language(language)
    for asked in (base, standard):
        easy = easy_read_of(asked, language)
        assert easy.words == standard.words
        for question in easy.questions:
            same = standard.question(question.id)
            assert question.rather_not_say == same.rather_not_say
            assert question.audience_text_for(easy) == same.audience_text_for(standard)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", SHIPPED)
def test_only_the_words_and_pictures_differ(code, language):
    base = get_questionnaire(code).in_language(language)
    easy = easy_read_of(base, language)
    words = {"questions", "intro", "source", "easy_read"}
    same = {f.name for f in dataclasses.fields(base)} - words
    assert all(getattr(easy, name) == getattr(base, name) for name in same)
    assert easy.easy_read and not base.easy_read
    # The welcome page's promise of who is told if an answer worries us, in easy words.
    assert easy.told_if_it_worries == base.words.easy_told_if_it_worries[base.answered_by]
    assert easy.told_if_it_worries and base.told_if_it_worries
    assert easy.intro and easy.intro != base.intro
    assert [q.id for q in easy.questions] == [q.id for q in base.questions]
    for standard, simple in zip(base.questions, easy.questions, strict=True):
        kept = {f.name for f in dataclasses.fields(standard)} - WORDS
        assert {n: getattr(simple, n) for n in kept} == {n: getattr(standard, n) for n in kept}
        assert simple.picture in PICTURES
        assert [(o.id, o.scored) for o in simple.options] == [
            (o.id, o.scored) for o in standard.options
        ]
        assert [o.id for o in simple.shown_options] == [o.id for o in standard.shown_options]
        assert all(o.picture in PICTURES and o.label for o in simple.options)
        assert simple.audience_text_for(easy) == standard.audience_text_for(base)
        if standard.hint:
            assert simple.hint


def _every_answer(question):
    if question.kind.is_free_text:
        return ["Some words", RATHER_NOT_SAY]
    if question.kind.name == "choose-several":
        return [[question.options[0].id, question.options[-1].id], RATHER_NOT_SAY]
    return [o.id for o in question.options] + [RATHER_NOT_SAY]


def test_a_page_asking_again_gets_the_same_easy_read_not_a_new_one():
    # Pages draw a question's field once per question object (feedback's DrawnFields):
    # a new easy read on every request would draw every field anew.
    base = get_questionnaire("checkin")
    first = easy_read_of(base, "en")
    assert first is not None and easy_read_of(base, "en") is first
    # Made over the questionnaire in its own language, whichever version is asked.
    assert easy_read_of(base.in_language("ar"), "en") is first
    assert easy_read_of(base, "ar") is easy_read_of(base.in_language("ar"), "ar") is not first


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("code", SHIPPED)
def test_every_answer_scores_the_same_in_easy_read(code, language):
    base = get_questionnaire(code)
    easy = easy_read_of(base, language)
    framework = get_framework(base.framework_code, base.framework_version)
    for question in base.questions:
        simple = easy.question(question.id)
        for value in _every_answer(question):
            assert simple.is_valid_answer(value) == question.is_valid_answer(value)
            assert simple.kind.score(simple, value) == question.kind.score(question, value)
            answers = {question.id: value}
            assert score_answers(easy, answers, framework) == score_answers(
                base, answers, framework
            )


def test_an_answer_reads_in_the_words_it_was_chosen_by():
    easy = easy_read_of(get_questionnaire("checkin"), "en")
    assert easy.question("feel-safe").answer_label("very-unsafe") == "Not safe at all"
    assert easy.question("trusted-adult").answer_label("not-sure") == "I am not sure"


def _error(data, **kwargs) -> str:
    with pytest.raises(EasyReadError) as raised:
        parse_easy_read(data, "easy-read/checkin-v1.yaml", **kwargs)
    assert isinstance(raised.value, DefinitionError)
    message = str(raised.value)
    assert message.startswith("easy-read/checkin-v1.yaml: ")
    return message


def test_a_question_left_out_or_not_in_the_questionnaire_is_named():
    data = _data()
    del data["questions"]["home"]
    data["questions"]["homework"] = copy.deepcopy(data["questions"]["school"])
    message = _error(data)
    assert "questions.home: is missing" in message
    assert "questions.homework: is not a question of checkin version 1" in message


def test_an_option_left_out_or_not_in_the_question_is_named():
    data = _data()
    del data["questions"]["feel-safe"]["options"]["safe"]
    data["questions"]["trusted-adult"]["options"]["maybe"] = {
        "picture": "tick",
        "label": {"en": "Maybe"},
    }
    message = _error(data)
    assert "questions.feel-safe.options.safe: is missing" in message
    assert "questions.trusted-adult.options.maybe: is not an option of this question" in message


def _offered_in_welsh_too(code: str, version: int):
    """The questionnaire as if it were offered in Welsh (cy) too."""
    base = get_questionnaire(code, version)
    return dataclasses.replace(base, languages=(*base.languages, "cy"))


def test_every_language_listed_must_have_every_string():
    data = _data()
    data["languages"].append("cy")
    data["intro"]["cy"] = "Rhai cwestiynau."
    message = _error(data, find_base=_offered_in_welsh_too)
    assert "intro.cy" not in message and "languages" not in message
    assert "questions.feel-safe.text.cy: is missing" in message
    assert "questions.feel-safe.options.very-unsafe.label.cy: is missing" in message
    assert "questions.school.hint.cy: is missing" in message

    data = _data()
    data["questions"]["home"]["text"]["cy"] = "Sut mae pethau gartref?"
    assert "questions.home.text.cy: is not one of the languages listed" in _error(data)


def test_an_easy_read_only_in_a_language_its_questionnaire_is_offered_in():
    # Its words of who reads each answer and "I'd rather not say" are the questionnaire's.
    data = _data()
    data["languages"].append("cy")
    assert (
        "languages: checkin version 1 is not offered in 'cy', so its easy read cannot be"
        in _error(data)
    )


def test_a_hint_the_standard_words_have_must_be_given():
    data = _data()
    del data["questions"]["school"]["hint"]
    assert "questions.school.hint: is missing (the standard words have one)" in _error(data)


def test_unknown_pictures_keys_and_types_are_named():
    data = _data()
    data["questions"]["home"]["picture"] = "castle"
    data["questions"]["feel-safe"]["options"]["safe"]["colour"] = "green"
    data["questions"]["future"]["text"] = "How do you feel about your future?"
    message = _error(data)
    assert "questions.home.picture: there is no picture called 'castle'" in message
    assert "questions.feel-safe.options.safe.colour: is not a key this entry can have" in message
    assert "questions.future.text: Input should be a valid dictionary" in message


def test_an_unknown_questionnaire_is_named():
    data = _data()
    data["base"] = {"code": "checkin", "version": 9}
    assert "base: there is no questionnaire checkin version 9" in _error(data)


def test_a_key_given_twice_is_an_error_not_the_last_one_kept(tmp_path: Path):
    text = (DEFINITIONS / "checkin-v1.yaml").read_text(encoding="utf-8")
    twice = text.replace("  trusted-adult:\n", "  feel-safe:\n", 1)
    path = tmp_path / "checkin-v1.yaml"
    path.write_text(twice, encoding="utf-8")
    with pytest.raises(EasyReadError, match="checkin-v1.yaml: file: not valid YAML.*given twice"):
        load_easy_read_file(path)
