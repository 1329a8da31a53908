"""Questionnaire definitions: versioned files of questions, read into plain dataclasses.

A definition is data, not code: the app builds one page per question from it, and
`outcomes.scoring` scores the answers against the framework indicator each question names.
Files are read by pydantic models: a key the model does not know, a value of the wrong
type or a missing key is a `DefinitionError` that names the file and the entry's path.
What a question's answers are, and how they score, is its type's business
(`outcomes.question_types`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import Field, ValidationError, field_validator

from outcomes.question_types import (
    FREE_TEXT_LIMIT,
    NOT_ANSWERED_LABEL,
    NOT_SURE,
    RATHER_NOT_SAY,
    RATHER_NOT_SAY_LABEL,
    Audience,
    DefinitionError,
    Option,
    QuestionType,
    Strict,
    Text,
    _definition_error,
    _path,
    question_type,
)
from outcomes.question_types import QUESTION_TYPES as QUESTION_TYPES
from outcomes.words import (
    AUDIENCES,
    ENGLISH,
    TOLD_AFTER_IT_WORRIED,
    TOLD_IF_IT_WORRIES,
    WHO_MAY_GET_IN_TOUCH,
    LanguageCode,
    Words,
    english,
    mirror_problems,
    shared_words,
)

__all__ = [
    "AUDIENCES",
    "ENGLISH",
    "TOLD_AFTER_IT_WORRIED",
    "TOLD_IF_IT_WORRIES",
    "WHO_MAY_GET_IN_TOUCH",
    "FREE_TEXT_LIMIT",
    "KINDS",
    "NOT_SURE",
    "QUESTION_TYPES",
    "RATHER_NOT_SAY",
    "EXIT_KINDS",
    "DefinitionError",
    "Option",
    "Question",
    "Questionnaire",
    "get_questionnaire",
    "load_questionnaire_file",
    "parse_questionnaire",
]

DEFINITIONS = Path(__file__).parent / "definitions" / "questionnaires"

# Who reads each answer, and what a worrying answer leads to, in the words each language
# says them in: `outcomes.words`.
AUDIENCE_KINDS = get_args(Audience)
Kind = Literal["checkin", "exit-young-person", "exit-family", "service-feedback"]
KINDS = get_args(Kind)
# Asked when a case closes: their links work on a closed case, and only there.
EXIT_KINDS: tuple[str, ...] = ("exit-young-person", "exit-family")
# Answered by a parent or carer, not the young person.
FAMILY_KINDS: tuple[str, ...] = ("exit-family",)


@dataclass(frozen=True)
class Question:
    id: str
    kind: QuestionType
    text: str
    audience: Audience
    options: tuple[Option, ...] = ()
    hint: str | None = None
    indicator: str | None = None
    reverse: bool = False
    optional: bool = False
    max_length: int = FREE_TEXT_LIMIT
    # The words of the answers every question has, in the question's language.
    rather_not_say: str = RATHER_NOT_SAY_LABEL
    not_answered: str = NOT_ANSWERED_LABEL

    @property
    def audience_text(self) -> str:
        """Who reads the answer, in English (pages say `audience_text_for`)."""
        return AUDIENCES[self.audience]

    def audience_text_for(self, questionnaire: Questionnaire) -> str:
        """Everything the question says about who reads its answer, in the
        questionnaire's language."""
        audiences = questionnaire.words.audiences
        said = [audiences["anonymous"] if questionnaire.anonymous else audiences[self.audience]]
        if self.kind.is_free_text:
            if questionnaire.anonymous:
                said.append(audiences["if-it-worries-us-anonymous"])
            elif questionnaire.answered_by == "family":
                said.append(audiences["if-it-worries-us-family"])
            else:
                said.append(audiences["if-it-worries-us"])
        return " ".join(said)

    def shown_to_worker(self, questionnaire: Questionnaire) -> bool:
        """Whether the case page shows this answer to the young person's worker."""
        return self.audience == "worker" and not questionnaire.anonymous

    @property
    def scored_options(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if o.scored)

    @property
    def shown_options(self) -> tuple[Option, ...]:
        """The options in the order the page shows them."""
        return self.kind.shown_options(self)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def is_valid_answer(self, value: Any) -> bool:
        return self.kind.accepts(self, value)

    def answer_label(self, value: Any) -> str:
        """An answer in the words the young person chose it by."""
        return self.kind.label(self, value)


@dataclass(frozen=True)
class Questionnaire:
    code: str
    version: int
    kind: str
    title: str
    framework_code: str
    framework_version: int
    questions: tuple[Question, ...]
    intro: str = ""
    anonymous: bool = False
    source: str = ""
    # The language of its words, and every language it is offered in (English first).
    language: str = ENGLISH
    languages: tuple[str, ...] = (ENGLISH,)
    words: Words = field(default_factory=english, compare=False, repr=False)
    # Whether its words are an easy read's (`outcomes.easy_read`): short sentences, one
    # idea in each; the shared words it says in easy read too are chosen by this.
    easy_read: bool = False
    _index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    # The same questionnaire in each language it is offered in, shared by all of them.
    _in_languages: dict[str, Questionnaire] = field(default_factory=dict, compare=False, repr=False)

    def offers(self, language: str) -> bool:
        """Whether every word of it is given in `language`."""
        return language in self.languages

    def in_language(self, language: str) -> Questionnaire:
        """The same questionnaire in `language`: the same questions, options, indicators
        and scales, so answers score the same, with its words in that language. Raises
        KeyError for a language it is not offered in (ask `offers` first)."""
        if language == self.language:
            return self
        if not self.offers(language):
            raise KeyError(f"{self.code} v{self.version} is not offered in {language!r}")
        return self._in_languages[language]

    @property
    def is_exit(self) -> bool:
        return self.kind in EXIT_KINDS

    @property
    def answered_by(self) -> str:
        """ "family" (a parent or carer) or "young-person"."""
        return "family" if self.kind in FAMILY_KINDS else "young-person"

    @property
    def reaches_worker(self) -> bool:
        """Whether any answer goes to the young person's worker (what the welcome page
        may promise): never for anonymous feedback or an exit interview as defined."""
        return any(q.shown_to_worker(self) for q in self.questions)

    @property
    def told_if_it_worries(self) -> str:
        words = self.words
        said = words.easy_told_if_it_worries if self.easy_read else words.told_if_it_worries
        return said[self.answered_by]

    @property
    def told_after_it_worried(self) -> str:
        return self.words.told_after_it_worried[self.answered_by]

    @property
    def who_may_get_in_touch(self) -> str:
        return self.words.who_may_get_in_touch[self.answered_by]

    def question(self, question_id: str) -> Question | None:
        i = self._index.get(question_id)
        return None if i is None else self.questions[i]

    def position(self, question_id: str) -> int:
        """1-based position, for "Question 3 of 9"."""
        return self._index[question_id] + 1


# --- reading definition files ----------------------------------------------------------


class FrameworkRef(Strict):
    code: Text
    version: int


class QuestionTranslation(Strict):
    """A question's words in another language: its text, its hint if the English has one,
    and the label of each option it lists itself, by option id."""

    text: Text
    hint: Text | None = None
    options: dict[str, Text] | None = None


class QuestionnaireTranslation(Strict):
    """A questionnaire's words in another language, each question's by its id."""

    title: Text
    intro: Text | None = None
    questions: dict[str, QuestionTranslation]


class QuestionnaireSpec(Strict):
    """A questionnaire file. Questions are read by their own type's model.

    `languages` lists every language it is offered in, English first; `translations`
    gives, for each of the others, every word the English has (`QuestionnaireTranslation`).
    """

    code: Text
    version: int
    kind: Kind
    title: Text
    framework: FrameworkRef
    questions: list[dict[str, Any]] = Field(min_length=1)
    intro: str = ""
    anonymous: bool = False
    languages: list[LanguageCode] = Field(default_factory=lambda: [ENGLISH], min_length=1)
    translations: dict[LanguageCode, QuestionnaireTranslation] = Field(default_factory=dict)

    @field_validator("languages")
    @classmethod
    def _english_first(cls, languages: list[str]) -> list[str]:
        if languages[0] != ENGLISH:
            raise ValueError("English comes first: its words are the ones translated")
        if len(set(languages)) != len(languages):
            raise ValueError("a language is listed twice")
        return languages

    @field_validator("questions")
    @classmethod
    def _distinct_ids(cls, questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
        seen: set[Any] = set()
        for q in questions:
            if q.get("id") in seen:
                raise ValueError(f"duplicate question id {q['id']!r}")
            seen.add(q.get("id"))
        return questions


def _fail(source: str, where: str, message: str) -> DefinitionError:
    return DefinitionError(f"{source}: {where}: {message}")


def _read_question(raw: Any, i: int, source: str) -> Question:
    where = ("questions", i)
    kind_name = raw.get("type")
    try:
        kind = question_type(kind_name)
    except (KeyError, TypeError):
        names = ", ".join(QUESTION_TYPES)
        raise _fail(
            source, _path((*where, "type")), f"must be one of {names}, got {kind_name!r}"
        ) from None
    try:
        spec = kind.spec.model_validate(raw)
    except ValidationError as exc:
        raise _definition_error(exc, source, where) from None
    return Question(
        id=spec.id,
        kind=kind,
        text=spec.text.strip(),
        audience=spec.audience,
        hint=spec.hint,
        indicator=spec.indicator,
        reverse=spec.reverse,
        optional=spec.optional,
        **kind.definition_fields(spec),
    )


def _in_which_language(location: tuple[str | int, ...]) -> str:
    """What an error in a translation adds: the language it is in."""
    if len(location) > 1 and location[0] == "translations":
        return f" (language {location[1]})"
    return ""


def _english_words(questionnaire: Questionnaire) -> dict[str, Any]:
    """Every word of `questionnaire` a translation must give, by the path it gives it at."""
    questions: dict[str, Any] = {}
    for q in questionnaire.questions:
        entry: dict[str, Any] = {"text": q.text}
        if q.hint is not None:
            entry["hint"] = q.hint
        if q.options and not q.kind.fixed_options():
            entry["options"] = {o.id: o.label for o in q.options}
        questions[q.id] = entry
    words: dict[str, Any] = {"title": questionnaire.title}
    if questionnaire.intro:
        words["intro"] = questionnaire.intro
    words["questions"] = questions
    return words


def _translated(
    english_version: Questionnaire, translation: QuestionnaireTranslation, words: Words
) -> Questionnaire:
    """`english_version` with its words swapped for `translation`'s and `words`'."""

    def question(q: Question) -> Question:
        given = translation.questions[q.id]
        fixed = words.options.get(q.kind.name)
        if fixed is not None and q.kind.fixed_options():
            options = tuple(replace(o, label=fixed[o.id]) for o in q.options)
        else:
            labels = given.options or {}
            options = tuple(replace(o, label=labels[o.id]) for o in q.options)
        return replace(
            q,
            text=given.text.strip(),
            hint=None if given.hint is None else given.hint.strip(),
            options=options,
            rather_not_say=words.rather_not_say,
            not_answered=words.not_answered,
        )

    return replace(
        english_version,
        title=translation.title,
        intro=(translation.intro or "").strip(),
        questions=tuple(question(q) for q in english_version.questions),
        language=words.language,
        words=words,
    )


def _in_languages(
    english_version: Questionnaire,
    spec: QuestionnaireSpec,
    source: str,
    all_words: dict[str, Words],
) -> None:
    """Fill `english_version`'s languages with its translations, each checked to give
    exactly the words the English has. Raises DefinitionError naming the file, the
    language and the path of each string at fault."""
    offered = spec.languages
    problems = [
        f"translations.{code}: is not a language it is offered in (add {code} to languages)"
        for code in spec.translations
        if code not in offered
    ]
    if ENGLISH in spec.translations:
        problems.append("translations.en: the English words are the questions themselves")
    template = _english_words(english_version)
    for code in offered[1:]:
        if code not in spec.translations:
            problems.append(f"translations.{code}: is missing (it is offered in {code})")
            continue
        if code not in all_words:
            problems.append(
                f"languages: it is offered in {code}, but the shared words (words.yaml) "
                f"are not given in {code}"
            )
            continue
        given = spec.translations[code].model_dump(exclude_none=True)
        problems.extend(
            f"{p} (it is offered in {code})"
            for p in mirror_problems(given, template, f"translations.{code}")
        )
    if problems:
        raise DefinitionError(f"{source}: " + "; ".join(problems))
    english_version._in_languages[ENGLISH] = english_version
    for code in offered[1:]:
        version = _translated(english_version, spec.translations[code], all_words[code])
        # Every language's version shares the one table of them.
        object.__setattr__(version, "_in_languages", english_version._in_languages)
        english_version._in_languages[code] = version


def parse_questionnaire(
    data: Any, source: str = "<string>", *, words: dict[str, Words] | None = None
) -> Questionnaire:
    """A questionnaire from a file's contents, in English, with every language it is
    offered in (`in_language`); `words` are the shared words (by default, the file's)."""
    try:
        spec = QuestionnaireSpec.model_validate(data)
    except ValidationError as exc:
        raise _definition_error(exc, source, said=_in_which_language) from None
    questions = tuple(_read_question(raw, i, source) for i, raw in enumerate(spec.questions))
    if spec.anonymous and any(q.audience == "worker" for q in questions):
        raise _fail(
            source, "questions", "an anonymous questionnaire cannot share answers with a worker"
        )
    questionnaire = Questionnaire(
        code=spec.code,
        version=spec.version,
        kind=spec.kind,
        title=spec.title,
        framework_code=spec.framework.code,
        framework_version=spec.framework.version,
        questions=questions,
        intro=spec.intro.strip(),
        anonymous=spec.anonymous,
        source=source,
        languages=tuple(spec.languages),
        _index={q.id: i for i, q in enumerate(questions)},
    )
    if len(spec.languages) > 1 or spec.translations:
        _in_languages(questionnaire, spec, source, shared_words() if words is None else words)
    else:
        questionnaire._in_languages[ENGLISH] = questionnaire
    return questionnaire


def load_questionnaire_file(path: Path) -> Questionnaire:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise _fail(path.name, "file", f"not valid YAML: {exc}") from exc
    return parse_questionnaire(data, source=path.name)


@cache
def all_questionnaires() -> dict[tuple[str, int], Questionnaire]:
    found = {}
    for path in sorted(DEFINITIONS.glob("*.yaml")):
        q = load_questionnaire_file(path)
        key = (q.code, q.version)
        if key in found:
            raise _fail(path.name, "file", f"{q.code} version {q.version} is defined twice")
        found[key] = q
    return found


def get_questionnaire(code: str, version: int | None = None) -> Questionnaire:
    """The named version, or the newest one. Raises KeyError for an unknown code or version."""
    versions = {v: q for (c, v), q in all_questionnaires().items() if c == code}
    if not versions:
        raise KeyError(f"no questionnaire called {code!r}")
    if version is None:
        return versions[max(versions)]
    if version not in versions:
        raise KeyError(f"questionnaire {code!r} has no version {version}")
    return versions[version]
