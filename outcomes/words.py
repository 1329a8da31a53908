"""The words every questionnaire shares, in each language a questionnaire is offered in.

Who reads each answer, what happens if an answer worries us, "I'd rather not say", and
the options of the types that list their own (yes-no, agreement). English is written
here and in `outcomes.question_types`; every other language is in
`definitions/words.yaml`, read by strict pydantic models and checked against the English:
a language there must give every string the English has, and nothing else, or loading
fails naming the file, the language and the string's path.

A language code is a short lowercase ISO 639 code (``ur``, ``pl``). Which languages the
app ships is the app's business; here a language is any code a definition gives.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, ValidationError

from outcomes.question_types import (
    NOT_ANSWERED_LABEL,
    QUESTION_TYPES,
    RATHER_NOT_SAY_LABEL,
    DefinitionError,
    Strict,
    Text,
    _path,
    _problem,
)

WORDS_FILE = Path(__file__).parent / "definitions" / "words.yaml"
ENGLISH = "en"

# Who reads each answer, in the words the young person is shown beside it. This is the
# one place those words live, and each must be true: a "worker" answer is shown to the
# case's worker on the case page; a "service" answer never is, and reaches staff only
# counted with others (or, for words, quoted without a name if they agree); free text is
# also read for words that mean someone may not be safe, which a manager then reads.
AUDIENCES = {
    "worker": "Your worker will read this answer.",
    "service": "The service will read this answer without your name.",
    "anonymous": "The service will read this answer. Nobody will know it came from you.",
    # Added after the words above on free-text questions.
    "if-it-worries-us": "If it worries us, a manager will read it with your name.",
    "if-it-worries-us-anonymous": (
        "If it worries us, a manager will read it too, but they will not know it is from you."
    ),
    # A parent's or carer's answers are kept with their child's case: a manager who reads
    # a worrying one sees the child's case, not the parent's name.
    "if-it-worries-us-family": (
        "If it worries us, a manager will read it and will know it came from your family."
    ),
}
# What the welcome page promises, and the page after a worrying answer says was done, by
# who answers (anonymous questionnaires say neither: nobody can be told who they are).
TOLD_IF_IT_WORRIES = {
    "young-person": "A manager and your worker will be told, with your name.",
    "family": (
        "A manager and your child's worker will be told, and will know it came from your family."
    ),
}
# The same promise in easy read (short sentences, one idea in each), said by the welcome
# page of a questionnaire in easy read (`outcomes.easy_read`).
EASY_TOLD_IF_IT_WORRIES = {
    "young-person": "We will tell a manager and your worker. We will tell them your name.",
    "family": (
        "We will tell a manager and your child's worker. They will know it came from your family."
    ),
}
TOLD_AFTER_IT_WORRIED = {
    "young-person": "We have told a manager and your worker, with your name.",
    "family": (
        "We have told a manager and your child's worker, and they know it came from your family."
    ),
}
WHO_MAY_GET_IN_TOUCH = {
    "young-person": "Your worker may get in touch with you.",
    "family": "Your child's worker may get in touch with you.",
}

_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def _language_code(code: str) -> str:
    if not _LANGUAGE.match(code):
        raise ValueError(f"a language is a short lowercase code like 'pl', got {code!r}")
    return code


LanguageCode = Annotated[str, AfterValidator(_language_code)]


class WordsError(DefinitionError):
    """The shared words are not valid; the message names the file, language and string."""


@dataclass(frozen=True)
class Words:
    """The shared words in one language."""

    language: str
    audiences: Mapping[str, str]
    told_if_it_worries: Mapping[str, str]
    easy_told_if_it_worries: Mapping[str, str]
    told_after_it_worried: Mapping[str, str]
    who_may_get_in_touch: Mapping[str, str]
    rather_not_say: str
    not_answered: str
    # The options of each type that lists its own: type name -> option id -> label.
    options: Mapping[str, Mapping[str, str]]


def _fixed_options() -> dict[str, dict[str, str]]:
    """The English options of each registered type that lists its own."""
    found = {}
    for name, kind in QUESTION_TYPES.items():
        options = kind.fixed_options()
        if options:
            found[name] = {o.id: o.label for o in options}
    return found


def english() -> Words:
    return Words(
        language=ENGLISH,
        audiences=AUDIENCES,
        told_if_it_worries=TOLD_IF_IT_WORRIES,
        easy_told_if_it_worries=EASY_TOLD_IF_IT_WORRIES,
        told_after_it_worried=TOLD_AFTER_IT_WORRIED,
        who_may_get_in_touch=WHO_MAY_GET_IN_TOUCH,
        rather_not_say=RATHER_NOT_SAY_LABEL,
        not_answered=NOT_ANSWERED_LABEL,
        options=_fixed_options(),
    )


class WordsSpec(Strict):
    """One language's entry in the words file."""

    audiences: dict[str, Text]
    told_if_it_worries: dict[str, Text]
    easy_told_if_it_worries: dict[str, Text]
    told_after_it_worried: dict[str, Text]
    who_may_get_in_touch: dict[str, Text]
    rather_not_say: Text
    not_answered: Text
    options: dict[str, dict[str, Text]]


def skeleton(words: Words) -> dict[str, Any]:
    """The words as the file gives them, to check a language against."""
    return {
        "audiences": dict(words.audiences),
        "told_if_it_worries": dict(words.told_if_it_worries),
        "easy_told_if_it_worries": dict(words.easy_told_if_it_worries),
        "told_after_it_worried": dict(words.told_after_it_worried),
        "who_may_get_in_touch": dict(words.who_may_get_in_touch),
        "rather_not_say": words.rather_not_say,
        "not_answered": words.not_answered,
        "options": {name: dict(labels) for name, labels in words.options.items()},
    }


def mirror_problems(given: Any, english: Any, path: str) -> list[str]:
    """Where `given` does not give exactly the strings `english` has, each as
    ``path: problem``. Both are nested dicts whose leaves are strings."""
    if isinstance(english, dict):
        if not isinstance(given, dict):
            return [f"{path}: should list {', '.join(english)}"]
        problems = []
        for key, value in english.items():
            if key not in given:
                problems.append(f"{path}.{key}: is missing")
            else:
                problems.extend(mirror_problems(given[key], value, f"{path}.{key}"))
        problems.extend(
            f"{path}.{key}: is not in the English, so cannot be translated"
            for key in given
            if key not in english
        )
        return problems
    if not isinstance(given, str) or not given.strip():
        return [f"{path}: should be words, got {given!r}"]
    return []


def parse_words(data: Any, source: str = "<string>") -> dict[str, Words]:
    """Every language's shared words, English included, from a words file's contents."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise WordsError(f"{source}: file: should map each language code to its words")
    found = {ENGLISH: english()}
    template = skeleton(found[ENGLISH])
    problems: list[str] = []
    for code, raw in data.items():
        try:
            _language_code(str(code))
        except ValueError as exc:
            problems.append(f"{code}: {exc}")
            continue
        if code == ENGLISH:
            problems.append(f"{code}: the English words are in outcomes/words.py, not here")
            continue
        try:
            spec = WordsSpec.model_validate(raw)
        except ValidationError as exc:
            problems.extend(
                f"{_path((code, *e['loc']))}: {_problem(e)} (language {code})" for e in exc.errors()
            )
            continue
        mismatch = mirror_problems(spec.model_dump(), template, code)
        if mismatch:
            problems.extend(f"{p} (language {code})" for p in mismatch)
            continue
        found[code] = Words(language=code, **spec.model_dump())
    if problems:
        raise WordsError(f"{source}: " + "; ".join(problems))
    return found


def load_words_file(path: Path) -> dict[str, Words]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise WordsError(f"{path.name}: file: not valid YAML: {exc}") from exc
    return parse_words(data, source=path.name)


@cache
def shared_words() -> dict[str, Words]:
    """The shared words of every language in the words file, and English."""
    return load_words_file(WORDS_FILE)
