import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textblob import TextBlob

from outcomes.text import TextDataError, analyse, load_lexicon, read_lexicon
from outcomes.text.sentiment import LexiconEntry, clause_spans, label_for, score_text
from tests.outcomes.text.examples import (
    COMPLAINTS_AND_PRAISE,
    ILL,
    LEXICON_OVERRIDES,
    MIXED,
    NEGATION_PAIRS,
    NEUTRAL,
    ONE_SIDED,
    OTHER_SENTIMENT,
)

LEXICON = load_lexicon()
SCORED = [e for e in LEXICON.entries if e.polarity is not None]
INTENSIFIERS = [e for e in LEXICON.entries if e.intensifier is not None]


def _without(entry: LexiconEntry, sentence: str) -> str:
    """The example with the entry's words taken out, found independently of the module's
    own matcher so a bug there cannot hide itself."""
    for spelling in sorted(entry.spellings, key=len, reverse=True):
        source = re.escape(spelling).replace("'", "'?")
        if spelling[0].isalnum():
            source = r"(?<![\w'])" + source
        if spelling[-1].isalnum():
            source += r"(?![\w'])"
        sentence = re.sub(source, " ", sentence, flags=re.IGNORECASE)
    return " ".join(sentence.split())


def _polarity(text: str) -> float:
    """The rules' polarity: what the lexicon moves, whatever the classifier then says."""
    return score_text(text).polarity


# --- The youth lexicon, entry by entry -----------------------------------------------


@pytest.mark.parametrize("entry", SCORED, ids=lambda e: e.term)
def test_each_word_moves_polarity_the_way_the_lexicon_says(entry):
    stripped = _without(entry, entry.example)
    assert stripped != entry.example, "the example must use the term"
    with_word, without_word = _polarity(entry.example), _polarity(stripped)
    if entry.polarity > 0:
        assert with_word > without_word
    elif entry.polarity < 0:
        assert with_word < without_word
    else:
        assert with_word == pytest.approx(without_word)


@pytest.mark.parametrize("entry", INTENSIFIERS, ids=lambda e: e.term)
def test_each_intensifier_scales_the_words_it_qualifies(entry):
    stripped = _without(entry, entry.example)
    assert stripped != entry.example
    with_word, without_word = _polarity(entry.example), _polarity(stripped)
    assert without_word != 0, "the example needs a scored word for the intensifier to act on"
    assert (with_word > 0) == (without_word > 0), "an intensifier never flips the sign"
    if entry.intensifier > 1:
        assert abs(with_word) > abs(without_word)
    else:
        assert abs(with_word) < abs(without_word)


def test_the_lexicon_covers_the_words_named_in_the_issue():
    spellings = {s for e in LEXICON.entries for s in e.spellings}
    named = {
        "sick", "safe", "peak", "long", "bare", "peng", "calm", "dead", "moist", "mid",
        "allow it", "it's giving", "no cap", "fam", "innit", "gassed", "vexed", "sus", "grim",
    }  # fmt: skip
    assert named <= spellings


def test_every_entry_says_what_it_means():
    assert all(len(e.meaning.split()) >= 1 for e in LEXICON.entries)
    assert all((e.polarity is None) != (e.intensifier is None) for e in LEXICON.entries)


@pytest.mark.parametrize(("text", "expected"), LEXICON_OVERRIDES)
def test_the_lexicon_overrides_textblob_where_young_people_mean_something_else(text, expected):
    assert analyse(text).sentiment == expected
    # The case only proves something if TextBlob alone gets it wrong.
    assert label_for(TextBlob(text).sentiment.polarity) != expected


@pytest.mark.parametrize(
    "text",
    [
        "The food was great and the staff were kind",
        "It was a terrible day",
        "the building is old and cold",
        "not bad at all!",
        "I don't like it :(",
    ],
)
def test_without_lexicon_words_the_score_is_textblobs(text):
    assert not LEXICON.regex.search(text)
    assert analyse(text).polarity == pytest.approx(TextBlob(text).sentiment.polarity)


@pytest.mark.parametrize(("text", "expected"), ILL)
def test_sick_meaning_ill_is_left_to_textblob(text, expected):
    assert analyse(text).sentiment == expected


@pytest.mark.parametrize(("text", "expected"), OTHER_SENTIMENT)
def test_labels_of_slang_emoji_and_negation(text, expected):
    assert analyse(text).sentiment == expected


def test_apostrophes_are_optional_and_curly_ones_count():
    assert _polarity("it\u2019s giving good vibes") == _polarity("its giving good vibes")
    assert analyse("she isn\u2019t sick").sentiment == "negative"


# --- Negation ------------------------------------------------------------------------


@pytest.mark.parametrize(("plain", "label", "negated"), NEGATION_PAIRS)
def test_negation_flips_lexicon_and_textblob_words(plain, label, negated):
    before, after = analyse(plain), analyse(negated)
    assert before.sentiment == label
    assert after.sentiment == {"positive": "negative", "negative": "positive"}[label]
    # Negated words are weaker than plain ones, as TextBlob treats "not good".
    assert abs(after.polarity) < abs(before.polarity)


def test_negation_stays_in_its_clause():
    score = score_text("I was not happy, but now my worker is sick")
    assert [c.label for c in score.clauses] == ["negative", "positive"]


def test_a_negated_intensifier_softens_rather_than_strengthens():
    not_good, not_very_good = _polarity("it was not good"), _polarity("it was not bare good")
    assert not_good < not_very_good < 0


def test_a_clause_final_intensifier_looks_back():
    assert _polarity("she is good no cap") > _polarity("she is good")


def test_an_intensifier_that_starts_a_new_thought_does_not_look_back():
    assert _polarity("she came late so I went home") == _polarity("she came late I went home")


@pytest.mark.parametrize(
    "text",
    [
        "she never makes me feel stupid",
        "nobody there made me feel stupid",
        "the sessions aren't as bad as i thought",
        "no one made me feel small",
    ],
)
def test_negation_reaches_textblob_words_further_back_than_textblob_does(text):
    assert TextBlob(text).sentiment.polarity <= 0
    assert score_text(text).label == "positive"


def test_negation_does_not_reach_past_a_comma():
    assert score_text("no problems at all, all good").label == "positive"
    assert score_text("no problems at all all good").label != "positive"


def test_a_matched_phrase_counts_as_one_word_for_the_reach():
    # "look at me like" is one cue, so "doesn't" is two words from "bad", not six.
    assert score_text("she doesn't look at me like im bad").label == "positive"


def test_a_double_negative_in_dialect_is_still_a_complaint():
    assert score_text("it didn't change nothing").label == "negative"


def test_negation_does_not_reach_past_a_question_word():
    assert score_text("i don't know why she is so nice").label == "positive"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("they say they care but they don't", "negative"),
        ("i didn't think it would help but it has", "positive"),
        ("thought it would be long but it wasnt", "positive"),
        ("she said she listens, but she doesn't really", "negative"),
    ],
)
def test_a_short_clause_after_a_turn_takes_back_the_one_before(text, expected):
    score = score_text(text)
    assert score.label == expected  # of one mind, not mixed
    assert [c.scored for c in score.clauses] == [True, False]


def test_a_full_clause_after_a_turn_is_not_taken_for_one():
    assert score_text("she is nice but it is what it is").label == "positive"
    assert score_text("she is nice but they don't listen").label == "mixed"


@pytest.mark.parametrize(
    "text", ["trips are great, meetings are boring", "she listens, nothing changes though"]
)
def test_one_clause_clearly_good_and_clearly_bad_about_two_things_is_mixed(text):
    assert score_text(text).label == "mixed"


def test_a_clause_with_a_faint_feeling_beside_a_strong_one_is_not_mixed():
    assert score_text("the meetings are fine and boring").label == "negative"


@pytest.mark.parametrize(("text", "expected"), [("👍👍", "positive"), ("😡", "negative")])
def test_a_comment_of_emoji_alone_is_read(text, expected):
    assert analyse(text).sentiment == expected


@pytest.mark.parametrize(
    "text",
    ["i like the music sessions but not the reviews", "the trips are good but never the meetings"],
)
def test_but_not_after_a_felt_clause_is_the_other_side_of_it(text):
    score = score_text(text)
    assert score.label == "mixed"
    assert score.clauses[1].polarity == -score.clauses[0].polarity


def test_a_trailing_not_takes_back_the_clause():
    assert score_text("yeah really helpful, not").label == "negative"
    assert score_text("really helpful, not bad at all").label == "positive"


@pytest.mark.parametrize(("text", "expected"), COMPLAINTS_AND_PRAISE)
def test_how_young_people_complain_and_praise(text, expected):
    assert analyse(text).sentiment == expected


# --- Labels --------------------------------------------------------------------------


@pytest.mark.parametrize("text", MIXED)
def test_mixed_when_one_part_is_clearly_good_and_another_clearly_bad(text):
    assert analyse(text).sentiment == "mixed"


@pytest.mark.parametrize("text", NEUTRAL)
def test_neutral_when_nothing_carries_sentiment(text):
    result = analyse(text)
    assert result.sentiment == "neutral"
    assert result.polarity == 0.0


@pytest.mark.parametrize(("text", "expected"), ONE_SIDED)
def test_one_sided_text_is_not_mixed(text, expected):
    assert analyse(text).sentiment == expected


@pytest.mark.parametrize(
    "text",
    [
        "bare bare bare amazing!!!!! no cap \U0001f4af\U0001f4af",
        "not not not never no",
        "worst worst worst horrible disgusting grim grim",
        "\U0001f621" * 50,
        "sick " * 200,
    ],
)
def test_polarity_stays_between_minus_one_and_one(text):
    assert -1.0 <= _polarity(text) <= 1.0


def test_clauses_split_on_punctuation_and_turning_words_only():
    text = "She is kind, caring and listens. The wait was long but it was worth it"
    pieces = [text[s:e].strip() for s, e in clause_spans(text)]
    assert pieces == [
        "She is kind, caring and listens.",
        "The wait was long",
        "it was worth it",
    ]


def test_a_word_containing_but_does_not_split():
    assert len(clause_spans("my butter is nice, my worker is a buttery rebuttal")) == 1


# --- Works without NLTK data ---------------------------------------------------------

_NO_NLTK_PROBE = textwrap.dedent(
    """
    import nltk, nltk.data

    def refuse(*args, **kwargs):
        raise SystemExit(f"tried to use NLTK data: {args!r}")

    nltk.download = refuse
    nltk.data.find = refuse
    nltk.data.load = refuse

    from outcomes.text import analyse, redact

    result = analyse("My worker Sam is sick but the waiting list is long. No cap! \U0001f621")
    assert result.sentiment == "mixed", result
    assert redact("My worker Sam rang me on 07700 900123") == (
        "My worker [name] rang me on [phone number]"
    )
    print("ok")
    """
)


def test_runs_with_no_nltk_data_and_never_reaches_for_it(tmp_path):
    env = {"NLTK_DATA": str(tmp_path), "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(  # noqa: S603 - this interpreter on a fixed script
        [sys.executable, "-c", _NO_NLTK_PROBE],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "ok"


# --- Validating the lexicon file -----------------------------------------------------

_GOOD_ENTRY = """
  - term: sick
    meaning: really good
    polarity: 0.8
    example: the trip was sick
"""


def _lexicon_file(tmp_path, entries: str, name: str = "lexicon.yaml") -> Path:
    path = tmp_path / name
    path.write_text("entries:" + entries, encoding="utf-8")
    return path


def test_a_valid_file_loads(tmp_path):
    lexicon = read_lexicon(_lexicon_file(tmp_path, _GOOD_ENTRY))
    assert [e.term for e in lexicon.entries] == ["sick"]


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            _GOOD_ENTRY
            + """
  - term: Sick
    meaning: again
    polarity: 0.5
    example: sick
""",
            r"entry 2 \('Sick'\): 'Sick' is already listed under 'sick'",
        ),
        (
            _GOOD_ENTRY
            + """
  - term: peng
    meaning: good
    forms: [sick]
    polarity: 0.5
    example: peng
""",
            r"entry 2 \('peng'\): 'sick' is already listed",
        ),
        (
            """
  - term: sick
    meaning: good
    polarity: 2
    example: sick
""",
            r"entry 1 \('sick'\): 'polarity' must be a number from -1 to 1",
        ),
        (
            """
  - term: bare
    meaning: very
    polarity: 0.1
    intensifier: 1.5
    example: bare good
""",
            r"entry 1 \('bare'\): give exactly one of 'polarity' or 'intensifier'",
        ),
        (
            """
  - term: bare
    meaning: very
    example: bare good
""",
            r"entry 1 \('bare'\): give exactly one",
        ),
        (
            """
  - term: bare
    meaning: very
    intensifier: 1
    example: bare good
""",
            r"'intensifier' must be a number above 0",
        ),
        (
            """
  - term: sick
    polarity: 0.8
    example: sick
""",
            r"entry 1 \('sick'\): 'meaning' must be a non-empty string",
        ),
        (
            """
  - term: sick
    meaning: good
    polarity: 0.8
    example: the trip was good
""",
            r"entry 1 \('sick'\): example 'the trip was good' does not use the term",
        ),
        (
            """
  - term: sick
    meaning: good
    polarity: 0.8
    example: sick
    polarty: 0.2
""",
            r"entry 1 \('sick'\): unknown key\(s\) polarty",
        ),
        (
            # Unquoted, YAML reads off as false; the loader must say so, not crash later.
            """
  - term: sick
    meaning: good
    polarity: 0.8
    except_after: [felt, off]
    example: sick
""",
            r"entry 1 \('sick'\): 'except_after' must be a list of non-empty strings",
        ),
        (
            """
  - just a string
""",
            r"entry 1: expected a mapping",
        ),
        ("\n  []", r"expected a non-empty 'entries:' list"),
    ],
)
def test_a_bad_file_is_rejected_naming_the_file_and_entry(tmp_path, entries, message):
    path = _lexicon_file(tmp_path, entries, name="youth_lexicon_under_test.yaml")
    with pytest.raises(TextDataError, match=message) as caught:
        read_lexicon(path)
    assert "youth_lexicon_under_test.yaml" in str(caught.value)


def test_broken_yaml_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("entries: [\n  - term: sick\n", encoding="utf-8")
    with pytest.raises(TextDataError, match="broken.yaml: not valid YAML"):
        read_lexicon(path)


def test_a_missing_file_names_the_file(tmp_path):
    with pytest.raises(TextDataError, match="nowhere.yaml: cannot read"):
        read_lexicon(tmp_path / "nowhere.yaml")


def test_the_shipped_lexicon_is_loaded_once():
    assert load_lexicon() is load_lexicon()
