"""Spot safeguarding disclosures in a young person's free-text answer.

Every free-text answer goes through `scan`. A hit raises an alert for the duty
manager, so the one rule that shapes everything here is that missing a
disclosure is far worse than a false alarm: when in doubt, flag.

How a message is read:

1. Normalise: lowercase, fold accents and curly apostrophes, split contractions
   ("don't" -> "do not", so negation is always the word "not"), expand
   text-speak from the phrase file ("wanna" -> "want to", "kms" -> "kill
   myself"), read digits-as-letters ("k1ll" -> "kill") and let "*" stand for
   any letter ("s*icide").
2. Each word carries a set of readings. Besides the word itself these are the
   phrase words it could be: the same word with letters stretched or doubled
   ("killlll", "kil" -> "kill"), and, for key words of five letters or more, a
   one-letter slip ("sucide", "suiside", "siucide" -> "suicide"), unless the
   word is a real word: a phrase word, a word in `not_typos`, or a word in the
   English word list that ships inside TextBlob (so "sitting" is never read
   as "hitting", nor "kissing" as "missing").
3. Phrases from `phrases.yaml` are compiled once into small matchers that walk
   the words with sets of positions (no regex, no backtracking), so the cost is
   linear in the length of the answer for each phrase that could possibly hit.
   A phrase is only tried when every word it needs appears in the answer.
4. A hit is dropped only when it lies wholly inside an everyday phrase ("this
   homework is killing me"), or when one of its own `negated_by` exceptions
   matches some of the same words ("nobody hurts me"). Neither reaches across
   a sentence or a comma, so "I want to die. My hair..." can't be explained
   away by "dye my hair". Everyday phrases apply to every entry, so they must
   contain the whole hit; an exception belongs to one entry and was written
   with that entry in mind, so sharing words with it is enough.

This module imports nothing from Flask so it can run from a CLI and in tests
on its own.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from outcomes.text.language import is_english, spelling_words

PHRASE_CATEGORIES: tuple[str, ...] = (
    "suicide-self-harm",
    "abuse",
    "exploitation",
    "missing-or-held",
    "threats-weapons",
    "trafficking",
    "not-safe",
)
# The phrases read English only. An answer in another language is never passed as read:
# it is flagged for a person to read ("worrying": read the same day), under a category of
# its own that the phrase file does not define.
ANOTHER_LANGUAGE = "another-language"
ANOTHER_LANGUAGE_LABEL = "Written in another language: needs a human read"
CATEGORIES: tuple[str, ...] = (*PHRASE_CATEGORIES, ANOTHER_LANGUAGE)

# How urgent a hit is. "danger-now" (a threat to life, weapons, being held, a plan to
# end one's life) tells the duty manager at once and escalates within minutes;
# "worrying" is read the same day. The phrase file says which entries are which: a
# category has a level, and an entry may name its own.
LEVELS: tuple[str, ...] = ("danger-now", "worrying")
DEFAULT_LEVEL = "worrying"

DEFAULT_PATH = Path(__file__).with_name("phrases.yaml")


class PhraseFileError(ValueError):
    """The phrase file cannot be used; the message names the entry at fault."""


@dataclass(frozen=True)
class Scan:
    text: str
    flag: bool
    categories: tuple[str, ...]
    matched: tuple[str, ...]
    # The most urgent level of the entries that hit; None when nothing flagged.
    level: str | None = None


def scan(text: str) -> Scan:
    """Scan one free-text answer with the default phrase file."""
    return load_phrases().scan(text)


def scan_to_json(s: Scan) -> dict:
    return {
        "text": s.text,
        "flag": s.flag,
        "categories": list(s.categories),
        "matched": list(s.matched),
        "level": s.level,
    }


def load_phrases(path: str | Path | None = None) -> PhraseBook:
    """Load and validate a phrase file; the default file is loaded once."""
    if path is None:
        return _default_book()
    return _load(Path(path))


@functools.cache
def _default_book() -> PhraseBook:
    return _load(DEFAULT_PATH)


# --------------------------------------------------------------------------
# Normalising text

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
# Sentence and clause breaks: everyday phrases and exceptions may not reach
# across them. Commas count, which keeps an excuse from swallowing a clause.
_PIECE = re.compile(r"[a-z0-9@$*!']+|[.?;:,\n\r]")
_BREAK_CHARS = frozenset(".?;:,\n\r")
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
_LEET_CHARS = frozenset(_LEET)
_IS_AFTER = frozenset(
    [
        "he",
        "she",
        "it",
        "that",
        "there",
        "what",
        "who",
        "where",
        "here",
        "how",
        "everyone",
        "someone",
        "somebody",
        "nobody",
    ]
)
_NT_STEMS = {"ca": "can", "wo": "will", "ai": "is", "sha": "shall"}
DETERMINERS = frozenset(
    [
        "my",
        "his",
        "her",
        "their",
        "our",
        "your",
        "the",
        "a",
        "an",
        "some",
        "this",
        "that",
        "these",
        "those",
        "any",
        "one",
    ]
)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", text).lower()


def _squash(word: str) -> str:
    """Collapse every run of a repeated letter: "sooo" and "so" agree."""
    return re.sub(r"(.)\1+", r"\1", word)


def _split_contraction(word: str) -> list[str]:
    if "'" not in word:
        return [word]
    if word.endswith("n't"):
        stem = word[:-3]
        stem = _NT_STEMS.get(stem, stem)
        return [stem, "not"] if stem else ["not"]
    for ending, full in (
        ("'m", "am"),
        ("'re", "are"),
        ("'ll", "will"),
        ("'ve", "have"),
        ("'d", "would"),
    ):
        if word.endswith(ending) and len(word) > len(ending):
            return [word[: -len(ending)], full]
    if word.endswith("'s") and len(word) > 2:
        stem = word[:-2]
        return [stem, "is"] if stem in _IS_AFTER else [stem]
    return [word.replace("'", "")]


def _leet_readings(word: str) -> set[str]:
    if not (_LEET_CHARS & set(word)) or not re.search("[a-z]", word):
        return set()
    readings = {"".join(_LEET.get(c, c) for c in word)}
    if "1" in word:  # "ki11" as often as "k1ll"
        readings.add("".join("l" if c == "1" else _LEET.get(c, c) for c in word))
    return readings


def _raw_words(text: str) -> Iterator[str | None]:
    """Yield words in order, and None at each clause break."""
    for piece in _PIECE.findall(text):
        if piece in _BREAK_CHARS:
            yield None
            continue
        word = piece.strip("!'*")
        if word:
            yield word
        if piece.endswith("!"):
            yield None


def _within_one(a: str, b: str) -> bool:
    """True when a and b differ by one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    if la == lb:
        diff = [i for i in range(la) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if la > lb:
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True)
class _Document:
    keys: tuple[frozenset[str], ...]
    clauses: tuple[int, ...]
    vocabulary: frozenset[str]


# --------------------------------------------------------------------------
# The phrase language
#
# words            must appear in this order, as whole words
# (a|b c)          one of several choices
# [a|b]            optional: may be there or not
# {someone}        a person: "him", "my stepdad", "his older mates"...
# {something}      any one to three words
# {anything}       any run of up to four words, or none

_WILDCARDS = {"someone", "something", "anything"}
_GAPS = {"something": (1, 3), "anything": (0, 4)}
_PATTERN_LEX = re.compile(r"\{[^{}]*\}|[()\[\]|]|[^(){}\[\]|]+|.")
_REGEX_LOOKALIKE = re.compile(r"[\\^*+?<>=~{}]")


class _Element:
    min_len = 1

    def step(self, doc: _Document, at: set[int]) -> set[int]:
        raise NotImplementedError

    def required(self) -> list[frozenset[str]]:
        """Sets of words of which the text must contain at least one each."""
        return []

    def first(self) -> frozenset[str] | None:
        """The words a match can start with; None when it could be any word."""
        return None

    def words(self) -> Iterator[str]:
        return iter(())


@dataclass
class _Word(_Element):
    word: str

    def step(self, doc: _Document, at: set[int]) -> set[int]:
        n = len(doc.keys)
        return {p + 1 for p in at if p < n and self.word in doc.keys[p]}

    def required(self) -> list[frozenset[str]]:
        return [frozenset((self.word,))]

    def first(self) -> frozenset[str] | None:
        return frozenset((self.word,))

    def words(self) -> Iterator[str]:
        yield self.word


@dataclass
class _Seq(_Element):
    items: list[_Element]

    def __post_init__(self) -> None:
        self.min_len = sum(item.min_len for item in self.items)

    def step(self, doc: _Document, at: set[int]) -> set[int]:
        for item in self.items:
            at = item.step(doc, at)
            if not at:
                break
        return at

    def required(self) -> list[frozenset[str]]:
        return [req for item in self.items for req in item.required()]

    def first(self) -> frozenset[str] | None:
        starts: set[str] = set()
        for item in self.items:
            item_first = item.first()
            if item_first is None:
                return None
            starts |= item_first
            if item.min_len:
                return frozenset(starts)
        return None

    def words(self) -> Iterator[str]:
        for item in self.items:
            yield from item.words()


@dataclass
class _Choice(_Element):
    options: list[_Seq]
    optional: bool

    def __post_init__(self) -> None:
        self.min_len = 0 if self.optional else min(o.min_len for o in self.options)

    def step(self, doc: _Document, at: set[int]) -> set[int]:
        out = set(at) if self.optional else set()
        for option in self.options:
            out |= option.step(doc, at)
        return out

    def required(self) -> list[frozenset[str]]:
        if self.optional:
            return []
        union: set[str] = set()
        for option in self.options:
            reqs = option.required()
            if not reqs:
                return []
            union |= reqs[0]
        return [frozenset(union)]

    def first(self) -> frozenset[str] | None:
        starts: set[str] = set()
        for option in self.options:
            option_first = option.first()
            if option_first is None:
                return None
            starts |= option_first
        return frozenset(starts)

    def words(self) -> Iterator[str]:
        for option in self.options:
            yield from option.words()


@dataclass
class _Gap(_Element):
    low: int
    high: int

    def __post_init__(self) -> None:
        self.min_len = self.low

    def step(self, doc: _Document, at: set[int]) -> set[int]:
        n = len(doc.keys)
        return {p + k for p in at for k in range(self.low, self.high + 1) if p + k <= n}


@dataclass
class _Someone(_Element):
    """A person: [determiner] [up to two describing words] person-word."""

    people: frozenset[str]

    def step(self, doc: _Document, at: set[int]) -> set[int]:
        keys, n = doc.keys, len(doc.keys)
        out: set[int] = set()
        for p in at:
            # Without a determiner one describing word ("older lads"); after
            # one, two ("my mum's new boyfriend").
            starts = [(p, 1)]
            if p < n and keys[p] & DETERMINERS:
                starts.append((p + 1, 2))
            for q, describing in starts:
                for k in range(describing + 1):
                    if q + k < n and keys[q + k] & self.people:
                        out.add(q + k + 1)
        return out

    def required(self) -> list[frozenset[str]]:
        return [self.people]

    def words(self) -> Iterator[str]:
        yield from self.people


class _PatternSyntaxError(Exception):
    pass


class _Normaliser:
    """Turns text, and the words of phrases, into lists of word readings."""

    def __init__(self, spellings: dict[str, tuple[str, ...]]):
        self.spellings = spellings
        squashed: dict[str, set[str]] = {}
        for written in spellings:
            if len(written) >= 3:
                squashed.setdefault(_squash(written), set()).add(written)
        self.squashed_spellings = {k: v.pop() for k, v in squashed.items() if len(v) == 1}

    def spelling(self, word: str) -> tuple[str, ...] | None:
        if word in self.spellings:
            return self.spellings[word]
        written = self.squashed_spellings.get(_squash(word))
        return self.spellings[written] if written else None

    def pattern_words(self, chunk: str) -> list[str]:
        """Phrase words read the same way a message is, one reading each."""
        out: list[str] = []
        for raw in _raw_words(_fold(chunk)):
            if raw is None:
                continue
            for part in _split_contraction(raw):
                out.extend(self.spelling(part) or (part,))
        return out

    def text_readings(self, text: str) -> tuple[list[set[str]], list[int]]:
        readings: list[set[str]] = []
        clauses: list[int] = []
        clause = 0
        for raw in _raw_words(_fold(text)):
            if raw is None:
                clause += 1
                continue
            for part in _split_contraction(raw):
                for word_readings in self._word(part):
                    readings.append(word_readings)
                    clauses.append(clause)
        return readings, clauses

    def _word(self, word: str) -> list[set[str]]:
        spelled = self.spelling(word)
        if spelled and len(spelled) > 1:
            return [{w} for w in spelled]
        readings = {word}
        if spelled:
            readings.add(spelled[0])
        for leet in _leet_readings(word):
            leet_spelled = self.spelling(leet)
            if leet_spelled and len(leet_spelled) > 1:
                return [{w} for w in leet_spelled]
            readings.add(leet)
            if leet_spelled:
                readings.add(leet_spelled[0])
        return [readings]


def _parse_pattern(source: str, normaliser: _Normaliser, people: frozenset[str]) -> _Seq:
    lexemes = [piece for piece in _PATTERN_LEX.findall(source) if piece.strip()]
    pos = 0

    def peek() -> str | None:
        return lexemes[pos].strip() if pos < len(lexemes) else None

    def parse_seq(stops: set[str]) -> _Seq:
        nonlocal pos
        items: list[_Element] = []
        while (lexeme := peek()) is not None and lexeme not in stops:
            pos += 1
            if lexeme in ("(", "["):
                close = ")" if lexeme == "(" else "]"
                options = [parse_seq({"|", close})]
                while peek() == "|":
                    pos += 1
                    options.append(parse_seq({"|", close}))
                if peek() != close:
                    raise _PatternSyntaxError(f"'{lexeme}' is never closed with '{close}'")
                pos += 1
                if any(not option.items for option in options):
                    raise _PatternSyntaxError(
                        f"a choice in '{lexeme}...{close}' is empty; "
                        "to make words optional put them in [square brackets]"
                    )
                items.append(_Choice(options, optional=lexeme == "["))
            elif lexeme.startswith("{"):
                if not lexeme.endswith("}") or len(lexeme) == 1:
                    raise _PatternSyntaxError("'{' is never closed with '}'")
                name = lexeme[1:-1].strip()
                if name not in _WILDCARDS:
                    known = ", ".join("{" + w + "}" for w in sorted(_WILDCARDS))
                    raise _PatternSyntaxError(f"unknown wildcard {lexeme}; use one of {known}")
                items.append(_Someone(people) if name == "someone" else _Gap(*_GAPS[name]))
            elif lexeme in (")", "]", "|"):
                if lexeme == "|":
                    raise _PatternSyntaxError(
                        "'|' separates choices only inside (round) or [square] brackets"
                    )
                raise _PatternSyntaxError(f"'{lexeme}' has no opening bracket")
            else:
                if bad := _REGEX_LOOKALIKE.search(lexeme):
                    raise _PatternSyntaxError(
                        f"'{bad.group()}' is not allowed: write plain words, (a|b) for "
                        "choices, [word] for optional words and {someone}, {something} "
                        "or {anything} for gaps"
                    )
                items.extend(_Word(w) for w in normaliser.pattern_words(lexeme))
        return _Seq(items)

    seq = parse_seq(set())
    if peek() is not None:
        raise _PatternSyntaxError(f"'{peek()}' has no opening bracket")
    if seq.min_len == 0:
        raise _PatternSyntaxError("the phrase has no words that must be there")
    for end in (seq.items[0], seq.items[-1]):
        if isinstance(end, _Gap):
            raise _PatternSyntaxError(
                "a phrase may not start or end with {something} or {anything}: "
                "it adds nothing there and could hide a disclosure next to it"
            )
    return seq


@dataclass
class _Pattern:
    source: str
    seq: _Seq
    required: list[frozenset[str]] = field(init=False)
    first: frozenset[str] | None = field(init=False)

    def __post_init__(self) -> None:
        self.required = self.seq.required()
        self.first = self.seq.first()

    def could_match(self, doc: _Document) -> bool:
        return all(not req.isdisjoint(doc.vocabulary) for req in self.required)

    def spans(
        self, doc: _Document, *, shortest: bool, one_clause: bool = False
    ) -> Iterator[tuple[int, int]]:
        if not self.could_match(doc):
            return
        if self.first is None:
            starts: Iterable[int] = range(len(doc.keys))
        else:
            starts = [i for i, keys in enumerate(doc.keys) if not keys.isdisjoint(self.first)]
        for start in starts:
            ends = self.seq.step(doc, {start})
            if one_clause:
                ends = {e for e in ends if doc.clauses[e - 1] == doc.clauses[start]}
            if ends:
                yield start, (min(ends) if shortest else max(ends))


@dataclass
class PhraseEntry:
    category: str
    phrase: _Pattern
    examples: tuple[str, ...]
    negated_by: tuple[_Pattern, ...] = ()
    not_examples: tuple[str, ...] = ()
    level: str = DEFAULT_LEVEL

    @property
    def text(self) -> str:
        return self.phrase.source


@dataclass
class EverydayEntry:
    phrase: _Pattern
    examples: tuple[str, ...]

    @property
    def text(self) -> str:
        return self.phrase.source


def _covered(span: tuple[int, int], covers: Iterable[tuple[int, int]]) -> bool:
    start, end = span
    return any(a <= start and end <= b for a, b in covers)


def _overlapped(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> bool:
    start, end = span
    return any(a < end and start < b for a, b in others)


class PhraseBook:
    """A validated, compiled phrase file."""

    def __init__(
        self,
        *,
        labels: dict[str, str],
        entries: list[PhraseEntry],
        everyday: list[EverydayEntry],
        normaliser: _Normaliser,
        people: frozenset[str],
        not_typos: frozenset[str],
    ):
        self.labels = labels
        self.entries = entries
        self.everyday = everyday
        self._normaliser = normaliser
        vocab: set[str] = set(people) | DETERMINERS
        for entry in entries:
            vocab.update(entry.phrase.seq.words())
            for negation in entry.negated_by:
                vocab.update(negation.seq.words())
        for item in everyday:
            vocab.update(item.phrase.seq.words())
        self._vocab = frozenset(vocab)
        self._real_words = self._vocab | not_typos | spelling_words()
        self._by_squash: dict[str, set[str]] = {}
        self._by_length: dict[int, list[str]] = {}
        self._fuzzy_index: dict[str, set[str]] = {}
        for word in self._vocab:
            self._by_squash.setdefault(_squash(word), set()).add(word)
            self._by_length.setdefault(len(word), []).append(word)
            if len(word) >= 5 and word.isalpha():
                for variant in _deletes(word) | {word}:
                    self._fuzzy_index.setdefault(variant, set()).add(word)
        self._keys_cache: dict[frozenset[str], frozenset[str]] = {}

    # -- reading a message

    def _keys(self, readings: frozenset[str]) -> frozenset[str]:
        cached = self._keys_cache.get(readings)
        if cached is not None:
            return cached
        keys = set(readings)
        for reading in readings:
            keys |= self._by_squash.get(_squash(reading), set())
        known = readings & self._real_words
        if not known:
            for reading in readings:
                if "*" in reading:
                    keys |= self._starred(reading)
                elif len(reading) >= 4 and reading.isalpha():
                    keys |= self._slips(reading) | self._slips(_squash(reading))
        result = frozenset(keys)
        if len(self._keys_cache) < 50_000:
            self._keys_cache[readings] = result
        return result

    def _slips(self, word: str) -> set[str]:
        found: set[str] = set()
        for probe in _deletes(word) | {word}:
            for candidate in self._fuzzy_index.get(probe, ()):
                if _within_one(word, candidate):
                    found.add(candidate)
        return found

    def _starred(self, word: str) -> set[str]:
        shape = re.compile(re.escape(word).replace(r"\*", "."))
        return {w for w in self._by_length.get(len(word), ()) if shape.fullmatch(w)}

    def _document(self, text: str) -> _Document:
        readings, clauses = self._normaliser.text_readings(text)
        keys = tuple(self._keys(frozenset(r)) for r in readings)
        vocabulary = frozenset().union(*keys) if keys else frozenset()
        return _Document(keys, tuple(clauses), vocabulary)

    # -- scanning

    def scan(self, text: str) -> Scan:
        if not isinstance(text, str):
            raise TypeError(f"scan() needs text, not {type(text).__name__}")
        doc = self._document(text)
        # Read by a person too, whatever the phrases find in it (an answer in two
        # languages may hold a disclosure in English and another in Urdu).
        hit_categories: set[str] = set() if is_english(text) else {ANOTHER_LANGUAGE}
        hit_levels: set[str] = {DEFAULT_LEVEL} if hit_categories else set()
        excuses: list[tuple[int, int]] | None = None
        matched: list[str] = []
        for entry in self.entries if doc.keys else ():
            spans = list(entry.phrase.spans(doc, shortest=True))
            if not spans:
                continue
            if excuses is None:
                excuses = [
                    span
                    for item in self.everyday
                    for span in item.phrase.spans(doc, shortest=False, one_clause=True)
                ]
            exceptions = [
                span
                for negation in entry.negated_by
                for span in negation.spans(doc, shortest=False, one_clause=True)
            ]
            if any(not _covered(s, excuses) and not _overlapped(s, exceptions) for s in spans):
                hit_categories.add(entry.category)
                hit_levels.add(entry.level)
                matched.append(entry.text)
        categories = tuple(c for c in CATEGORIES if c in hit_categories)
        level = next((lv for lv in LEVELS if lv in hit_levels), None)
        return Scan(text, bool(categories), categories, tuple(matched), level)

    def everyday_matches(self, text: str) -> tuple[str, ...]:
        """The everyday phrases found in text (to explain why nothing flagged)."""
        doc = self._document(text)
        return tuple(
            item.text
            for item in self.everyday
            if any(True for _ in item.phrase.spans(doc, shortest=False, one_clause=True))
        )


def example_problems(book: PhraseBook) -> list[str]:
    """Every example in the file that does not behave as the file says.

    Run after editing the phrase file: an entry whose own example does not
    flag is not protecting anyone.
    """
    problems: list[str] = []
    for entry in book.entries:
        problems.extend(entry_problems(book, entry))
    for item in book.everyday:
        problems.extend(everyday_problems(book, item))
    return problems


def entry_problems(book: PhraseBook, entry: PhraseEntry) -> list[str]:
    problems = []
    for example in entry.examples:
        result = book.scan(example)
        if entry.text not in result.matched:
            problems.append(
                f"{entry.category}: phrase {entry.text!r} does not flag its example "
                f"{example!r} (flagged: {list(result.matched)})"
            )
    for example in entry.not_examples:
        if entry.text in book.scan(example).matched:
            problems.append(
                f"{entry.category}: phrase {entry.text!r} still flags {example!r}, "
                "which its negated_by should excuse"
            )
    return problems


def everyday_problems(book: PhraseBook, item: EverydayEntry) -> list[str]:
    problems = []
    for example in item.examples:
        if item.text not in book.everyday_matches(example):
            problems.append(
                f"everyday: phrase {item.text!r} does not match its example {example!r}"
            )
        result = book.scan(example)
        if result.flag:
            problems.append(f"everyday: example {example!r} still flags {list(result.matched)}")
    return problems


# --------------------------------------------------------------------------
# Loading and validating the file

# The C loader is ten times faster; both are safe loaders.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TOP_KEYS = {"text_speak", "someone", "not_typos", "everyday", "categories"}
_CATEGORY_KEYS = {"label", "level", "phrases"}
_ENTRY_KEYS = {"phrase", "examples", "negated_by", "not_examples", "level"}
_EVERYDAY_KEYS = {"phrase", "examples"}


def _load(path: Path) -> PhraseBook:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PhraseFileError(f"{path}: cannot read the phrase file: {exc}") from exc
    try:
        data = yaml.load(raw, Loader=_YAML_LOADER)  # noqa: S506  # nosec B506  # a safe loader, C or Python
    except yaml.YAMLError as exc:
        raise PhraseFileError(f"{path}: not valid YAML: {exc}") from exc
    return _build(data, str(path))


def _build(data: object, name: str) -> PhraseBook:
    def fail(where: str, problem: str) -> PhraseFileError:
        return PhraseFileError(f"{name}: {where}: {problem}")

    def mapping(value: object, where: str, allowed: set[str], needed: set[str]) -> dict:
        if not isinstance(value, dict):
            raise fail(where, "should be a set of 'name: value' lines")
        unknown = set(map(str, value)) - allowed
        if unknown:
            raise fail(where, f"unknown key(s) {sorted(unknown)}; expected {sorted(allowed)}")
        missing = needed - set(value)
        if missing:
            raise fail(where, f"missing {sorted(missing)}")
        return value

    def texts(value: object, where: str, *, allow_empty: bool = False) -> tuple[str, ...]:
        if value is None and allow_empty:
            return ()
        if not isinstance(value, list) or (not value and not allow_empty):
            raise fail(where, "should be a list of one or more '- ...' lines")
        for i, item in enumerate(value, 1):
            if not isinstance(item, str) or not item.strip():
                raise fail(where, f"item {i} should be some words in quotes, not {item!r}")
        return tuple(item.strip() for item in value)

    def single_words(value: object, where: str) -> list[str]:
        words = texts(value, where, allow_empty=True)
        for word in words:
            if not re.fullmatch(r"[a-z0-9']+", _fold(word)):
                raise fail(where, f"{word!r} should be one word")
        return [_fold(w) for w in words]

    def level_of(value: dict, where: str, default: str) -> str:
        level = value.get("level", default)
        if level not in LEVELS:
            raise fail(where + " › level", f"should be one of {', '.join(LEVELS)}")
        return level

    top = mapping(data, "the file", _TOP_KEYS, {"categories", "everyday"})

    speak = top.get("text_speak") or {}
    if not isinstance(speak, dict):
        raise fail("text_speak", "should be lines of 'written: meant'")
    spellings: dict[str, tuple[str, ...]] = {}
    for written, meant in speak.items():
        where = f"text_speak › {written!r}"
        if not isinstance(written, str) or not re.fullmatch(r"[a-z0-9@$']+", _fold(written)):
            raise fail(where, "the written form should be one word")
        if not isinstance(meant, str) or not meant.strip():
            raise fail(where, "should say what the word means, in quotes")
        words = [
            part
            for raw in _raw_words(_fold(meant))
            if raw is not None
            for part in _split_contraction(raw)
        ]
        if not words:
            raise fail(where, "should say what the word means, in words")
        spellings[_fold(written)] = tuple(words)
    normaliser = _Normaliser(spellings)

    people = frozenset(
        w
        for word in single_words(top.get("someone"), "someone")
        for w in normaliser.pattern_words(word)
    )
    if not people:
        raise fail("someone", "needs at least one word for {someone} to stand for")
    not_typos = frozenset(single_words(top.get("not_typos"), "not_typos"))

    seen: dict[str, str] = {}

    def pattern(source: str, where: str) -> _Pattern:
        try:
            return _Pattern(source, _parse_pattern(source, normaliser, people))
        except _PatternSyntaxError as exc:
            raise fail(where, str(exc)) from None

    def unique(source: str, where: str) -> None:
        key = " ".join(source.lower().split())
        if key in seen:
            raise fail(where, f"the same phrase is already at {seen[key]}")
        seen[key] = where

    everyday_raw = top.get("everyday")
    if not isinstance(everyday_raw, list) or not everyday_raw:
        raise fail("everyday", "should be a list of entries, each starting '- phrase:'")
    everyday: list[EverydayEntry] = []
    for i, item in enumerate(everyday_raw, 1):
        where = f"everyday › entry {i}"
        if isinstance(item, dict) and isinstance(item.get("phrase"), str):
            where += f" ({item['phrase'].strip()!r})"
        item = mapping(item, where, _EVERYDAY_KEYS, _EVERYDAY_KEYS)
        source = texts([item["phrase"]], where + " › phrase")[0]
        unique(source, where)
        everyday.append(
            EverydayEntry(pattern(source, where), texts(item["examples"], where + " › examples"))
        )

    categories = mapping(
        top["categories"], "categories", set(PHRASE_CATEGORIES), set(PHRASE_CATEGORIES)
    )
    labels: dict[str, str] = {}
    entries: list[PhraseEntry] = []
    for code in PHRASE_CATEGORIES:
        where_cat = f"categories › {code}"
        cat = mapping(categories[code], where_cat, _CATEGORY_KEYS, {"label", "phrases"})
        labels[code] = texts([cat["label"]], where_cat + " › label")[0]
        category_level = level_of(cat, where_cat, DEFAULT_LEVEL)
        if not isinstance(cat["phrases"], list) or not cat["phrases"]:
            raise fail(
                where_cat + " › phrases", "should be a list of entries, each starting '- phrase:'"
            )
        for i, item in enumerate(cat["phrases"], 1):
            where = f"{where_cat} › entry {i}"
            if isinstance(item, dict) and isinstance(item.get("phrase"), str):
                where += f" ({item['phrase'].strip()!r})"
            item = mapping(item, where, _ENTRY_KEYS, {"phrase", "examples"})
            source = texts([item["phrase"]], where + " › phrase")[0]
            unique(source, where)
            negated_by = texts(item.get("negated_by"), where + " › negated_by", allow_empty=True)
            not_examples = texts(
                item.get("not_examples"), where + " › not_examples", allow_empty=True
            )
            if negated_by and not not_examples:
                raise fail(
                    where,
                    "has negated_by but no not_examples: give at least one message the "
                    "exception should excuse, so it can be tested",
                )
            entries.append(
                PhraseEntry(
                    category=code,
                    phrase=pattern(source, where),
                    examples=texts(item["examples"], where + " › examples"),
                    negated_by=tuple(pattern(n, f"{where} › negated_by {n!r}") for n in negated_by),
                    not_examples=not_examples,
                    level=level_of(item, where, category_level),
                )
            )
    labels[ANOTHER_LANGUAGE] = ANOTHER_LANGUAGE_LABEL
    return PhraseBook(
        labels=labels,
        entries=entries,
        everyday=everyday,
        normaliser=normaliser,
        people=people,
        not_typos=not_typos,
    )
