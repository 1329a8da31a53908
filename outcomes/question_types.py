"""Question types: what each kind of question is made of, accepts, scores and shows.

Each type is an object registered under the name definition files give in ``type:``.
It owns its part of a definition (a pydantic model of the keys it allows), the answers
it accepts, how an answer scores, whether the answer is free text, and the words an
answer is shown in. Nothing else in `outcomes` or `feedback` asks which type a question
is; adding a type means writing one class here and one widget in the app.

Answer values, as stored and as scored:
- one choice (scale, yes-no, agreement, choose-one): the chosen option id (a string);
- choose-several: a list of option ids;
- free-text: the text;
- any question: ``RATHER_NOT_SAY``.

Scores. A type that scores maps the chosen option onto its place among the question's
scored options, worst first (``reverse`` flips the order); the caller gives the points of
the indicator's scale, and without them the places are spread evenly over 0-100.
Unscored options ("not sure", "don't know"), ``RATHER_NOT_SAY`` and anything that is not
an option score None.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import ErrorDetails

if TYPE_CHECKING:
    from outcomes.questionnaires import Question

RATHER_NOT_SAY = "rather-not-say"
RATHER_NOT_SAY_LABEL = "I\u2019d rather not say"
NOT_ANSWERED_LABEL = "Not answered"
NOT_SURE = "not-sure"
FREE_TEXT_LIMIT = 2000

Audience = Literal["worker", "service"]
Text = Annotated[str, StringConstraints(min_length=1)]


class DefinitionError(ValueError):
    """A definition file is not valid; the message names the file and the entry at fault."""


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
    said: Callable[[tuple[str | int, ...]], str] = lambda location: "",
) -> DefinitionError:
    """Every problem pydantic found, each as its YAML path and what is wrong there (and
    what `said` adds about that path)."""
    problems = []
    for e in exc.errors():
        location = prefix + tuple(e["loc"])
        problems.append(f"{_path(location) or 'file'}: {_problem(e)}{said(location)}")
    return error(f"{source}: " + "; ".join(problems))


class Strict(BaseModel):
    """A part of a definition file: unknown keys and wrongly typed values are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    # Unscored options (not sure, rather not say) are answers, but carry no score.
    scored: bool = True


class OptionSpec(Strict):
    id: Text
    label: Text
    scored: bool = True

    def option(self) -> Option:
        return Option(self.id, self.label, self.scored)


class QuestionSpec(Strict):
    """The keys every question has, whatever its type."""

    id: Text
    type: str
    text: Text
    audience: Audience
    hint: str | None = None
    indicator: str | None = None
    reverse: bool = False
    optional: bool = False

    def definition_fields(self) -> dict[str, Any]:
        """The fields of `Question`, beyond those every question has, that this gives."""
        return {}


def _options_fields(options: list[OptionSpec]) -> dict[str, Any]:
    return {"options": tuple(o.option() for o in options)}


class UnscoredSpec(QuestionSpec):
    """A question whose answers no indicator can score."""

    @field_validator("indicator")
    @classmethod
    def _not_scored(cls, indicator: str | None, info: ValidationInfo) -> str | None:
        if indicator is not None:
            raise ValueError(f"a {info.data.get('type')} question cannot be scored on an indicator")
        return indicator


def _distinct(options: list[OptionSpec]) -> list[OptionSpec]:
    seen: set[str] = set()
    for option in options:
        if option.id in seen or option.id == RATHER_NOT_SAY:
            raise ValueError(f"duplicate option id {option.id!r}")
        seen.add(option.id)
    return options


class ChoiceSpec(QuestionSpec):
    """A question that lists its own options, worst first."""

    options: list[OptionSpec] = Field(min_length=2)

    _distinct_ids = field_validator("options")(_distinct)

    def definition_fields(self) -> dict[str, Any]:
        return _options_fields(self.options)


class ScaleSpec(ChoiceSpec):
    @field_validator("options")
    @classmethod
    def _five_faces(cls, options: list[OptionSpec]) -> list[OptionSpec]:
        if len(options) != 5:
            raise ValueError("a scale question has exactly five options (the faces)")
        return options


class SeveralSpec(UnscoredSpec):
    options: list[OptionSpec] = Field(min_length=2)

    _distinct_ids = field_validator("options")(_distinct)

    def definition_fields(self) -> dict[str, Any]:
        return _options_fields(self.options)


class ChooseOneSpec(UnscoredSpec):
    options: list[OptionSpec] = Field(min_length=2)

    _distinct_ids = field_validator("options")(_distinct)

    def definition_fields(self) -> dict[str, Any]:
        return _options_fields(self.options)


class FreeTextSpec(UnscoredSpec):
    max_length: int = Field(FREE_TEXT_LIMIT, ge=1, le=FREE_TEXT_LIMIT)

    def definition_fields(self) -> dict[str, Any]:
        return {"max_length": self.max_length}


def even_points(n: int) -> tuple[float, ...]:
    """`n` points spread evenly from 0 to 100, worst first."""
    return tuple(100 * i / (n - 1) for i in range(n)) if n > 1 else (100.0,)


class QuestionType:
    """A type of question. Subclasses set `name` and `spec`, and say what answers are."""

    name: ClassVar[str]
    spec: ClassVar[type[QuestionSpec]] = QuestionSpec
    is_free_text: ClassVar[bool] = False

    def definition_fields(self, spec: QuestionSpec) -> dict[str, Any]:
        """The fields of `Question`, beyond those every question has, for a question of
        this type read by its `spec`: by default, what the spec itself gives."""
        return spec.definition_fields()

    def fixed_options(self) -> tuple[Option, ...]:
        """The options this type gives every question of it (in English), if it lists its
        own; their words in other languages are the shared words' (`outcomes.words`)."""
        return ()

    def accepts(self, question: Question, value: Any) -> bool:
        """Whether `value` is an answer to `question`; rather not say always is."""
        return value == RATHER_NOT_SAY or self.is_valid(question, value)

    def is_valid(self, question: Question, value: Any) -> bool:
        raise NotImplementedError

    def normalise(self, question: Question, value: Any) -> Any:
        """The answer as it is stored."""
        return value

    def scored_place(self, question: Question, value: Any) -> int | None:
        """The place of the answer among the scored options, worst first, or None."""
        return None

    def score(
        self, question: Question, value: Any, points: Sequence[float] | None = None
    ) -> float | None:
        """The answer's score on `points` (by default, 0-100 evenly), or None."""
        place = self.scored_place(question, value)
        if place is None:
            return None
        return (points or even_points(len(question.scored_options)))[place]

    def shown_options(self, question: Question) -> tuple[Option, ...]:
        """The options in the order a page shows them."""
        return question.options

    def labels(self, question: Question, value: Any) -> tuple[str, ...]:
        """Each part of an answer in the words it was chosen by."""
        values = value if isinstance(value, list) else [value]
        return tuple(self._label(question, v) for v in values)

    def label(self, question: Question, value: Any) -> str:
        """An answer in the words it was chosen by, in one line."""
        return ", ".join(self.labels(question, value))

    @staticmethod
    def _label(question: Question, value: Any) -> str:
        if value == RATHER_NOT_SAY:
            return question.rather_not_say
        option = question.option(str(value))
        return option.label if option else str(value)


class OneChoice(QuestionType):
    """One option from a list; scored by its place among the scored options."""

    def is_valid(self, question: Question, value: Any) -> bool:
        return isinstance(value, str) and question.option(value) is not None

    def scored_place(self, question: Question, value: Any) -> int | None:
        if not isinstance(value, str):
            return None
        scored = [o.id for o in question.scored_options]
        if value not in scored:
            return None
        place = scored.index(value)
        return len(scored) - 1 - place if question.reverse else place


class FixedChoice(OneChoice):
    """One choice from options the type itself lists, worst first."""

    options: ClassVar[tuple[Option, ...]]
    shown_order: ClassVar[tuple[str, ...]]

    def definition_fields(self, spec: QuestionSpec) -> dict[str, Any]:
        return {"options": self.options}

    def fixed_options(self) -> tuple[Option, ...]:
        return self.options

    def shown_options(self, question: Question) -> tuple[Option, ...]:
        by_id = {o.id: o for o in question.options}
        return tuple(by_id[i] for i in self.shown_order)


class Scale(OneChoice):
    """Five options shown as faces, from worst to best."""

    name = "scale"
    spec = ScaleSpec


class YesNo(FixedChoice):
    """Yes, no or not sure; "not sure" is not scored."""

    name = "yes-no"
    options = (Option("no", "No"), Option("yes", "Yes"), Option(NOT_SURE, "Not sure", False))
    shown_order = ("yes", "no", NOT_SURE)


class Agreement(FixedChoice):
    """How true a statement is; "don't know" is not scored."""

    name = "agreement"
    options = (
        Option("not-true", "Not true"),
        Option("partly-true", "Partly true"),
        Option("certainly-true", "Certainly true"),
        Option("dont-know", "Don\u2019t know", False),
    )
    shown_order = ("certainly-true", "partly-true", "not-true", "dont-know")


class ChooseSeveral(QuestionType):
    """Any number of options from a list; never scored. Rather not say, ticked on its
    own, is stored as for any other question."""

    name = "choose-several"
    spec = SeveralSpec

    def normalise(self, question: Question, value: Any) -> Any:
        return RATHER_NOT_SAY if value == [RATHER_NOT_SAY] else value

    def is_valid(self, question: Question, value: Any) -> bool:
        return (
            isinstance(value, list)
            and len(value) > 0
            and all(isinstance(v, str) and question.option(v) for v in value)
        )


class ChooseOne(OneChoice):
    """One option from a list the question gives, shown in its order; never scored (who
    a young person answered with, say, is a fact about the answers, not an outcome)."""

    name = "choose-one"
    spec = ChooseOneSpec

    def scored_place(self, question: Question, value: Any) -> int | None:
        return None


class FreeText(QuestionType):
    """Words, up to the question's `max_length`; never scored."""

    name = "free-text"
    spec = FreeTextSpec
    is_free_text = True

    def is_valid(self, question: Question, value: Any) -> bool:
        return isinstance(value, str) and len(value) <= question.max_length

    def normalise(self, question: Question, value: Any) -> Any:
        return (value or "").strip()

    def labels(self, question: Question, value: Any) -> tuple[str, ...]:
        if value == RATHER_NOT_SAY:
            return (question.rather_not_say,)
        return (str(value) if value else question.not_answered,)


QUESTION_TYPES: dict[str, QuestionType] = {}


def register(kind: QuestionType) -> QuestionType:
    """Make `kind` usable in definition files under its name."""
    QUESTION_TYPES[kind.name] = kind
    return kind


def unregister(name: str) -> None:
    QUESTION_TYPES.pop(name, None)


def question_type(name: str) -> QuestionType:
    """The registered type called `name`. Raises KeyError for an unknown name."""
    return QUESTION_TYPES[name]


for _kind in (Scale(), YesNo(), ChooseSeveral(), FreeText(), Agreement(), ChooseOne()):
    register(_kind)
