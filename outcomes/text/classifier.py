"""A sentiment classifier learnt from the labelled corpus, seeing what the rules found.

The rules (TextBlob, the youth lexicon and the cues) are precise where a feeling word or a
known phrase is there, and blind where it is not. The classifier reads the whole comment
the way the corpus taught it (word pairs and pieces of words, so "waitin" and "waiting"
look alike), and it is given the rules' verdict as features too, so it learns from the
corpus how far to trust them: where the rules found a clear feeling it mostly follows
them, where they found nothing it goes by the words.

Logistic regression over TF-IDF word and character n-grams: fast to train on a few
hundred comments, so the model is trained at first use from the YAML files and kept in
memory, never pickled into the repository. Nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import cast

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from outcomes.text.corpus import LabelledComment, load_held_out, load_training
from outcomes.text.sentiment import Label, TextScore, score_text

_WORD = r"(?u)\b\w[\w']*\b"

# Chosen by 5-fold cross-validation on the training part only (bench/text.py reports it).
C = 30.0


def rule_features(score: TextScore) -> list[float]:
    """What the rules found: overall polarity, the strongest good and bad clause, and
    which labels the clauses carry."""
    polarities = [c.polarity for c in score.clauses]
    labels = {c.label for c in score.clauses}
    return [
        score.polarity,
        max([*polarities, 0.0]),
        min([*polarities, 0.0]),
        float("positive" in labels),
        float("negative" in labels),
        float(score.label == "mixed"),
        float(score.label == "neutral"),
    ]


def _word_vectoriser() -> TfidfVectorizer:
    # Words with their apostrophes ("didn't", "she's"), and pairs, so "not helped" and
    # "no difference" are features of their own.
    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=_WORD)


def _character_vectoriser() -> TfidfVectorizer:
    # Pieces of words inside word boundaries: spellings phones and teenagers vary.
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)


@dataclass(frozen=True)
class SentimentModel:
    words: TfidfVectorizer
    characters: TfidfVectorizer
    classifier: LogisticRegression

    @property
    def labels(self) -> tuple[Label, ...]:
        # Fitted on the corpus's labels, so its classes are Labels; sklearn has no types.
        return cast(tuple[Label, ...], tuple(str(label) for label in self.classifier.classes_))

    def probabilities(
        self, texts: Sequence[str], scores: Sequence[TextScore]
    ) -> list[dict[Label, float]]:
        """For each text, the probability of each label."""
        features = self._features(texts, scores)
        # The problem is tiny: BLAS threads only fight the web workers for the cores.
        with threadpool_limits(1):
            rows = self.classifier.predict_proba(features)
        return [dict(zip(self.labels, map(float, row), strict=True)) for row in rows]

    def _features(self, texts: Sequence[str], scores: Sequence[TextScore]) -> csr_matrix:
        return hstack(
            [
                self.words.transform(texts),
                self.characters.transform(texts),
                csr_matrix(np.array([rule_features(s) for s in scores], dtype=float)),
            ]
        ).tocsr()


def train(comments: Sequence[LabelledComment]) -> SentimentModel:
    texts = [c.text for c in comments]
    words, characters = _word_vectoriser(), _character_vectoriser()
    features = hstack(
        [
            words.fit_transform(texts),
            characters.fit_transform(texts),
            csr_matrix(np.array([rule_features(score_text(t)) for t in texts], dtype=float)),
        ]
    ).tocsr()
    classifier = LogisticRegression(C=C, max_iter=5000)
    with threadpool_limits(1):
        classifier.fit(features, [c.sentiment for c in comments])
    return SentimentModel(words, characters, classifier)


@cache
def load_model() -> SentimentModel:
    """The model the app uses: trained once per process on the whole corpus."""
    return train((*load_training(), *load_held_out()))
