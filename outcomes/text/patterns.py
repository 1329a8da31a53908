"""The phrase language of themes.yaml and cues.yaml.

Patterns are a small language rather than raw regex so that whoever maintains those files
(a service manager, not a developer) can add "turn* up late" without learning regex:

    word       the word itself, any case; apostrophes optional ("didn't" matches "didnt")
    word*      the word and anything it starts: "listen*" catches listens, listened,
               listening (and listener: pick stems that do not catch unrelated words)
    a b        the words in order, separated by spaces or hyphens ("self harm" = "self-harm")
    a ... b    up to three other words between a and b

A list of patterns may come with `exclude` patterns: a match that overlaps one does not
count ("can't wait" is not about waiting, "she's safe" is slang for "she's sound").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_PATTERN_WORD = re.compile(r"[a-z0-9&][a-z0-9&']*\*?")
_GAP = "..."
_GAP_REGEX = r"(?:[\w']+[\s-]+){0,3}"
NEVER = re.compile(r"(?!)")


def normalise(text: str) -> str:
    """Curly apostrophes to straight ones; phones type both. Keeps offsets unchanged."""
    return text.replace("\u2019", "'").replace("\u2018", "'")


@dataclass(frozen=True)
class Phrases:
    """Compiled patterns and their exclusions."""

    regex: re.Pattern[str] = NEVER
    exclude_regex: re.Pattern[str] | None = None

    @classmethod
    def compile(cls, patterns: tuple[str, ...], exclude: tuple[str, ...] = ()) -> Phrases:
        """ValueError names the first bad pattern."""
        return cls(compile_all(patterns), compile_all(exclude) if exclude else None)

    def mentions(self, text: str) -> Iterator[re.Match[str]]:
        """Matches in text (offsets are text's own), leaving out excluded phrases."""
        text = normalise(text)
        matches = list(self.regex.finditer(text))
        if not matches or self.exclude_regex is None:
            yield from matches
            return
        excluded = [(m.start(), m.end()) for m in self.exclude_regex.finditer(text)]
        for m in matches:
            if not any(s < m.end() and m.start() < e for s, e in excluded):
                yield m


def compile_pattern(pattern: str) -> str:
    """Regex source for one pattern; ValueError says what is wrong with it."""
    return _bounded(_pattern_body(pattern))


def compile_all(patterns: tuple[str, ...]) -> re.Pattern[str]:
    sources = []
    for pattern in patterns:
        try:
            sources.append(_pattern_body(pattern))
        except ValueError as exc:
            raise ValueError(f"bad pattern {exc}") from exc
    return re.compile(_bounded("|".join(sources)), re.IGNORECASE)


def _pattern_body(pattern: str) -> str:
    parts = pattern.lower().split()
    if not parts:
        raise ValueError("empty pattern")
    if parts[0] == _GAP or parts[-1] == _GAP:
        raise ValueError(f"{pattern!r}: '...' must sit between two words")

    pieces: list[str] = []
    for i, part in enumerate(parts):
        if part == _GAP:
            if parts[i - 1] == _GAP:
                raise ValueError(f"{pattern!r}: two '...' in a row")
            pieces.extend((r"[\s-]+", _GAP_REGEX))
            continue
        # A hyphen in a pattern word is a separator like a space.
        for word in part.split("-"):
            if not _PATTERN_WORD.fullmatch(word):
                raise ValueError(
                    f"{pattern!r}: {word!r} is not a word, a word ending in '*', or '...'"
                )
            stem = word.endswith("*")
            source = re.escape(word.rstrip("*")).replace("'", "'?")
            if stem:
                source += r"\w*"
            if pieces and pieces[-1] != _GAP_REGEX:
                pieces.append(r"[\s-]+")
            pieces.append(source)
    return "".join(pieces)


def _bounded(source: str) -> str:
    # One boundary around the whole alternation rather than one per branch: mid-word
    # positions then fail once instead of once per pattern, which is most of the cost.
    return r"(?<![\w'])(?:" + source + r")(?!\w)"
