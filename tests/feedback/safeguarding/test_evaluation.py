"""The detector measured on its evaluation set, and the measuring itself.

The evaluation set (`data/`) is messages written the way young people write, in
two parts split once at random: phrase work tunes against the development part
and never against the held-out part. The development figures are held at what
the phrase file reaches, so a change that loses a disclosure or adds a false
alarm fails here; the held-out floor was set once, below the first measurement
of the widened phrase file, and is not tuned.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from feedback.safeguarding.detector import load_phrases
from feedback.safeguarding.evaluation import (
    EvaluationFileError,
    EvaluationSet,
    Message,
    load_set,
    measure,
)

DATA = Path(__file__).with_name("data")
DEVELOPMENT = DATA / "detector-dev.yaml"
HELD_OUT = DATA / "detector-held-out.yaml"


@pytest.fixture(scope="module")
def book():
    return load_phrases()


# What the phrase file reaches on the development part (280 of 290 disclosures,
# 61 of 69 danger-now ones at danger-now, no false alarm in 275 everyday messages).
DEVELOPMENT_RECALL = 0.965
DEVELOPMENT_DANGER_NOW_AT_DANGER_NOW = 0.88
DEVELOPMENT_FALSE_POSITIVE_RATE = 0.0
# Set once, below the first measurement of the widened phrase file on the held-out
# part (recall 0.80, no false alarm in 114), and not tuned since.
HELD_OUT_RECALL_FLOOR = 0.75
HELD_OUT_FALSE_POSITIVE_CEILING = 0.02


def test_the_development_part_keeps_what_the_phrase_file_reaches(book):
    figures = measure(book, load_set(DEVELOPMENT))
    assert figures.recall >= DEVELOPMENT_RECALL, [m.text for m in figures.missed]
    assert figures.false_positive_rate <= DEVELOPMENT_FALSE_POSITIVE_RATE, figures.raised
    assert figures.danger_now.rate >= DEVELOPMENT_DANGER_NOW_AT_DANGER_NOW, [
        m.text for m in figures.understated
    ]


def test_the_held_out_part_stays_above_its_floor(book):
    figures = measure(book, load_set(HELD_OUT))
    # Totals only: which held-out messages are missed is not for reading.
    assert figures.recall >= HELD_OUT_RECALL_FLOOR, f"held-out recall {figures.recall:.2f}"
    assert figures.false_positive_rate <= HELD_OUT_FALSE_POSITIVE_CEILING, (
        f"held-out false-positive rate {figures.false_positive_rate:.2f}"
    )


# ---------------------------------------------------------------------------
# The evaluation set itself.


def test_the_two_parts_are_a_split_of_one_set():
    development, held_out = load_set(DEVELOPMENT), load_set(HELD_OUT)
    assert (development.part, held_out.part) == ("development", "held-out")
    dev_texts = {m.text for m in development.messages}
    held_texts = {m.text for m in held_out.messages}
    assert not dev_texts & held_texts
    everything = development.messages + held_out.messages
    assert sum(m.flag for m in everything) >= 300
    assert sum(not m.flag for m in everything) >= 300
    # The development part grows as phrases are written; the held-out part does not.
    assert sum(m.flag for m in held_out.messages) >= 100
    assert sum(not m.flag for m in held_out.messages) >= 100


def test_every_kind_is_in_both_parts():
    development, held_out = load_set(DEVELOPMENT), load_set(HELD_OUT)
    assert {m.kind for m in development.messages} == {m.kind for m in held_out.messages}
    kinds = {m.kind for m in held_out.messages if m.flag}
    assert {"image-abuse", "harm-at-home", "moved-or-kept", "passive-suicidal"} <= kinds


def _write(tmp_path: Path, messages: list) -> Path:
    path = tmp_path / "set.yaml"
    path.write_text(yaml.safe_dump({"part": "t", "messages": messages}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("messages", "expected"),
    [
        ([{"text": "x", "flag": "yes", "kind": "k"}], "message 1 ('x'): needs flag"),
        ([{"text": "", "flag": True, "kind": "k"}], "message 1: text should be"),
        (
            [{"text": "he hit me", "flag": True, "kind": "k", "category": "abuse"}],
            "a disclosure needs one of the categories and one of the levels",
        ),
        (
            [{"text": "ok", "flag": False, "kind": "k", "level": "worrying"}],
            "everyday feedback has no category or level",
        ),
        (
            [{"text": "ok", "flag": False, "kind": "k"}] * 2,
            "message 2 ('ok'): is already in the file",
        ),
    ],
)
def test_a_broken_evaluation_file_is_refused_with_the_message_named(tmp_path, messages, expected):
    with pytest.raises(EvaluationFileError) as caught:
        load_set(_write(tmp_path, messages))
    assert expected in str(caught.value)


def test_measure_counts_catches_misses_and_false_alarms(book):
    evaluation = EvaluationSet(
        "t",
        (
            Message("i want to kill myself", True, "a", "suicide-self-harm", "danger-now"),
            Message("i want to kill myself", True, "b", "abuse", "worrying"),
            Message("i ran away from home", True, "b", "missing-or-held", "danger-now"),
            Message("the sky is blue", True, "a", "abuse", "danger-now"),
            Message("my worker is sound", False, "e"),
            Message("help me", False, "e"),
        ),
    )
    figures = measure(book, evaluation)
    assert (figures.disclosures.hits, figures.disclosures.total) == (3, 4)
    assert (figures.false_alarms.hits, figures.false_alarms.total) == (1, 2)
    assert figures.n == 6
    assert figures.recall == pytest.approx(3 / 4)
    assert figures.false_positive_rate == pytest.approx(1 / 2)
    assert (figures.by_kind["a"].hits, figures.by_kind["a"].total) == (1, 2)
    assert (figures.by_kind["b"].hits, figures.by_kind["b"].total) == (2, 2)
    assert (figures.by_kind["e"].hits, figures.by_kind["e"].total) == (1, 2)
    assert (figures.right_category.hits, figures.right_category.total) == (2, 3)
    assert (figures.danger_now.hits, figures.danger_now.total) == (1, 3)
    assert [m.text for m in figures.missed] == ["the sky is blue"]
    assert [m.text for m in figures.understated] == ["i ran away from home"]
    assert [m.text for m, _ in figures.raised] == ["help me"]
