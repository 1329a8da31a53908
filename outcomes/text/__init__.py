"""Free-text analysis: sentiment, themes and quote redaction.

Pure functions over strings and data files: the rules' youth_lexicon.yaml and cues.yaml,
the taxonomy themes.yaml, and the labelled corpus under data/ that the classifier learns
from at first use. Nothing here needs NLTK corpora, a network or a database, so it runs
the same in a request, a CLI batch over the whole store, or a test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from outcomes.summary import NOT_ANALYSED
from outcomes.text.classifier import SentimentModel, load_model
from outcomes.text.language import ENGLISH, READABLE, language_of
from outcomes.text.redact import redact
from outcomes.text.sentiment import (
    CLEAR,
    Label,
    Lexicon,
    LexiconEntry,
    TextDataError,
    TextScore,
    load_lexicon,
    read_lexicon,
    score_text,
)
from outcomes.text.themes import FRAMEWORK_DOMAINS, Theme, load_themes, read_themes

__all__ = [
    "CLEAR",
    "FRAMEWORK_DOMAINS",
    "NOT_ANALYSED",
    "Analysis",
    "Label",
    "Lexicon",
    "LexiconEntry",
    "SentimentModel",
    "TextDataError",
    "Theme",
    "ThemeMention",
    "analyse",
    "analysis_to_json",
    "load_lexicon",
    "load_model",
    "load_themes",
    "read_lexicon",
    "read_themes",
    "redact",
]


@dataclass(frozen=True)
class ThemeMention:
    code: str
    label: str
    domain: str
    sentiment: Literal["positive", "negative", "neutral"]


# NOT_ANALYSED is the sentiment of an answer the readers of English did not read, because
# it is written in another language: counted as "not analysed: language" wherever themes
# and sentiment are.
Reading = Label | Literal["not-analysed"]


@dataclass(frozen=True)
class Analysis:
    text: str
    sentiment: Reading
    polarity: float
    themes: tuple[ThemeMention, ...]
    # "en", or the other language's code ("und" when it cannot be told), or "" for an
    # answer with no letters (see `outcomes.text.language.language_of`).
    language: str = ENGLISH

    @property
    def analysed(self) -> bool:
        return self.sentiment != NOT_ANALYSED

    @property
    def theme_codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.code for m in self.themes))


def analyse(
    text: str,
    *,
    lexicon: Lexicon | None = None,
    themes: tuple[Theme, ...] | None = None,
    model: SentimentModel | None = None,
    rules_only: bool = False,
) -> Analysis:
    """Sentiment of the whole text, and each theme it mentions with the sentiment of the
    clause the mention sits in, so "my worker is sick but the waiting list is long" gives
    trust-in-worker positive and waiting negative.

    The rules score each clause. Where they are sure (every clause they scored is torn
    both ways, or one way at least as strongly as sentiment.SURE), their label stands;
    elsewhere the classifier (model, by default the one trained on the whole corpus;
    none with rules_only) gives the comment's label, seeing what the rules found. The
    polarity is the rules' when the label is theirs too, and otherwise the classifier's
    chance of positive less its chance of negative.

    A theme takes the feeling of its clause when the rules found one there, or of its
    stretch between commas when the clause is torn ("the trips are great, the meetings
    are boring"). In a comment where the rules found no feeling at all, themes take the
    comment's ("still waiting for a call back" is bad news about waiting); in a mixed
    one, a flat clause is read by the classifier on its own. Otherwise the theme is
    neutral: "I go to school on Mondays. My worker is amazing." says nothing good or bad
    about school.

    A theme mentioned in two clauses with different feelings appears once per feeling.

    Sentiment and themes are read in English only: an answer in another language (see
    `outcomes.text.language`) gets neither, only the sentiment NOT_ANALYSED and its
    language, so that it is counted as "not analysed: language" rather than misread.
    """
    language = language_of(text)
    if language not in READABLE:
        return Analysis(
            text=text, sentiment=NOT_ANALYSED, polarity=0.0, themes=(), language=language
        )
    score = score_text(text, lexicon)
    label, polarity = score.label, score.polarity
    if not rules_only and not score.sure and _WORD.search(text):
        model = model or load_model()
        chances = model.probabilities([text], [score])[0]
        label = max(chances, key=chances.__getitem__)
        if label != score.label:
            polarity = chances["positive"] - chances["negative"]

    found: dict[tuple[str, str], tuple[int, ThemeMention]] = {}
    for theme in themes if themes is not None else load_themes():
        for match in theme.mentions(text):
            sentiment = _feeling_at(text, match.start(), score, label, model, lexicon)
            key = (theme.code, sentiment)
            if key not in found:
                mention = ThemeMention(theme.code, theme.label, theme.domain, sentiment)
                found[key] = (match.start(), mention)
    ordered = sorted(found.values(), key=lambda pair: pair[0])
    return Analysis(
        text=text,
        sentiment=label,
        polarity=polarity,
        themes=tuple(mention for _, mention in ordered),
        language=language,
    )


_WORD = re.compile(r"\w")
_PAUSE = re.compile(r"[,;()]")


def _feeling_at(
    text: str,
    offset: int,
    score: TextScore,
    label: Label,
    model: SentimentModel | None,
    lexicon: Lexicon | None,
) -> Literal["positive", "negative", "neutral"]:
    clause = score.clause_at(offset)
    if clause is None:
        return "neutral"
    if clause.torn:
        start = max(
            (m.end() for m in _PAUSE.finditer(text, clause.start, offset)), default=clause.start
        )
        stop = next((m.start() for m in _PAUSE.finditer(text, offset, clause.end)), clause.end)
        stretch = score_text(text[start:stop], lexicon).label
        if stretch in ("positive", "negative"):
            return stretch
    if clause.label != "neutral":
        return clause.label
    if label in ("positive", "negative") and not any(c.scored for c in score.clauses):
        return label
    if label == "mixed" and model is not None and len(score.clauses) > 1:
        words = text[clause.start : clause.end]
        chances = model.probabilities([words], [score_text(words, lexicon)])[0]
        best = max(chances, key=chances.__getitem__)
        if best in ("positive", "negative"):
            return best
    return "neutral"


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    """The shape the CLI prints, one object per line: theme codes only, in order of first
    mention, polarity to three places so output diffs cleanly between runs."""
    return {
        "text": analysis.text,
        "sentiment": analysis.sentiment,
        "polarity": round(analysis.polarity, 3),
        "themes": list(analysis.theme_codes),
    }
