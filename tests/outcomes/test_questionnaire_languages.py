"""Questionnaires in several languages: every word given, nothing else changed."""

from __future__ import annotations

import copy
import random

import pytest
import yaml

from outcomes import words as shared
from outcomes.framework import get_framework
from outcomes.question_types import RATHER_NOT_SAY_LABEL
from outcomes.questionnaires import (
    AUDIENCES,
    DEFINITIONS,
    RATHER_NOT_SAY,
    DefinitionError,
    all_questionnaires,
    get_questionnaire,
    parse_questionnaire,
)
from outcomes.scoring import score_answers
from outcomes.words import WordsError, load_words_file, parse_words, shared_words

SHIPPED = ("en", "ur", "ar", "pl", "ro")
TRANSLATED = SHIPPED[1:]
PACKAGED = sorted(all_questionnaires())


def _raw(name: str) -> dict:
    return yaml.safe_load((DEFINITIONS / name).read_text(encoding="utf-8"))


def _broken(name: str, change) -> str:
    data = _raw(name)
    change(data)
    with pytest.raises(DefinitionError) as caught:
        parse_questionnaire(data, source=name)
    return str(caught.value)


@pytest.mark.parametrize("key", PACKAGED)
def test_every_packaged_questionnaire_is_offered_in_every_shipped_language(key):
    questionnaire = all_questionnaires()[key]
    assert questionnaire.languages == SHIPPED
    for code in SHIPPED:
        assert questionnaire.offers(code)
        assert questionnaire.in_language(code).language == code
    assert not questionnaire.offers("fr")
    with pytest.raises(KeyError):
        questionnaire.in_language("fr")


@pytest.mark.parametrize("code", TRANSLATED)
@pytest.mark.parametrize("key", PACKAGED)
def test_a_translation_changes_the_words_and_nothing_else(key, code):
    english = all_questionnaires()[key]
    other = english.in_language(code)
    assert (other.code, other.version, other.kind, other.anonymous) == (
        english.code,
        english.version,
        english.kind,
        english.anonymous,
    )
    assert (other.framework_code, other.framework_version) == (
        english.framework_code,
        english.framework_version,
    )
    assert other.title != english.title
    assert bool(other.intro) == bool(english.intro)
    assert len(other.questions) == len(english.questions)
    for theirs, ours in zip(other.questions, english.questions, strict=True):
        assert (theirs.id, theirs.kind, theirs.audience, theirs.indicator) == (
            ours.id,
            ours.kind,
            ours.audience,
            ours.indicator,
        )
        assert (theirs.reverse, theirs.optional, theirs.max_length) == (
            ours.reverse,
            ours.optional,
            ours.max_length,
        )
        assert [(o.id, o.scored) for o in theirs.options] == [
            (o.id, o.scored) for o in ours.options
        ]
        assert [o.id for o in theirs.shown_options] == [o.id for o in ours.shown_options]
        assert theirs.text != ours.text
        assert (theirs.hint is None) == (ours.hint is None)
        assert theirs.rather_not_say != RATHER_NOT_SAY_LABEL
        # Each option has words of its own in the language, not the English.
        labels = [o.label for o in theirs.options]
        assert all(labels) and len(set(labels)) == len(labels)
        assert theirs.audience_text_for(other) != ours.audience_text_for(english)
    # Each language's version leads to the others, and back to the English.
    assert other.in_language("en") is english
    assert other.in_language(code) is other


def _every_answer(question) -> list:
    values = [o.id for o in question.options] + [RATHER_NOT_SAY, None, "not-an-option"]
    if question.kind.is_free_text:
        values.append("some words")
    return values


@pytest.mark.parametrize("code", TRANSLATED)
@pytest.mark.parametrize("key", PACKAGED)
def test_answers_score_the_same_in_every_language(key, code):
    english = all_questionnaires()[key]
    other = english.in_language(code)
    framework = get_framework(english.framework_code, english.framework_version)
    for theirs, ours in zip(other.questions, english.questions, strict=True):
        for value in _every_answer(ours):
            assert theirs.is_valid_answer(value) == ours.is_valid_answer(value)
            assert theirs.kind.score(theirs, value) == ours.kind.score(ours, value)
    rng = random.Random(12)
    for _ in range(50):
        answers = {
            q.id: rng.choice([o.id for o in q.options] + [RATHER_NOT_SAY])
            for q in english.questions
            if q.options
        }
        assert score_answers(other, answers, framework) == score_answers(
            english, answers, framework
        )


def test_the_words_the_young_person_sees_are_in_their_language():
    checkin = get_questionnaire("checkin").in_language("pl")
    assert checkin.title == "Jak się masz?"
    feel_safe = checkin.question("feel-safe")
    assert feel_safe.text == "Jak bezpiecznie czujesz się teraz?"
    assert feel_safe.answer_label("very-safe") == "Bardzo bezpiecznie"
    assert feel_safe.answer_label(RATHER_NOT_SAY) == "Wolę nie mówić"
    assert feel_safe.audience_text_for(checkin) == (
        "Osoba, która z Tobą pracuje, przeczyta tę odpowiedź."
    )
    # A type's own options (yes-no) take the shared words of the language.
    adult = checkin.question("trusted-adult")
    assert [o.label for o in adult.shown_options] == ["Tak", "Nie", "Nie wiem na pewno"]
    assert checkin.question("anything-else").answer_label("") == "Brak odpowiedzi"
    assert checkin.told_if_it_worries.startswith("Powiemy o tym kierownikowi")
    family = get_questionnaire("exit-family").in_language("ur")
    assert family.told_after_it_worried == shared_words()["ur"].told_after_it_worried["family"]
    assert family.question("listened-to").shown_options[0].label == "بالکل سچ"


def test_the_english_stays_the_words_of_the_english_questionnaire():
    checkin = get_questionnaire("checkin")
    assert checkin.language == "en"
    q = checkin.question("feel-safe")
    assert q.answer_label(RATHER_NOT_SAY) == RATHER_NOT_SAY_LABEL
    assert q.audience_text_for(checkin) == AUDIENCES["worker"]


def test_a_missing_string_names_the_file_the_language_and_the_path():
    message = _broken(
        "checkin-v1.yaml",
        lambda d: d["translations"]["ur"]["questions"]["feel-safe"]["options"].pop("safe"),
    )
    assert message == (
        "checkin-v1.yaml: translations.ur.questions.feel-safe.options.safe: is missing "
        "(it is offered in ur)"
    )


def test_a_missing_question_or_hint_is_named_too():
    message = _broken(
        "exit-family-v1.yaml",
        lambda d: (
            d["translations"]["pl"]["questions"].pop("who-with"),
            d["translations"]["pl"]["questions"]["child-helped"].pop("hint"),
        ),
    )
    assert "exit-family-v1.yaml: " in message
    assert "translations.pl.questions.who-with: is missing (it is offered in pl)" in message
    assert "translations.pl.questions.child-helped.hint: is missing (it is offered in pl)" in (
        message
    )


def test_an_empty_string_is_not_a_translation():
    message = _broken(
        "checkin-v1.yaml",
        lambda d: d["translations"]["ro"]["questions"]["home"].update(text=""),
    )
    assert message.startswith("checkin-v1.yaml: translations.ro.questions.home.text: ")


def test_words_the_english_does_not_have_cannot_be_given():
    message = _broken(
        "service-feedback-v1.yaml",
        lambda d: d["translations"]["ar"]["questions"]["going-well"].update(hint="?"),
    )
    assert message == (
        "service-feedback-v1.yaml: translations.ar.questions.going-well.hint: is not in the "
        "English, so cannot be translated (it is offered in ar)"
    )
    message = _broken(
        "service-feedback-v1.yaml",
        lambda d: d["translations"]["ar"]["questions"]["trust-service"].update(
            options={"yes": "نعم"}
        ),
    )
    assert "translations.ar.questions.trust-service.options: is not in the English" in message
    message = _broken(
        "checkin-v1.yaml",
        lambda d: d["translations"]["ur"]["questions"].update({"no-such-question": {"text": "?"}}),
    )
    assert "translations.ur.questions.no-such-question: is not in the English" in message


def test_a_key_a_translation_cannot_have_is_named():
    message = _broken(
        "checkin-v1.yaml",
        lambda d: d["translations"]["pl"]["questions"]["home"].update(colour="red"),
    )
    assert message == (
        "checkin-v1.yaml: translations.pl.questions.home.colour: is not a key this entry can "
        "have (language pl)"
    )


def test_a_language_offered_without_its_translation_fails():
    message = _broken("checkin-v1.yaml", lambda d: d["translations"].pop("ar"))
    assert message == "checkin-v1.yaml: translations.ar: is missing (it is offered in ar)"


def test_a_translation_of_a_language_not_offered_fails():
    message = _broken("checkin-v1.yaml", lambda d: d.update(languages=["en", "ur", "pl", "ro"]))
    assert message == (
        "checkin-v1.yaml: translations.ar: is not a language it is offered in (add ar to languages)"
    )


@pytest.mark.parametrize(
    ("languages", "problem"),
    [
        (["ur", "en"], "English comes first"),
        (["en", "pl", "pl"], "a language is listed twice"),
        (["en", "Polish"], "a language is a short lowercase code"),
        ([], "List should have at least 1 item"),
    ],
)
def test_the_list_of_languages_is_checked(languages, problem):
    message = _broken("checkin-v1.yaml", lambda d: d.update(languages=languages))
    assert message.startswith("checkin-v1.yaml: languages")
    assert problem in message


def test_a_questionnaire_without_languages_is_english_only():
    data = _raw("checkin-v1.yaml")
    del data["languages"], data["translations"]
    checkin = parse_questionnaire(data, source="checkin-v1.yaml")
    assert checkin.languages == ("en",)
    assert checkin.in_language("en") is checkin
    assert not checkin.offers("pl")


def test_a_language_without_the_shared_words_fails():
    words = {code: w for code, w in shared_words().items() if code != "ro"}
    with pytest.raises(DefinitionError) as caught:
        parse_questionnaire(_raw("checkin-v1.yaml"), source="checkin-v1.yaml", words=words)
    assert str(caught.value) == (
        "checkin-v1.yaml: languages: it is offered in ro, but the shared words (words.yaml) "
        "are not given in ro"
    )


# --- the shared words ------------------------------------------------------------------


def _words() -> dict:
    return yaml.safe_load(shared.WORDS_FILE.read_text(encoding="utf-8"))


def _broken_words(change) -> str:
    data = _words()
    change(data)
    with pytest.raises(WordsError) as caught:
        parse_words(data, source="words.yaml")
    return str(caught.value)


def test_the_shared_words_file_gives_every_shipped_language():
    assert set(load_words_file(shared.WORDS_FILE)) == set(SHIPPED)


def test_a_missing_shared_word_names_the_file_the_language_and_the_path():
    message = _broken_words(lambda d: d["ar"]["audiences"].pop("if-it-worries-us-family"))
    assert message == ("words.yaml: ar.audiences.if-it-worries-us-family: is missing (language ar)")
    message = _broken_words(lambda d: d["pl"]["options"]["agreement"].pop("dont-know"))
    assert message == "words.yaml: pl.options.agreement.dont-know: is missing (language pl)"
    message = _broken_words(lambda d: d["ro"].pop("rather_not_say"))
    assert message == "words.yaml: ro.rather_not_say: is missing (language ro)"


def test_shared_words_the_english_does_not_have_are_named():
    message = _broken_words(lambda d: d["ur"]["audiences"].update(everyone="?"))
    assert message == (
        "words.yaml: ur.audiences.everyone: is not in the English, so cannot be translated "
        "(language ur)"
    )


def test_the_english_shared_words_are_not_given_in_the_file():
    data = _words()
    data["en"] = copy.deepcopy(data["pl"])
    with pytest.raises(WordsError, match="words.yaml: en: the English words are in"):
        parse_words(data, source="words.yaml")
