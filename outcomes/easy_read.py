"""Easy read: a questionnaire in short sentences, with a picture for each question and
each answer.

An easy-read file (`definitions/easy-read/<file of the questionnaire>`) is an overlay on
one questionnaire: for every question it gives the easy words (and hint) and the name of
a picture of its subject, and for every option an easy label and a picture. It gives
nothing else. The easy-read questionnaire is the standard one with those words and
pictures put in: the same ids, order, types, indicators, scale points and audiences, so
an answer given in easy read is stored, scored and shown to staff exactly as the same
answer given in the standard words.

Words are given per language (`text: {en: ...}`) for the languages the file lists; a
file must give every string in each of them, and its questionnaire must be offered in
each (an easy read shares its standard words of who reads each answer and "I'd rather
not say", in the same language). The file is read by strict pydantic models
and checked against its questionnaire: a question or option it leaves out, one its
questionnaire does not have, a missing language or an unknown picture is a
`DefinitionError` naming the file and the entry's path, raised when the app starts.

Pictures are named here (`PICTURES`, with what each shows); the app draws each one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import AfterValidator, Field, StringConstraints, ValidationError

from outcomes.question_types import Option, Strict, _path, _problem
from outcomes.questionnaires import (
    DefinitionError,
    Question,
    Questionnaire,
    all_questionnaires,
    get_questionnaire,
)

DEFINITIONS = Path(__file__).parent / "definitions" / "easy-read"

# Every picture a file may name, and what it shows. Decoration beside words that carry
# the meaning on their own: a page hides them from screen readers.
PICTURES: dict[str, str] = {
    # Scale points, worst first: faces from very sad to very happy.
    "face-1": "a very sad face",
    "face-2": "a sad face",
    "face-3": "a face with a straight mouth",
    "face-4": "a smiling face",
    "face-5": "a face with a big open smile",
    "tick": "a tick (yes, true)",
    "cross": "a cross (no, not true)",
    "question-mark": "a question mark (not sure, do not know)",
    "partly": "a circle half filled in (a bit true)",
    # Subjects of questions, and other answers.
    "safety": "a shield with a tick",
    "trusted-adult": "a tall person and a small person",
    "listened-to": "an ear",
    "school": "an open book",
    "feelings": "a heart",
    "home": "a house",
    "missing": "a map pin with a question mark",
    "future": "a path to a flag",
    "help": "a life ring",
    "talk": "a speech bubble",
    "thumbs-up": "a thumb up",
    "phone": "a mobile phone",
    "better": "an arrow going up",
    "friends": "two people side by side",
    "family": "two adults and a child",
    "star": "a star",
    "pencil": "a pencil",
    "people": "three people",
    "person": "one person",
    "worker": "a person with a name badge",
    "ball": "a football",
    "money": "a coin with a pound sign",
    "nothing": "an empty box",
}


class EasyReadError(DefinitionError):
    """An easy-read file is not valid; the message names the file and the entry at fault."""


def _known_picture(name: str) -> str:
    if name not in PICTURES:
        raise ValueError(
            f"there is no picture called {name!r} (see PICTURES in outcomes/easy_read.py)"
        )
    return name


Picture = Annotated[str, AfterValidator(_known_picture)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]
Text = Annotated[str, StringConstraints(min_length=1)]
# A string in each language the file lists.
Words = dict[LanguageCode, Text]


class BaseRef(Strict):
    code: Text
    version: int


class OptionSpec(Strict):
    picture: Picture
    label: Words


class QuestionSpec(Strict):
    picture: Picture
    text: Words
    hint: Words | None = None
    options: dict[str, OptionSpec] = Field(default_factory=dict)


class EasyReadSpec(Strict):
    base: BaseRef
    languages: list[LanguageCode] = Field(min_length=1)
    intro: Words
    questions: dict[str, QuestionSpec] = Field(min_length=1)


@dataclass(frozen=True)
class PicturedOption(Option):
    """An option in easy words, with its picture."""

    picture: str = ""


@dataclass(frozen=True)
class PicturedQuestion(Question):
    """A question in easy words, with a picture of its subject."""

    picture: str = ""


@dataclass(frozen=True)
class EasyRead:
    """The easy-read words and pictures of one questionnaire, in the languages listed."""

    base: Questionnaire
    languages: tuple[str, ...]
    spec: EasyReadSpec
    source: str
    # Each relabelling made once: by language and the questionnaire relabelled (kept with
    # it, so that its id is not reused while the entry stands).
    _made: dict[tuple[str, int], tuple[Questionnaire, Questionnaire]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def questionnaire(self, language: str, over: Questionnaire | None = None) -> Questionnaire:
        """The questionnaire in easy words in `language` (one of `languages`), with its
        pictures: the questions, answers and scoring of `over` (by default the base; the
        same code and version, as another language may give it), relabelled. The same
        object each time for the same `over`, as a page asks for it on every request."""
        if language not in self.languages:
            raise KeyError(f"{self.source} has no easy read in {language!r}")
        base = self.base if over is None else over
        if (base.code, base.version) != (self.base.code, self.base.version):
            raise ValueError(f"{self.source} is not an easy read of {base.code} {base.version}")
        made = self._made.get((language, id(base)))
        if made is not None and made[0] is base:
            return made[1]
        questions = tuple(self._question(q, language) for q in base.questions)
        easy = dataclasses.replace(
            base,
            questions=questions,
            intro=self.spec.intro[language].strip(),
            source=self.source,
            easy_read=True,
        )
        self._made[(language, id(base))] = (base, easy)
        return easy

    def _question(self, question: Question, language: str) -> PicturedQuestion:
        spec = self.spec.questions[question.id]
        options = tuple(
            PicturedOption(
                id=o.id,
                label=spec.options[o.id].label[language].strip(),
                scored=o.scored,
                picture=spec.options[o.id].picture,
            )
            for o in question.options
        )
        fields = {f.name: getattr(question, f.name) for f in dataclasses.fields(question)}
        fields.update(
            text=spec.text[language].strip(),
            hint=spec.hint[language].strip() if spec.hint else None,
            options=options,
            picture=spec.picture,
        )
        return PicturedQuestion(**fields)


# --- reading easy-read files ----------------------------------------------------------


def _fail(source: str, problems: list[str]) -> EasyReadError:
    return EasyReadError(f"{source}: " + "; ".join(problems))


def _coverage(spec: EasyReadSpec, base: Questionnaire) -> list[str]:
    """What the file leaves out of its questionnaire, or adds to it, as paths."""
    problems: list[str] = []
    languages = set(spec.languages)
    if len(languages) != len(spec.languages):
        problems.append("languages: a language is listed twice")

    def words(where: tuple[str, ...], given: Mapping[str, str]) -> None:
        for language in spec.languages:
            if language not in given:
                problems.append(f"{_path((*where, language))}: is missing")
        for language in given:
            if language not in languages:
                problems.append(f"{_path((*where, language))}: is not one of the languages listed")

    for language in spec.languages:
        if not base.offers(language):
            problems.append(
                f"languages: {base.code} version {base.version} is not offered in "
                f"{language!r}, so its easy read cannot be (add its translation first)"
            )
    words(("intro",), spec.intro)
    ids = [q.id for q in base.questions]
    for question_id in ids:
        if question_id not in spec.questions:
            problems.append(f"{_path(('questions', question_id))}: is missing")
    for question_id in spec.questions:
        if question_id not in ids:
            problems.append(
                f"{_path(('questions', question_id))}: is not a question of "
                f"{base.code} version {base.version}"
            )
    for question in base.questions:
        overlay = spec.questions.get(question.id)
        if overlay is None:
            continue
        where = ("questions", question.id)
        words((*where, "text"), overlay.text)
        if overlay.hint is not None:
            words((*where, "hint"), overlay.hint)
        elif question.hint:
            problems.append(f"{_path((*where, 'hint'))}: is missing (the standard words have one)")
        option_ids = [o.id for o in question.options]
        for option_id in option_ids:
            if option_id not in overlay.options:
                problems.append(f"{_path((*where, 'options', option_id))}: is missing")
        for option_id, option in overlay.options.items():
            if option_id not in option_ids:
                problems.append(
                    f"{_path((*where, 'options', option_id))}: is not an option of this question"
                )
            else:
                words((*where, "options", option_id, "label"), option.label)
    return problems


def parse_easy_read(
    data: Any,
    source: str = "<string>",
    *,
    find_base: Callable[[str, int], Questionnaire] = get_questionnaire,
) -> EasyRead:
    """Read an easy-read file's data and check it against its questionnaire."""
    try:
        spec = EasyReadSpec.model_validate(data)
    except ValidationError as exc:
        raise _fail(
            source, [f"{_path(tuple(e['loc'])) or 'file'}: {_problem(e)}" for e in exc.errors()]
        ) from None
    try:
        base = find_base(spec.base.code, spec.base.version)
    except KeyError:
        raise _fail(
            source,
            [f"base: there is no questionnaire {spec.base.code} version {spec.base.version}"],
        ) from None
    problems = _coverage(spec, base)
    if problems:
        raise _fail(source, problems)
    return EasyRead(base=base, languages=tuple(spec.languages), spec=spec, source=source)


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML that refuses a key given twice in one mapping (PyYAML keeps the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def load_easy_read_file(
    path: Path, *, find_base: Callable[[str, int], Questionnaire] = get_questionnaire
) -> EasyRead:
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506  # nosec B506  # a SafeLoader
    except yaml.YAMLError as exc:
        raise _fail(path.name, [f"file: not valid YAML: {exc}"]) from exc
    return parse_easy_read(data, source=f"easy-read/{path.name}", find_base=find_base)


@cache
def all_easy_read() -> dict[tuple[str, int], EasyRead]:
    """Every easy-read file, by its questionnaire's code and version; raises
    `EasyReadError` for the first file that is not valid."""
    found: dict[tuple[str, int], EasyRead] = {}
    known = all_questionnaires()
    for path in sorted(DEFINITIONS.glob("*.yaml")):
        easy = load_easy_read_file(path)
        key = (easy.base.code, easy.base.version)
        if key in found:
            raise _fail(easy.source, [f"base: {key[0]} version {key[1]} has an easy read already"])
        assert key in known
        found[key] = easy
    return found


def easy_read_of(questionnaire: Questionnaire, language: str) -> Questionnaire | None:
    """`questionnaire` in easy read in `language`, or None where it has none. The words
    every questionnaire shares (who reads each answer, "I'd rather not say") are its
    standard ones in the same language, whichever language's version is passed."""
    easy = all_easy_read().get((questionnaire.code, questionnaire.version))
    if easy is None or language not in easy.languages:
        return None
    # Offered in `language`: the loader refuses an easy read in a language it is not.
    return easy.questionnaire(language, over=questionnaire.in_language(language))


def has_easy_read(questionnaire: Questionnaire, language: str) -> bool:
    easy = all_easy_read().get((questionnaire.code, questionnaire.version))
    return easy is not None and language in easy.languages
