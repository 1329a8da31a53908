"""Questionnaire definitions: versioned files of questions, read into plain dataclasses.

A definition is data, not code: the app builds one page per question from it, and
`outcomes.scoring` scores the answers against the framework indicator each question names.
Files are read by pydantic models: a key the model does not know, a value of the wrong
type or a missing key is a `DefinitionError` that names the file and the entry's path.
What a question's answers are, and how they score, is its type's business
(`outcomes.question_types`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, get_args

import yaml
from pydantic import Field, ValidationError, field_validator
from pydantic_core import ErrorDetails

from outcomes.question_types import (
    FREE_TEXT_LIMIT,
    NOT_SURE,
    RATHER_NOT_SAY,
    Audience,
    Option,
    QuestionType,
    Strict,
    Text,
    question_type,
)
from outcomes.question_types import QUESTION_TYPES as QUESTION_TYPES

__all__ = [
    "AUDIENCES",
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

# Who reads each answer, in the words the young person is shown beside it. This is the
# one place those words live, and each must be true: a "worker" answer is shown to the
# case's worker on the case page; a "service" answer never is, and reaches staff only
# counted with others (or, for words, quoted without a name if they agree); free text is
# also read for words that mean someone may not be safe, which a manager then reads.
AUDIENCE_KINDS = get_args(Audience)
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
Kind = Literal["checkin", "exit-young-person", "exit-family", "service-feedback"]
KINDS = get_args(Kind)
# Asked when a case closes: their links work on a closed case, and only there.
EXIT_KINDS: tuple[str, ...] = ("exit-young-person", "exit-family")
# Answered by a parent or carer, not the young person.
FAMILY_KINDS: tuple[str, ...] = ("exit-family",)


class DefinitionError(ValueError):
    """A definition file is not valid; the message names the file and the entry at fault."""


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

    @property
    def audience_text(self) -> str:
        return AUDIENCES[self.audience]

    def audience_text_for(self, questionnaire: Questionnaire) -> str:
        """Everything the question says about who reads its answer."""
        said = [AUDIENCES["anonymous"] if questionnaire.anonymous else self.audience_text]
        if self.kind.is_free_text:
            if questionnaire.anonymous:
                said.append(AUDIENCES["if-it-worries-us-anonymous"])
            elif questionnaire.answered_by == "family":
                said.append(AUDIENCES["if-it-worries-us-family"])
            else:
                said.append(AUDIENCES["if-it-worries-us"])
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
    _index: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_exit(self) -> bool:
        return self.kind in EXIT_KINDS

    @property
    def answered_by(self) -> str:
        """ "family" (a parent or carer) or "young-person"."""
        return "family" if self.kind in FAMILY_KINDS else "young-person"

    @property
    def told_if_it_worries(self) -> str:
        return TOLD_IF_IT_WORRIES[self.answered_by]

    @property
    def told_after_it_worried(self) -> str:
        return TOLD_AFTER_IT_WORRIED[self.answered_by]

    @property
    def who_may_get_in_touch(self) -> str:
        return WHO_MAY_GET_IN_TOUCH[self.answered_by]

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


class QuestionnaireSpec(Strict):
    """A questionnaire file. Questions are read by their own type's model."""

    code: Text
    version: int
    kind: Kind
    title: Text
    framework: FrameworkRef
    questions: list[dict[str, Any]] = Field(min_length=1)
    intro: str = ""
    anonymous: bool = False

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


def _path(location: tuple[str | int, ...]) -> str:
    """A YAML path such as ``questions[3].options[1].label``."""
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path


def _problem(error: ErrorDetails) -> str:
    if error["type"] == "missing":
        return "is missing"
    if error["type"] == "extra_forbidden":
        return "is not a key this entry can have"
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    return f"{error['msg']}, got {error['input']!r}"


def _definition_error(
    exc: ValidationError,
    source: str,
    prefix: tuple[str | int, ...] = (),
    *,
    error: type[DefinitionError] = DefinitionError,
) -> DefinitionError:
    """Every problem pydantic found, each as its YAML path and what is wrong there."""
    problems = [f"{_path(prefix + tuple(e['loc'])) or 'file'}: {_problem(e)}" for e in exc.errors()]
    return error(f"{source}: " + "; ".join(problems))


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


def parse_questionnaire(data: Any, source: str = "<string>") -> Questionnaire:
    try:
        spec = QuestionnaireSpec.model_validate(data)
    except ValidationError as exc:
        raise _definition_error(exc, source) from None
    questions = tuple(_read_question(raw, i, source) for i, raw in enumerate(spec.questions))
    if spec.anonymous and any(q.audience == "worker" for q in questions):
        raise _fail(
            source, "questions", "an anonymous questionnaire cannot share answers with a worker"
        )
    return Questionnaire(
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
        _index={q.id: i for i, q in enumerate(questions)},
    )


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
