from collections import Counter
from pathlib import Path

import pytest

from outcomes.text import TextDataError
from outcomes.text.corpus import (
    LABELS,
    LabelledComment,
    load_held_out,
    load_training,
    read_corpus,
)

TRAINING = load_training()
HELD_OUT = load_held_out()


def _key(text: str) -> str:
    return " ".join(text.lower().split())


def test_the_corpus_is_big_enough_to_learn_from_and_to_measure_on():
    assert len(TRAINING) + len(HELD_OUT) >= 400
    # A fifth was held out at the split; training has grown since, the exam has not.
    assert len(HELD_OUT) >= 100
    assert len(HELD_OUT) >= len(TRAINING) / 10


@pytest.mark.parametrize("part", [TRAINING, HELD_OUT], ids=["training", "held-out"])
def test_each_part_has_every_label_in_proportion(part):
    counts = Counter(c.sentiment for c in part)
    assert set(counts) == set(LABELS)
    # Every label has at least a tenth of the comments, so a classifier cannot score
    # well by never saying "mixed" or "neutral".
    assert min(counts.values()) >= len(part) / 10


def test_no_comment_is_in_both_parts():
    assert not {_key(c.text) for c in TRAINING} & {_key(c.text) for c in HELD_OUT}


def test_a_theme_that_carries_a_feeling_sits_in_a_comment_that_does():
    # A comment labelled neutral overall cannot be glad or cross about one of its themes.
    for comment in TRAINING + HELD_OUT:
        if comment.sentiment == "neutral":
            assert {s for _, s in comment.themes} <= {"neutral"}, comment.text


def test_a_mixed_comment_is_good_about_one_thing_and_bad_about_another():
    for comment in TRAINING + HELD_OUT:
        if comment.sentiment == "mixed" and comment.themes:
            assert {"positive", "negative"} <= {s for _, s in comment.themes}, comment.text


# --- Validating a corpus file --------------------------------------------------------


def _corpus_file(tmp_path, body: str) -> Path:
    path = tmp_path / "corpus_under_test.yaml"
    path.write_text("comments:" + body, encoding="utf-8")
    return path


def test_a_valid_file_loads(tmp_path):
    path = _corpus_file(
        tmp_path,
        """
  - text: the youth worker was great but court was a nightmare
    sentiment: mixed
    themes: {trust-in-worker: positive, police: negative}
  - text: idk
    sentiment: neutral
""",
    )
    assert read_corpus(path) == (
        LabelledComment(
            "the youth worker was great but court was a nightmare",
            "mixed",
            (("trust-in-worker", "positive"), ("police", "negative")),
        ),
        LabelledComment("idk", "neutral"),
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("\n  - text: ok\n    sentiment: happy\n", r"comment 1 \('ok'\): 'sentiment' must be"),
        ("\n  - text: ''\n    sentiment: neutral\n", r"comment 1: 'text' must be a non-empty"),
        (
            "\n  - text: ok\n    sentiment: neutral\n    themes: {polis: neutral}\n",
            r"comment 1 \('ok'\): unknown theme 'polis'",
        ),
        (
            "\n  - text: ok\n    sentiment: neutral\n    themes: {police: mixed}\n",
            r"theme 'police' must be positive, negative, neutral, not 'mixed'",
        ),
        (
            "\n  - text: ok\n    sentiment: neutral\n    themes: [police]\n",
            r"'themes' must map theme codes to sentiments",
        ),
        (
            "\n  - text: ok\n    sentiment: neutral\n    label: neutral\n",
            r"unknown key\(s\) label",
        ),
        (
            "\n  - text: OK\n    sentiment: neutral\n  - text: ok \n    sentiment: neutral\n",
            r"comment 2: the same text as comment 1",
        ),
        ("\n  - just a string\n", r"comment 1: expected a mapping"),
        (" []", r"expected a non-empty 'comments:' list"),
    ],
)
def test_a_bad_file_is_rejected_naming_the_file_and_comment(tmp_path, body, message):
    with pytest.raises(TextDataError, match=message) as caught:
        read_corpus(_corpus_file(tmp_path, body))
    assert "corpus_under_test.yaml" in str(caught.value)


def test_the_shipped_corpus_is_loaded_once():
    assert load_training() is load_training()
