"""Free-text analysis: sentiment, themes and quote redaction.

Pure functions over strings and two data files (youth_lexicon.yaml, themes.yaml). Nothing
here needs NLTK corpora, a network or a database, so it runs the same in a request, a CLI
batch over the whole store, or a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from outcomes.text.redact import redact
from outcomes.text.sentiment import (
    CLEAR,
    Label,
    Lexicon,
    LexiconEntry,
    TextDataError,
    load_lexicon,
    read_lexicon,
    score_text,
)
from outcomes.text.themes import FRAMEWORK_DOMAINS, Theme, load_themes, read_themes

__all__ = [
    "CLEAR",
    "FRAMEWORK_DOMAINS",
    "Analysis",
    "Label",
    "Lexicon",
    "LexiconEntry",
    "TextDataError",
    "Theme",
    "ThemeMention",
    "analyse",
    "analysis_to_json",
    "load_lexicon",
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


@dataclass(frozen=True)
class Analysis:
    text: str
    sentiment: Label
    polarity: float
    themes: tuple[ThemeMention, ...]

    @property
    def theme_codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.code for m in self.themes))


def analyse(
    text: str,
    *,
    lexicon: Lexicon | None = None,
    themes: tuple[Theme, ...] | None = None,
) -> Analysis:
    """Sentiment of the whole text, and each theme it mentions with the sentiment of the
    clause the mention sits in, so "my worker is sick but the waiting list is long" gives
    trust-in-worker positive and waiting negative.

    A theme mentioned in two clauses with different feelings appears once per feeling.
    """
    score = score_text(text, lexicon)
    found: dict[tuple[str, str], tuple[int, ThemeMention]] = {}
    for theme in themes if themes is not None else load_themes():
        for match in theme.mentions(text):
            clause = score.clause_at(match.start())
            sentiment = clause.label if clause is not None else "neutral"
            key = (theme.code, sentiment)
            if key not in found:
                mention = ThemeMention(theme.code, theme.label, theme.domain, sentiment)
                found[key] = (match.start(), mention)
    ordered = sorted(found.values(), key=lambda pair: pair[0])
    return Analysis(
        text=text,
        sentiment=score.label,
        polarity=score.polarity,
        themes=tuple(mention for _, mention in ordered),
    )


def analysis_to_json(analysis: Analysis) -> dict[str, Any]:
    """The shape the CLI prints, one object per line: theme codes only, in order of first
    mention, polarity to three places so output diffs cleanly between runs."""
    return {
        "text": analysis.text,
        "sentiment": analysis.sentiment,
        "polarity": round(analysis.polarity, 3),
        "themes": list(analysis.theme_codes),
    }
