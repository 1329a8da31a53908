"""How well the detector does on a set of labelled messages.

An evaluation file lists messages young people might write, each saying
whether the detector must flag it (a disclosure, with the kind of harm, the
category and the level it needs) or must not (everyday feedback). `measure`
scans them all with a phrase book and counts what was caught and what was
raised for nothing. The benchmark and the detector's tests share it, so a
figure means the same wherever it is printed or checked.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from feedback.safeguarding.detector import CATEGORIES, LEVELS, PhraseBook


class EvaluationFileError(ValueError):
    """The evaluation file cannot be used; the message names the message at fault."""


@dataclass(frozen=True)
class Message:
    text: str
    flag: bool
    kind: str
    category: str | None = None
    level: str | None = None


@dataclass(frozen=True)
class EvaluationSet:
    part: str
    messages: tuple[Message, ...]


@dataclass
class Tally:
    hits: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 0.0


@dataclass
class Figures:
    """What one phrase book did with one evaluation set."""

    part: str
    # Per kind: for disclosures, how many were caught; for everyday kinds,
    # how many raised a false alarm.
    by_kind: dict[str, Tally] = field(default_factory=dict)
    disclosures: Tally = field(default_factory=Tally)
    false_alarms: Tally = field(default_factory=Tally)
    # Of the disclosures caught, how many were put under the category expected.
    right_category: Tally = field(default_factory=Tally)
    # Of the danger-now disclosures, how many were caught at danger-now.
    danger_now: Tally = field(default_factory=Tally)
    missed: list[Message] = field(default_factory=list)
    # Danger-now disclosures caught only as worrying: they would wait hours, not minutes.
    understated: list[Message] = field(default_factory=list)
    raised: list[tuple[Message, tuple[str, ...]]] = field(default_factory=list)
    seconds_per_message: float = 0.0
    slowest_seconds: float = 0.0

    @property
    def n(self) -> int:
        return self.disclosures.total + self.false_alarms.total

    @property
    def recall(self) -> float:
        return self.disclosures.rate

    @property
    def false_positive_rate(self) -> float:
        return self.false_alarms.rate


def load_set(path: str | Path) -> EvaluationSet:
    path = Path(path)

    def fail(where: str, problem: str) -> EvaluationFileError:
        return EvaluationFileError(f"{path}: {where}: {problem}")

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise EvaluationFileError(f"{path}: cannot read the evaluation file: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("messages"), list):
        raise fail("the file", "should have 'part:' and a list of 'messages:'")
    messages: list[Message] = []
    seen: set[str] = set()
    for i, item in enumerate(data["messages"], 1):
        where = f"message {i}"
        if not isinstance(item, dict):
            raise fail(where, "should be {text: ..., flag: ..., kind: ...}")
        text, flag, kind = item.get("text"), item.get("flag"), item.get("kind")
        if not isinstance(text, str) or not text.strip():
            raise fail(where, "text should be some words in quotes")
        where += f" ({text!r})"
        if not isinstance(flag, bool) or not isinstance(kind, str):
            raise fail(where, "needs flag: true or false, and a kind")
        category, level = item.get("category"), item.get("level")
        if flag and (category not in CATEGORIES or level not in LEVELS):
            raise fail(where, "a disclosure needs one of the categories and one of the levels")
        if not flag and (category or level):
            raise fail(where, "everyday feedback has no category or level")
        if text in seen:
            raise fail(where, "is already in the file")
        seen.add(text)
        messages.append(Message(text, flag, kind, category, level))
    return EvaluationSet(str(data.get("part", path.stem)), tuple(messages))


def measure(book: PhraseBook, evaluation: EvaluationSet, *, repeat: int = 1) -> Figures:
    """Scan every message; time each as the best of `repeat` scans."""
    figures = Figures(evaluation.part)
    times: list[float] = []
    for message in evaluation.messages:
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            result = book.scan(message.text)
            best = min(best, time.perf_counter() - start)
        times.append(best)
        tally = figures.by_kind.setdefault(message.kind, Tally())
        tally.total += 1
        if message.flag:
            figures.disclosures.total += 1
            if message.level == "danger-now":
                figures.danger_now.total += 1
            if not result.flag:
                figures.missed.append(message)
                continue
            tally.hits += 1
            figures.disclosures.hits += 1
            figures.right_category.total += 1
            figures.right_category.hits += message.category in result.categories
            if message.level == "danger-now":
                if result.level == "danger-now":
                    figures.danger_now.hits += 1
                else:
                    figures.understated.append(message)
        else:
            figures.false_alarms.total += 1
            if result.flag:
                tally.hits += 1
                figures.false_alarms.hits += 1
                figures.raised.append((message, result.matched))
    if times:
        figures.seconds_per_message = sum(times) / len(times)
        figures.slowest_seconds = max(times)
    return figures


def kinds_in_order(sets: Sequence[EvaluationSet]) -> list[str]:
    """Disclosure kinds first, then everyday kinds, each as first written."""
    seen: dict[str, bool] = {}
    for evaluation in sets:
        for message in evaluation.messages:
            seen.setdefault(message.kind, message.flag)
    return [k for k, flag in seen.items() if flag] + [k for k, flag in seen.items() if not flag]
