"""Theme taxonomy for free-text answers, read from themes.yaml.

Each theme lists patterns in the phrase language of patterns.py ("listen*", "turn* ...
late"), and may list `exclude` patterns for phrases that look like a mention but are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from outcomes.text.patterns import Phrases
from outcomes.text.sentiment import TextDataError, read_yaml_file

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
        "experience",
        "family-experience",
    }
)

_CODE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
_THEME_KEYS = {"code", "label", "domain", "patterns", "exclude", "examples", "counter_examples"}


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    domain: str
    patterns: tuple[str, ...]
    examples: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    phrases: Phrases = field(default=Phrases(), repr=False, compare=False)

    def mentions(self, text: str) -> Iterator[re.Match[str]]:
        """Matches in text (offsets are text's own), leaving out excluded phrases."""
        return self.phrases.mentions(text)

    def matches(self, text: str) -> bool:
        return next(self.mentions(text), None) is not None


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
        phrases=_phrases(where, patterns, exclude),
    )


def _phrases(where: str, patterns: tuple[str, ...], exclude: tuple[str, ...]) -> Phrases:
    try:
        return Phrases.compile(patterns, exclude)
    except ValueError as exc:
        raise TextDataError(f"{where}: {exc}") from exc


def _strings(where: str, raw: dict[str, object], key: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TextDataError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)
