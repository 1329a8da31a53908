from collections.abc import Sequence
from pathlib import Path

import pytest
from sklearn.model_selection import StratifiedKFold

import outcomes.text
from outcomes.text import analyse, load_model
from outcomes.text.classifier import SentimentModel, rule_features, train
from outcomes.text.corpus import LABELS, load_training
from outcomes.text.sentiment import TextScore, clause_spans, score_text

TRAINING = load_training()


class Saying:
    """A stand-in classifier that says one label, or a label per text, with certainty."""

    def __init__(self, label: str = "negative", **per_text: str) -> None:
        self.label, self.per_text, self.asked = label, per_text, []

    def probabilities(
        self, texts: Sequence[str], scores: Sequence[TextScore]
    ) -> list[dict[str, float]]:
        self.asked.extend(texts)
        said = [self.per_text.get(t, self.label) for t in texts]
        return [{label: float(label == s) for label in LABELS} for s in said]


# --- The model ------------------------------------------------------------------------


def test_the_model_is_trained_once_per_process_from_the_corpus():
    model = load_model()
    assert model is load_model()
    assert isinstance(model, SentimentModel)
    assert set(model.labels) == set(LABELS)


def test_no_trained_model_is_kept_in_the_repository():
    package = Path(outcomes.text.__file__).parent
    binaries = [
        p for p in package.rglob("*") if p.suffix in {".pkl", ".pickle", ".joblib", ".npz", ".npy"}
    ]
    assert binaries == []


def test_probabilities_cover_every_label_and_add_up():
    texts = ["still waiting", "she is sound", ""]
    for chances in load_model().probabilities(texts, [score_text(t) for t in texts]):
        assert set(chances) == set(LABELS)
        assert sum(chances.values()) == pytest.approx(1)


def test_rule_features_say_what_the_rules_found():
    assert rule_features(score_text("she is great but the wait is long")) == pytest.approx(
        [0.15, 0.8, -0.5, 1, 1, 1, 0]
    )
    assert rule_features(score_text("idk")) == [0, 0, 0, 0, 0, 0, 1]


def test_it_learns_from_the_corpus_what_the_rules_miss():
    # Cross-validated on the training part: each comment scored by a model that never saw
    # it. A floor well under what bench/text.py measures, to catch a broken pipeline.
    texts = [c.text for c in TRAINING]
    labels = [c.sentiment for c in TRAINING]
    right = 0
    for learn, test in StratifiedKFold(5, shuffle=True, random_state=2026).split(texts, labels):
        model = train([TRAINING[i] for i in learn])
        chances = model.probabilities(
            [texts[i] for i in test], [score_text(texts[i]) for i in test]
        )
        right += sum(
            max(c, key=c.__getitem__) == labels[i] for i, c in zip(test, chances, strict=True)
        )
    assert right / len(TRAINING) >= 0.75


# --- How it combines with the rules -------------------------------------------------


def test_where_the_rules_are_sure_their_label_stands():
    model = Saying("negative")
    result = analyse("my worker is amazing", model=model)
    assert result.sentiment == "positive"
    assert model.asked == []  # not even asked


def test_where_the_rules_are_unsure_the_classifier_decides():
    assert analyse("we went bowling on friday", model=Saying("mixed")).sentiment == "mixed"
    unsure = "she was alright i suppose"  # a shrug the rules barely score
    assert not score_text(unsure).sure
    assert analyse(unsure, model=Saying("negative")).sentiment == "negative"


def test_the_polarity_follows_whoever_gave_the_label():
    agree = analyse("she was alright i suppose", model=Saying("neutral"))
    assert agree.polarity == score_text("she was alright i suppose").polarity
    disagree = analyse("we went bowling on friday", model=Saying("negative"))
    assert disagree.polarity == -1.0


def test_rules_only_leaves_the_classifier_out():
    model = Saying("negative")
    assert analyse("we went bowling on friday", model=model, rules_only=True).sentiment == (
        "neutral"
    )
    assert model.asked == []


@pytest.mark.parametrize("text", ["", "   ", "...", "?!"])
def test_text_with_no_words_is_neutral_without_asking(text):
    model = Saying("negative")
    assert analyse(text, model=model).sentiment == "neutral"
    assert model.asked == []


def test_when_the_rules_found_nothing_themes_take_the_comments_feeling():
    text = "they moved my appointment with the police"
    assert not any(c.scored for c in score_text(text, cues=()).clauses)
    result = analyse(text, model=Saying("negative"))
    assert {(m.code, m.sentiment) for m in result.themes} >= {
        ("police", "negative"),
        ("contact-meetings", "negative"),
    }


def test_in_a_mixed_comment_a_flat_clause_is_read_on_its_own():
    text = "my worker was alright but the police rang my mum"
    first, second = (text[s:e] for s, e in clause_spans(text))
    model = Saying("mixed", **{first: "positive", second: "negative"})
    result = analyse(text, model=model)
    assert result.sentiment == "mixed"
    assert {(m.code, m.sentiment) for m in result.themes} == {
        ("trust-in-worker", "positive"),
        ("police", "negative"),
        ("family", "negative"),
        ("contact-meetings", "negative"),
    }


def test_a_theme_in_a_flat_clause_beside_a_felt_one_stays_neutral():
    result = analyse("I go to school on Mondays. My worker is amazing.", model=Saying("positive"))
    assert ("school-college", "neutral") in {(m.code, m.sentiment) for m in result.themes}
