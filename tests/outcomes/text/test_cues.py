from pathlib import Path

import pytest
from textblob import TextBlob

from outcomes.text import TextDataError
from outcomes.text.sentiment import label_for, load_cues, read_cues, score_text

CUES = load_cues()
EXAMPLES = [(cue, example) for cue in CUES for example in cue.examples]


@pytest.mark.parametrize(
    ("cue", "example"), EXAMPLES, ids=[f"{c.means[:25]}:{e[:30]}" for c, e in EXAMPLES]
)
def test_each_example_reads_the_way_its_cue_says(cue, example):
    assert score_text(example).label == ("positive" if cue.polarity > 0 else "negative")


def test_the_cues_catch_what_textblob_reads_as_flat_or_the_wrong_way():
    # The examples only prove the cues matter if TextBlob alone misses most of them.
    missed = [
        e
        for c, e in EXAMPLES
        if label_for(TextBlob(e).sentiment.polarity)
        != ("positive" if c.polarity > 0 else "negative")
    ]
    assert len(missed) >= 0.75 * len(EXAMPLES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A negator before a cue turns it round: reliability is written as the good thing.
        ("she always rings me back", "positive"),
        ("nobody rang me back", "negative"),
        ("she never leaves me waiting for ages", "positive"),
        ("they never once asked me what i wanted", "negative"),
        ("she has made a real difference", "positive"),
        ("it hasn't made any difference", "negative"),
        # A negator inside a cue is the cue's own, and does not turn the next word round.
        ("no complaints, she was great", "positive"),
        ("I have not heard anything in over a month", "negative"),
    ],
)
def test_cues_and_negation(text, expected):
    assert score_text(text).label == expected


@pytest.mark.parametrize(
    "text",
    [
        "would be nice if someone actually turned up on time",
        "i wish she was kind to me",
        "still waiting for someone to be helpful",
    ],
)
def test_what_is_wished_or_waited_for_is_not_scored(text):
    score = score_text(text)
    assert score.label == "negative"
    assert score.polarity < 0


def test_wishing_others_had_the_same_is_praise_not_a_wish():
    assert score_text("i wish everyone had a worker like her").label != "negative"
    assert score_text("i wish she came more").label == "negative"


def test_a_longer_cue_wins_over_a_shorter_one_inside_it():
    assert score_text("thanks for nothing").label == "negative"
    assert score_text("thanks for everything").label == "positive"


def test_an_excluded_phrase_is_not_a_cue():
    assert score_text("she asked me to fill this in").label == "neutral"
    assert score_text("she asked me what i wanted").label == "positive"


# --- Validating the cue file ---------------------------------------------------------

_GOOD_CUE = """
  - means: waiting too long
    polarity: -0.5
    patterns: [took ages, wait* ... weeks]
    examples: [it took ages]
"""


def _cue_file(tmp_path, body: str) -> Path:
    path = tmp_path / "cues_under_test.yaml"
    path.write_text("cues:" + body, encoding="utf-8")
    return path


def test_a_valid_file_loads(tmp_path):
    (cue,) = read_cues(_cue_file(tmp_path, _GOOD_CUE))
    assert cue.patterns == ("took ages", "wait* ... weeks")
    assert not cue.wish
    assert cue.phrases.regex.search("we waited six long weeks")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (_GOOD_CUE.replace("polarity: -0.5", "polarity: 0"), r"'polarity' must be a number"),
        (_GOOD_CUE.replace("polarity: -0.5", "polarity: -2"), r"'polarity' must be a number"),
        (_GOOD_CUE.replace("[took ages, wait* ... weeks]", "[took ages**]"), r"bad pattern"),
        (_GOOD_CUE.replace("[it took ages]", "[it was quick]"), r"matches none of its patterns"),
        (_GOOD_CUE.replace("[it took ages]", "[]"), r"needs 'patterns' and 'examples'"),
        (_GOOD_CUE + "    wish: sometimes\n", r"'wish' must be true or false"),
        (_GOOD_CUE + "    polarty: 1\n", r"unknown key\(s\) polarty"),
        (_GOOD_CUE.replace("means: waiting too long", "means: ''"), r"'means' must be"),
        ("\n  - just a string", r"cue 1: expected a mapping"),
        (" []", r"expected a non-empty 'cues:' list"),
    ],
)
def test_a_bad_file_is_rejected_naming_the_file_and_cue(tmp_path, body, message):
    with pytest.raises(TextDataError, match=message) as caught:
        read_cues(_cue_file(tmp_path, body))
    assert "cues_under_test.yaml" in str(caught.value)


def test_the_shipped_cues_are_loaded_once():
    assert load_cues() is load_cues()
