import re
from pathlib import Path

import pytest
import yaml

import outcomes
from outcomes.text import (
    FRAMEWORK_DOMAINS,
    Analysis,
    TextDataError,
    ThemeMention,
    analyse,
    analysis_to_json,
    load_themes,
    read_themes,
)
from outcomes.text.patterns import compile_pattern
from tests.outcomes.text.examples import THEME_EXAMPLES

THEMES = load_themes()
BY_CODE = {t.code: t for t in THEMES}
EXAMPLES = [(t, e) for t in THEMES for e in t.examples]
COUNTER_EXAMPLES = [(t, e) for t in THEMES for e in t.counter_examples]


def _codes(text: str) -> list[str]:
    return analysis_to_json(analyse(text))["themes"]


def _mentions(text: str) -> set[tuple[str, str]]:
    return {(m.code, m.sentiment) for m in analyse(text).themes}


# --- The taxonomy --------------------------------------------------------------------


def test_the_taxonomy_has_the_themes_the_service_asked_for():
    assert {
        "listened-to",
        "trust-in-worker",
        "school-college",
        "police",
        "waiting",
        "worker-changes",
        "family",
        "feeling-safe",
        "activities",
        "money-housing",
        "mental-health",
        "judged-blamed",
        "contact-meetings",
        "going-missing",
        "drugs-alcohol",
        "hopes-future",
    } <= set(BY_CODE)


def test_every_theme_is_tied_to_a_framework_domain():
    assert {t.domain for t in THEMES} <= FRAMEWORK_DOMAINS


def test_the_domain_list_matches_the_framework_definitions():
    # Themes are reported under framework domains; a domain renamed in the framework
    # and not here would orphan them.
    definitions = Path(outcomes.__file__).parent / "definitions" / "frameworks"
    files = sorted(definitions.glob("*.yaml"))
    if not files:
        pytest.skip("no framework definition files yet")
    # Every version's domains are known here, and every domain here is in some version
    # (version 2 added "experience" and "family-experience").
    seen: set[str] = set()
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        domains = {d["code"] for d in data["domains"]}
        assert domains <= FRAMEWORK_DOMAINS, path.name
        seen |= domains
    assert seen == FRAMEWORK_DOMAINS


@pytest.mark.parametrize(
    ("theme", "example"), EXAMPLES, ids=[f"{t.code}:{e[:30]}" for t, e in EXAMPLES]
)
def test_each_example_is_a_mention_of_its_theme(theme, example):
    assert theme.matches(example)
    assert theme.code in _codes(example)


@pytest.mark.parametrize(
    ("theme", "example"),
    COUNTER_EXAMPLES,
    ids=[f"{t.code}:{e[:30]}" for t, e in COUNTER_EXAMPLES],
)
def test_each_counter_example_is_not_a_mention(theme, example):
    assert not theme.matches(example)
    assert theme.code not in _codes(example)


@pytest.mark.parametrize("word", ["listen", "listens", "listened", "listening", "LISTENING"])
def test_a_stem_catches_every_ending(word):
    assert BY_CODE["listened-to"].matches(f"she {word} to me")


@pytest.mark.parametrize("text", ["the lights glisten", "she enlisted me"])
def test_a_stem_only_matches_at_the_start_of_a_word(text):
    assert not BY_CODE["listened-to"].matches(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I can't wait for the next trip", False),
        ("I cant wait for the next trip", False),
        ("still waiting to hear back", True),
        ("she's safe", False),
        ("I feel safe at home now", True),
        ("I am missing my mum", False),
        ("I went missing twice", True),
    ],
)
def test_excluded_phrases_are_not_mentions(text, expected):
    codes = set(_codes(text))
    assert bool(codes & {"waiting", "feeling-safe", "going-missing"}) is expected


# --- The pattern language ------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text", "hit"),
    [
        ("self harm*", "I stopped self-harming", True),
        ("self harm*", "I stopped self  harming", True),
        ("didn't come home", "I didnt come home", True),
        ("didn't come home", "I didn\u2019t come home", True),
        ("turn* ... late", "she turned up really late", True),
        ("turn* ... late", "she turned late", True),
        ("turn* ... late", "she turned up one two three four late", False),
        ("a&e", "we sat in A&E all night", True),
        ("court", "the courtyard", False),
        ("court*", "the courtyard", True),
    ],
)
def test_patterns(pattern, text, hit):
    regex = re.compile(compile_pattern(pattern), re.IGNORECASE)
    assert bool(regex.search(text.replace("\u2019", "'"))) is hit


@pytest.mark.parametrize(
    "pattern", ["", "...", "... late", "late ...", "a ... ... b", "list*en", "wait!", "(a|b)"]
)
def test_malformed_patterns_are_refused(pattern):
    with pytest.raises(ValueError):
        compile_pattern(pattern)


# --- Mentions carry the sentiment of their clause ------------------------------------


@pytest.mark.parametrize(("text", "expected"), THEME_EXAMPLES)
def test_each_theme_carries_the_feeling_of_the_words_around_it(text, expected):
    assert _mentions(text) == expected


def test_a_theme_felt_two_ways_is_listed_once_per_feeling():
    result = analyse("The police were rubbish. The police officer at court was kind though.")
    police = [m.sentiment for m in result.themes if m.code == "police"]
    assert police == ["negative", "positive"]
    assert _codes("The police were rubbish. The police at court were kind though.") == ["police"]


def test_mentions_come_in_the_order_they_are_written():
    assert _codes("I got into college, my mum is proud, and the police leave me alone") == [
        "school-college",
        "family",
        "hopes-future",
        "police",
    ]


def test_mention_fields_come_from_the_taxonomy():
    (mention,) = analyse("the police were rubbish").themes
    theme = BY_CODE["police"]
    assert mention == ThemeMention(theme.code, theme.label, theme.domain, "negative")


def test_text_with_no_theme_has_none():
    assert analyse("ok").themes == ()
    assert analyse("").themes == ()


# --- The JSON the CLI prints ---------------------------------------------------------


def test_analysis_to_json_has_exactly_the_cli_fields():
    text = "My worker is sick but the waiting list is long"
    data = analysis_to_json(analyse(text))
    assert data == {
        "text": text,
        "sentiment": "mixed",
        "polarity": pytest.approx(0.15),
        "themes": ["trust-in-worker", "waiting"],
    }
    assert list(data) == ["text", "sentiment", "polarity", "themes"]


def test_analysis_to_json_rounds_polarity_and_lists_each_code_once():
    analysis = Analysis(
        text="x",
        sentiment="mixed",
        polarity=0.123456,
        themes=(
            ThemeMention("police", "Police", "safety", "negative"),
            ThemeMention("police", "Police", "safety", "positive"),
        ),
    )
    assert analysis_to_json(analysis) == {
        "text": "x",
        "sentiment": "mixed",
        "polarity": 0.123,
        "themes": ["police"],
    }


# --- Validating the taxonomy file ----------------------------------------------------

_GOOD_THEME = """
  - code: police
    label: Police
    domain: safety
    patterns: [police*]
    examples: [the police came]
"""


def _themes_file(tmp_path, themes: str) -> Path:
    path = tmp_path / "themes_under_test.yaml"
    path.write_text("themes:" + themes, encoding="utf-8")
    return path


def test_a_valid_taxonomy_loads(tmp_path):
    (theme,) = read_themes(_themes_file(tmp_path, _GOOD_THEME))
    assert theme.code == "police"
    assert theme.matches("The POLICE came round")


@pytest.mark.parametrize(
    ("themes", "message"),
    [
        (
            _GOOD_THEME.replace("domain: safety", "domain: saftey"),
            r"theme 1 \('police'\): unknown domain 'saftey'; expected one of .*safety",
        ),
        (
            _GOOD_THEME.replace("patterns: [police*]", "patterns: []"),
            r"theme 1 \('police'\): has no patterns",
        ),
        (
            _GOOD_THEME.replace("    patterns: [police*]\n", ""),
            r"theme 1 \('police'\): has no patterns",
        ),
        (
            _GOOD_THEME + _GOOD_THEME,
            r"theme 2 \('police'\): duplicate code, already used by theme 1",
        ),
        (
            _GOOD_THEME.replace("patterns: [police*]", "patterns: [police**]"),
            r"theme 1 \('police'\): bad pattern 'police\*\*'",
        ),
        (
            _GOOD_THEME.replace("examples: [the police came]", "examples: []"),
            r"theme 1 \('police'\): has no examples",
        ),
        (
            _GOOD_THEME.replace("code: police", "code: Police Stuff"),
            r"theme 1: 'code' must be lower-case words joined by hyphens",
        ),
        (
            _GOOD_THEME.replace("label: Police", "label: ''"),
            r"theme 1 \('police'\): 'label' must be a non-empty string",
        ),
        (
            _GOOD_THEME + "    keywords: [cops]\n",
            r"theme 1 \('police'\): unknown key\(s\) keywords",
        ),
        (
            _GOOD_THEME.replace("patterns: [police*]", "patterns: police*"),
            r"theme 1 \('police'\): 'patterns' must be a list",
        ),
        (
            _GOOD_THEME + "    exclude: [police ...]\n",
            r"theme 1 \('police'\): bad pattern",
        ),
        ("\n  - just a string", r"theme 1: expected a mapping"),
        (" {}", r"expected a non-empty 'themes:' list"),
    ],
)
def test_a_bad_taxonomy_is_rejected_naming_the_file_and_theme(tmp_path, themes, message):
    with pytest.raises(TextDataError, match=message) as caught:
        read_themes(_themes_file(tmp_path, themes))
    assert "themes_under_test.yaml" in str(caught.value)


def test_the_shipped_taxonomy_is_loaded_once():
    assert load_themes() is load_themes()
