"""The labelled corpus of service-feedback comments under data/.

Two files, split once: training.yaml (what the classifier learns from and the rules are
tuned on) and held-out.yaml (read only to measure). Both are checked as they load, so a
typo in a label or a theme code stops the classifier being trained on it silently.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import get_args

from outcomes.text.sentiment import Label, TextDataError, read_yaml_file
from outcomes.text.themes import load_themes

DATA = Path(__file__).with_name("data")
TRAINING_PATH = DATA / "training.yaml"
HELD_OUT_PATH = DATA / "held-out.yaml"

LABELS: tuple[Label, ...] = get_args(Label)
THEME_SENTIMENTS = ("positive", "negative", "neutral")
_KEYS = {"text", "sentiment", "themes"}


@dataclass(frozen=True)
class LabelledComment:
    text: str
    sentiment: Label
    themes: tuple[tuple[str, str], ...] = ()  # (theme code, sentiment), in file order


def read_corpus(path: Path | str) -> tuple[LabelledComment, ...]:
    """Read and validate a corpus file; raise TextDataError naming the file and comment."""
    path = Path(path)
    data = read_yaml_file(path)
    raw_comments = data.get("comments") if isinstance(data, dict) else None
    if not isinstance(raw_comments, list) or not raw_comments:
        raise TextDataError(f"{path}: expected a non-empty 'comments:' list at the top")
    codes = {t.code for t in load_themes()}
    comments = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_comments, start=1):
        comment = _parse_comment(f"{path}: comment {index}", raw, codes)
        key = " ".join(comment.text.lower().split())
        if key in seen:
            raise TextDataError(f"{path}: comment {index}: the same text as comment {seen[key]}")
        seen[key] = index
        comments.append(comment)
    return tuple(comments)


@cache
def load_training() -> tuple[LabelledComment, ...]:
    return read_corpus(TRAINING_PATH)


@cache
def load_held_out() -> tuple[LabelledComment, ...]:
    return read_corpus(HELD_OUT_PATH)


def _parse_comment(where: str, raw: object, codes: set[str]) -> LabelledComment:
    if not isinstance(raw, dict):
        raise TextDataError(f"{where}: expected a mapping with text and sentiment")
    unknown = set(raw) - _KEYS
    if unknown:
        raise TextDataError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        raise TextDataError(f"{where}: 'text' must be a non-empty string")
    where = f"{where} ({text[:30]!r})"
    sentiment = raw.get("sentiment")
    if sentiment not in LABELS:
        raise TextDataError(
            f"{where}: 'sentiment' must be one of {', '.join(LABELS)}, not {sentiment!r}"
        )
    themes = raw.get("themes", {})
    if not isinstance(themes, dict):
        raise TextDataError(f"{where}: 'themes' must map theme codes to sentiments")
    for code, feeling in themes.items():
        if code not in codes:
            raise TextDataError(f"{where}: unknown theme {code!r}")
        if feeling not in THEME_SENTIMENTS:
            raise TextDataError(
                f"{where}: theme {code!r} must be {', '.join(THEME_SENTIMENTS)}, not {feeling!r}"
            )
    return LabelledComment(text=text, sentiment=sentiment, themes=tuple(themes.items()))
