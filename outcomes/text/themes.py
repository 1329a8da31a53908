"""Theme taxonomy for free-text answers, read from themes.yaml.

Patterns are a small language rather than raw regex so that whoever maintains the taxonomy
(a service manager, not a developer) can add "turn* up late" without learning regex:

    word       the word itself, any case; apostrophes optional ("didn't" matches "didnt")
    word*      the word and anything it starts: "listen*" catches listens, listened,
               listening (and listener: pick stems that do not catch unrelated words)
    a b        the words in order, separated by spaces or hyphens ("self harm" = "self-harm")
    a ... b    up to three other words between a and b

A theme may also list `exclude` patterns: a match that overlaps one is not a mention
("can't wait" is not about waiting, "she's safe" is slang for "she's sound").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from outcomes.text.sentiment import TextDataError, normalise, read_yaml_file

THEMES_PATH = Path(__file__).with_name("themes.yaml")

# The outcomes framework's domain codes. Kept here rather than read from the framework
# definition so the taxonomy loads without it; test_themes.py holds this list equal to the
# domains in outcomes/definitions/frameworks.
FRAMEWORK_DOMAINS = frozenset(
    {
        "safety",
        "going-missing",
        "trusted-relationships",
        "education",
        "health-wellbeing",
        "family-home",
        "drugs-alcohol",
        "hopes-goals",
        "listened-to",
    }
)

_CODE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_PATTERN_WORD = re.compile(r"[a-z0-9&][a-z0-9&']*\*?")
_GAP = "..."
_GAP_REGEX = r"(?:[\w']+[\s-]+){0,3}"
_THEME_KEYS = {"code", "label", "domain", "patterns", "exclude", "examples", "counter_examples"}
_NEVER = re.compile(r"(?!)")


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    domain: str
    patterns: tuple[str, ...]
    examples: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    regex: re.Pattern[str] = field(default=_NEVER, repr=False, compare=False)
    exclude_regex: re.Pattern[str] = field(default=_NEVER, repr=False, compare=False)

    def mentions(self, text: str) -> Iterator[re.Match[str]]:
        """Matches in text (offsets are text's own), leaving out excluded phrases."""
        text = normalise(text)
        matches = list(self.regex.finditer(text))
        if not matches or not self.exclude:
            yield from matches
            return
        excluded = [(m.start(), m.end()) for m in self.exclude_regex.finditer(text)]
        for m in matches:
            if not any(s < m.end() and m.start() < e for s, e in excluded):
                yield m

    def matches(self, text: str) -> bool:
        return next(self.mentions(text), None) is not None


def compile_pattern(pattern: str) -> str:
    """Regex source for one taxonomy pattern; ValueError says what is wrong with it."""
    return _bounded(_pattern_body(pattern))


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


def read_themes(path: Path | str) -> tuple[Theme, ...]:
    """Read and validate a taxonomy file; raise TextDataError naming the file and theme."""
    path = Path(path)
    data = read_yaml_file(path)
    raw_themes = data.get("themes") if isinstance(data, dict) else None
    if not isinstance(raw_themes, list) or not raw_themes:
        raise TextDataError(f"{path}: expected a non-empty 'themes:' list at the top")

    themes: list[Theme] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_themes, start=1):
        theme = _parse_theme(path, index, raw)
        if theme.code in seen:
            raise TextDataError(
                f"{path}: theme {index} ({theme.code!r}): duplicate code, "
                f"already used by theme {seen[theme.code]}"
            )
        seen[theme.code] = index
        themes.append(theme)
    return tuple(themes)


@cache
def load_themes() -> tuple[Theme, ...]:
    return read_themes(THEMES_PATH)


def _parse_theme(path: Path, index: int, raw: object) -> Theme:
    where = f"{path}: theme {index}"
    if not isinstance(raw, dict):
        raise TextDataError(f"{where}: expected a mapping with code, label, domain, patterns")
    code = raw.get("code")
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise TextDataError(f"{where}: 'code' must be lower-case words joined by hyphens")
    where = f"{where} ({code!r})"

    unknown = set(raw) - _THEME_KEYS
    if unknown:
        raise TextDataError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        raise TextDataError(f"{where}: 'label' must be a non-empty string")
    domain = raw.get("domain")
    if domain not in FRAMEWORK_DOMAINS:
        raise TextDataError(
            f"{where}: unknown domain {domain!r}; "
            f"expected one of {', '.join(sorted(FRAMEWORK_DOMAINS))}"
        )

    patterns = _strings(where, raw, "patterns")
    if not patterns:
        raise TextDataError(f"{where}: has no patterns")
    exclude = _strings(where, raw, "exclude")
    examples = _strings(where, raw, "examples")
    if not examples:
        raise TextDataError(f"{where}: has no examples")

    return Theme(
        code=code,
        label=label.strip(),
        domain=domain,
        patterns=patterns,
        examples=examples,
        exclude=exclude,
        counter_examples=_strings(where, raw, "counter_examples"),
        regex=_compile_all(where, patterns),
        exclude_regex=_compile_all(where, exclude) if exclude else _NEVER,
    )


def _compile_all(where: str, patterns: tuple[str, ...]) -> re.Pattern[str]:
    sources = []
    for pattern in patterns:
        try:
            sources.append(_pattern_body(pattern))
        except ValueError as exc:
            raise TextDataError(f"{where}: bad pattern {exc}") from exc
    return re.compile(_bounded("|".join(sources)), re.IGNORECASE)


def _strings(where: str, raw: dict, key: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TextDataError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)
