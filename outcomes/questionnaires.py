"""Questionnaire definitions: versioned files of questions, read into plain dataclasses.

A definition is data, not code: the app builds one page per question from it, and
`outcomes.scoring` scores the answers against the framework indicator each question names.

Answer values, as stored and as scored:
- scale and yes-no: the chosen option id (a string);
- choose-several: a list of option ids;
- free-text: the text;
- any question: ``RATHER_NOT_SAY``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml

DEFINITIONS = Path(__file__).parent / "definitions" / "questionnaires"

RATHER_NOT_SAY = "rather-not-say"
NOT_SURE = "not-sure"
QUESTION_TYPES = ("scale", "yes-no", "choose-several", "free-text")
# Who reads each answer, in the words the young person is shown beside it. This is the
# one place those words live, and each must be true: a "worker" answer is shown to the
# case's worker on the case page; a "service" answer never is, and reaches staff only
# counted with others (or, for words, quoted without a name if they agree); free text is
# also read for words that mean someone may not be safe, which a manager then reads.
AUDIENCE_KINDS = ("worker", "service")
AUDIENCES = {
    "worker": "Your worker will read this answer.",
    "service": "The service will read this answer without your name.",
    "anonymous": "The service will read this answer. Nobody will know it came from you.",
    # Added after the words above on free-text questions.
    "if-it-worries-us": "If it worries us, a manager will read it with your name.",
    "if-it-worries-us-anonymous": (
        "If it worries us, a manager will read it too, but they will not know it is from you."
    ),
}
KINDS = ("checkin", "exit-young-person", "exit-family", "service-feedback")
FREE_TEXT_LIMIT = 2000

QuestionType = Literal["scale", "yes-no", "choose-several", "free-text"]


class DefinitionError(ValueError):
    """A definition file is not valid; the message names the file and the entry at fault."""


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    # Unscored options (not sure, rather not say) are answers, but carry no score.
    scored: bool = True


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    text: str
    audience: Literal["worker", "service"]
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
        if self.type == "free-text":
            said.append(
                AUDIENCES["if-it-worries-us-anonymous" if questionnaire.anonymous
                          else "if-it-worries-us"]
            )
        return " ".join(said)

    def shown_to_worker(self, questionnaire: Questionnaire) -> bool:
        """Whether the case page shows this answer to the young person's worker."""
        return self.audience == "worker" and not questionnaire.anonymous

    @property
    def scored_options(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if o.scored)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def is_valid_answer(self, value: Any) -> bool:
        if value == RATHER_NOT_SAY:
            return True
        if self.type == "free-text":
            return isinstance(value, str) and len(value) <= self.max_length
        if self.type == "choose-several":
            return (
                isinstance(value, list)
                and len(value) > 0
                and all(isinstance(v, str) and self.option(v) for v in value)
            )
        return isinstance(value, str) and self.option(value) is not None


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

    def question(self, question_id: str) -> Question | None:
        i = self._index.get(question_id)
        return None if i is None else self.questions[i]

    def position(self, question_id: str) -> int:
        """1-based position, for "Question 3 of 9"."""
        return self._index[question_id] + 1


def _fail(source: str, where: str, message: str) -> DefinitionError:
    return DefinitionError(f"{source}: {where}: {message}")


def _yes_no_options() -> tuple[Option, ...]:
    # Listed worst-to-best for scoring ("no" before "yes"); pages show yes first.
    return (Option("no", "No"), Option("yes", "Yes"), Option(NOT_SURE, "Not sure", scored=False))


def _read_question(raw: Any, source: str, seen: set[str]) -> Question:
    if not isinstance(raw, dict) or not raw.get("id"):
        raise _fail(source, "questions", f"each question needs an id, got {raw!r}")
    qid = str(raw["id"])
    where = f"question {qid!r}"
    if qid in seen:
        raise _fail(source, where, "duplicate question id")
    seen.add(qid)
    qtype = raw.get("type")
    if qtype not in QUESTION_TYPES:
        raise _fail(source, where, f"type must be one of {', '.join(QUESTION_TYPES)}")
    audience = raw.get("audience")
    if audience not in AUDIENCE_KINDS:
        raise _fail(source, where, "audience must be 'worker' or 'service'")
    if not raw.get("text"):
        raise _fail(source, where, "text is missing")

    if qtype == "yes-no":
        options = _yes_no_options()
    elif qtype == "free-text":
        options = ()
    else:
        raw_options = raw.get("options") or []
        if len(raw_options) < 2:
            raise _fail(source, where, "needs at least two options")
        option_ids: set[str] = set()
        built = []
        for o in raw_options:
            if not isinstance(o, dict) or not o.get("id") or not o.get("label"):
                raise _fail(source, where, f"each option needs an id and a label, got {o!r}")
            if o["id"] in option_ids or o["id"] == RATHER_NOT_SAY:
                raise _fail(source, where, f"duplicate option id {o['id']!r}")
            option_ids.add(o["id"])
            built.append(Option(str(o["id"]), str(o["label"]), scored=bool(o.get("scored", True))))
        options = tuple(built)
    if qtype == "scale" and len(options) != 5:
        raise _fail(source, where, "a scale question has exactly five options (the faces)")

    indicator = raw.get("indicator")
    if indicator is not None and qtype in ("choose-several", "free-text"):
        raise _fail(source, where, f"a {qtype} question cannot be scored on an indicator")
    max_length = int(raw.get("max_length", FREE_TEXT_LIMIT))
    if not 1 <= max_length <= FREE_TEXT_LIMIT:
        raise _fail(source, where, f"max_length must be between 1 and {FREE_TEXT_LIMIT}")
    return Question(
        id=qid,
        type=qtype,
        text=str(raw["text"]).strip(),
        audience=audience,
        options=options,
        hint=raw.get("hint"),
        indicator=indicator,
        reverse=bool(raw.get("reverse", False)),
        optional=bool(raw.get("optional", False)),
        max_length=max_length,
    )


def parse_questionnaire(data: Any, source: str = "<string>") -> Questionnaire:
    if not isinstance(data, dict):
        raise _fail(source, "file", "expected a mapping at the top level")
    for key in ("code", "version", "kind", "title", "framework", "questions"):
        if key not in data:
            raise _fail(source, "file", f"{key} is missing")
    if data["kind"] not in KINDS:
        raise _fail(source, "kind", f"must be one of {', '.join(KINDS)}")
    framework = data["framework"]
    if not isinstance(framework, dict) or "code" not in framework or "version" not in framework:
        raise _fail(source, "framework", "needs a code and a version")
    seen: set[str] = set()
    questions = tuple(_read_question(q, source, seen) for q in data["questions"] or [])
    if not questions:
        raise _fail(source, "questions", "a questionnaire needs at least one question")
    if data.get("anonymous") and any(q.audience == "worker" for q in questions):
        raise _fail(
            source, "questions", "an anonymous questionnaire cannot share answers with a worker"
        )
    return Questionnaire(
        code=str(data["code"]),
        version=int(data["version"]),
        kind=str(data["kind"]),
        title=str(data["title"]),
        framework_code=str(framework["code"]),
        framework_version=int(framework["version"]),
        questions=questions,
        intro=str(data.get("intro", "")).strip(),
        anonymous=bool(data.get("anonymous", False)),
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
