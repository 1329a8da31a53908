"""Sentiment of free-text answers, by rule.

TextBlob's PatternAnalyzer scores standard English, but it reads "sick" as ill, "long" as
a length, knows nothing of "peak" or "vexed", and finds no feeling in "still waiting for
someone to ring me back". Young people's answers are full of those, so each clause is
split between scorers: words in our youth lexicon and phrases in our cues (complaints and
praise with no feeling word in them) are hidden from TextBlob and scored from those
files, and TextBlob scores the rest. A negator reaches five words back (a matched phrase
counting as one), not past a comma or a conjunction; a turn ("but", "though") starts a
new clause, and a short one ("but they don't") takes back the clause before. Where these
rules are not sure of a comment, the classifier (classifier.py) decides.

Everything here is regex and TextBlob's bundled lexicon: NLTK corpora cannot be downloaded
on our machines, so nothing may touch them (no noun phrases, no punkt tokeniser).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeGuard

import yaml
from textblob.en import sentiment as pattern_sentiment

from outcomes.text.patterns import Phrases, normalise

LEXICON_PATH = Path(__file__).with_name("youth_lexicon.yaml")
CUES_PATH = Path(__file__).with_name("cues.yaml")

Label = Literal["positive", "negative", "mixed", "neutral"]
# What one clause, or one polarity, can say: only a whole text is mixed.
Leaning = Literal["positive", "negative", "neutral"]

# Below this a clause reads as flat: TextBlob gives faint scores to many plain words
# ("long" -0.05), and a tenth keeps those from tipping a label.
CLEAR = 0.1

# The rules are sure of a comment when every clause they scored is torn both ways, or
# one way at least this strongly (TextBlob's "lovely" is 0.5, "good" 0.7): there, their
# label stands. Chosen by cross-validation on the training part, among the values that
# keep the test examples right.
SURE = 0.5

# How strong a feeling must be, both ways, for one clause to count as mixed.
TORN = 0.4

# TextBlob's own convention for "not good" (slightly bad) and "not bad" (slightly good);
# using the same factor keeps lexicon words and TextBlob words on one scale.
NEGATED = -0.5

# How far back a negator reaches: "no one made me feel stupid" has four words in between.
NEGATION_REACH = 5
# How far ahead an intensifier reaches: "bare not good", "proper really nice".
INTENSIFIER_REACH = 2


def word_set(text: str) -> frozenset[str]:
    """Whitespace-separated words; long word lists read better as prose than as literals."""
    return frozenset(text.split())


NEGATORS = word_set(
    """
    not no never nothing nobody noone none neither nor without hardly barely rarely cannot
    zero
    less stopped
    isn't isnt wasn't wasnt aren't arent weren't werent ain't aint
    don't dont doesn't doesnt didn't didnt can't cant couldn't couldnt
    won't wont wouldn't wouldnt shouldn't shouldnt hasn't hasnt haven't havent hadn't hadnt
    """
)
# A negator does not carry over these: in "not late and sick" the "not" is about "late",
# and in "i don't know why she is so nice" it is about knowing.
_NEGATION_STOPS = word_set(
    "and or so because cos coz cuz if when then why who where which until since"
)
# A clause of only these, after a turn, takes back the clause before: "but it wasn't",
# "but they don't", "but it has".
_ELLIPSIS_SUBJECTS = word_set("it she he they we i you that this")
_ELLIPSIS_VERBS = word_set(
    """
    is isn't isnt was wasn't wasnt are aren't arent were weren't werent ain't aint
    does doesn't doesnt do don't dont did didn't didnt has hasn't hasnt have haven't
    havent had hadn't hadnt will won't wont would wouldn't wouldnt can can't cant could
    couldn't couldnt
    """
)
_ELLIPSIS_WORDS = _ELLIPSIS_SUBJECTS | _ELLIPSIS_VERBS | word_set("not never really actually even")
# "really helpful, not": a trailing "not" after a comma takes back what came before it.
_SARCASTIC_NOT = re.compile(r",\s*not\W*$", re.IGNORECASE)

# The words TextBlob negates with itself, right before the word it negates.
_TEXTBLOB_NEGATIONS = frozenset({"no", "not", "never", "n't"})

_EMOJI = r"[\u2600-\u27bf\U0001f000-\U0001faff]\ufe0f?"
_TOKEN = re.compile(rf"[a-z0-9]+(?:'[a-z]+)*|{_EMOJI}")

# Clauses end after sentence punctuation (kept, so TextBlob still sees "!"), at a spaced
# dash, and at the words that usually turn a comment from one side to the other. A colon
# or semicolon ends one only before a space, so ":(" and ";)" reach TextBlob whole.
_CLAUSE_BREAK = re.compile(
    r"(?<=[.!?\n])(?![.!?])"
    r"|(?<=[;:])(?=\s)"
    r"|\s[-\u2013\u2014]+\s"
    r"|\b(?:but|though|tho|although|however|whereas|except|shame)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w")
_PAUSE = re.compile(r"[,;()]")
# A clause needs a word or an emoji to be worth scoring: "👍👍" says something, "..." not.
_SAYS_SOMETHING = re.compile(rf"\w|{_EMOJI}")

# A lexicon word is swapped for this before TextBlob sees the clause: an unknown word of
# more than two letters ends TextBlob's negation and modifier runs, so "not sick" cannot
# leak a TextBlob negation onto a later word. Intensifiers are deleted instead, so that
# TextBlob still pairs "not" with "good" in "not bare good".
_HIDDEN = " zqxj "


class TextDataError(ValueError):
    """A text-analysis data file is malformed; the message names the file and entry."""


@dataclass(frozen=True)
class LexiconEntry:
    term: str
    meaning: str
    example: str
    polarity: float | None = None
    intensifier: float | None = None
    forms: tuple[str, ...] = ()
    except_after: frozenset[str] = frozenset()
    # A word with a feeling of its own that right before another scored word only
    # strengthens it: "the club was dead" against "she's dead nice".
    before_a_feeling: float | None = None
    before_a_feeling_example: str | None = None

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.term, *self.forms)


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[LexiconEntry, ...]
    by_key: Mapping[str, LexiconEntry] = field(repr=False, compare=False)
    regex: re.Pattern[str] = field(repr=False, compare=False)

    def entry_for(self, matched: str) -> LexiconEntry:
        return self.by_key[spelling_key(matched)]


@dataclass(frozen=True)
class Cue:
    """A phrase that tells how a comment feels without a feeling word in it: "still
    waiting", "had to tell my story again", "tick box"."""

    means: str
    polarity: float
    patterns: tuple[str, ...]
    examples: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    # What follows the cue in its clause is wished for, not what happened: "would be
    # nice if someone actually turned up" praises nobody.
    wish: bool = False
    phrases: Phrases = field(default=Phrases(), repr=False, compare=False)


@dataclass(frozen=True)
class ClauseScore:
    start: int
    end: int
    polarity: float
    scored: bool
    # Clearly good about one thing and clearly bad about another within the clause:
    # "trips are fun, meetings are boring".
    torn: bool = False

    @property
    def label(self) -> Leaning:
        return label_for(self.polarity)


@dataclass(frozen=True)
class TextScore:
    label: Label
    polarity: float
    clauses: tuple[ClauseScore, ...]

    @property
    def sure(self) -> bool:
        if any(c.torn for c in self.clauses):
            return True
        scored = [abs(c.polarity) for c in self.clauses if c.scored and c.label != "neutral"]
        return bool(scored) and min(scored) >= SURE

    def clause_at(self, offset: int) -> ClauseScore | None:
        starts = [c.start for c in self.clauses]
        i = bisect.bisect_right(starts, offset) - 1
        if i >= 0 and offset < self.clauses[i].end:
            return self.clauses[i]
        return None


def label_for(polarity: float) -> Leaning:
    if polarity >= CLEAR:
        return "positive"
    if polarity <= -CLEAR:
        return "negative"
    return "neutral"


def spelling_key(spelling: str) -> str:
    # "its giving" and "it's  giving" are the same phrase to a reader.
    return " ".join(normalise(spelling).lower().replace("'", "").split())


def phrase_regex(spelling: str) -> str:
    """Regex source for a literal phrase: flexible spaces, optional apostrophes."""
    words = normalise(spelling).lower().split()
    parts = [re.escape(w).replace("'", "'?") for w in words]
    return r"\s+".join(parts)


def spellings_regex(spellings: list[str]) -> re.Pattern[str]:
    """One regex for all spellings, none matching inside a longer word.

    Longest first, so "no cap" wins over any shorter spelling inside it. Words share one
    boundary check around their alternation, so a mid-word position fails once rather
    than once per spelling; emoji get no boundary, as phones glue them to the word before
    ("worker\U0001f60a").
    """
    ordered = sorted(spellings, key=len, reverse=True)
    words = [phrase_regex(s) for s in ordered if _WORD.match(s[0]) and _WORD.match(s[-1])]
    others = [phrase_regex(s) for s in ordered if not (_WORD.match(s[0]) and _WORD.match(s[-1]))]
    sources = [r"(?<![\w'])(?:" + "|".join(words) + r")(?![\w'])"] if words else []
    sources.extend(others)
    return re.compile("|".join(sources) or r"(?!)", re.IGNORECASE)


def clause_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _CLAUSE_BREAK.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = max(pos, m.end())
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if _SAYS_SOMETHING.search(text, s, e)]


# Loading -----------------------------------------------------------------------------

_ENTRY_KEYS = {
    "term",
    "meaning",
    "example",
    "polarity",
    "intensifier",
    "forms",
    "except_after",
    "before_a_feeling",
    "before_a_feeling_example",
}


def read_lexicon(path: Path | str) -> Lexicon:
    """Read and validate a lexicon file; raise TextDataError naming the file and entry."""
    path = Path(path)
    data = read_yaml_file(path)
    raw_entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(raw_entries, list) or not raw_entries:
        raise TextDataError(f"{path}: expected a non-empty 'entries:' list at the top")

    entries: list[LexiconEntry] = []
    by_key: dict[str, LexiconEntry] = {}
    for index, raw in enumerate(raw_entries, start=1):
        entry = _parse_entry(path, index, raw)
        for spelling in entry.spellings:
            key = spelling_key(spelling)
            if key in by_key:
                raise TextDataError(
                    f"{path}: entry {index} ({entry.term!r}): {spelling!r} is already "
                    f"listed under {by_key[key].term!r}"
                )
            by_key[key] = entry
        entries.append(entry)

    regex = spellings_regex([s for e in entries for s in e.spellings])
    lexicon = Lexicon(entries=tuple(entries), by_key=by_key, regex=regex)

    for index, entry in enumerate(entries, start=1):
        for example in (entry.example, entry.before_a_feeling_example):
            if example is not None and not any(
                lexicon.entry_for(m.group()) is entry for m in regex.finditer(example)
            ):
                raise TextDataError(
                    f"{path}: entry {index} ({entry.term!r}): example {example!r} "
                    f"does not use the term or one of its forms"
                )
    return lexicon


@cache
def load_lexicon() -> Lexicon:
    return read_lexicon(LEXICON_PATH)


def read_yaml_file(path: Path) -> Any:
    """Parsed YAML, or TextDataError naming the file."""
    try:
        with path.open(encoding="utf-8") as f:
            return yaml.safe_load(f)
    except OSError as exc:
        raise TextDataError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise TextDataError(f"{path}: not valid YAML: {exc}") from exc


def _parse_entry(path: Path, index: int, raw: object) -> LexiconEntry:
    where = f"{path}: entry {index}"
    if not isinstance(raw, dict):
        raise TextDataError(f"{where}: expected a mapping with term, meaning, example")
    term = raw.get("term")
    if not isinstance(term, str) or not term.strip():
        raise TextDataError(f"{where}: 'term' must be a non-empty string")
    where = f"{where} ({term!r})"
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise TextDataError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    for key in ("meaning", "example"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise TextDataError(f"{where}: '{key}' must be a non-empty string")

    polarity, intensifier = raw.get("polarity"), raw.get("intensifier")
    if (polarity is None) == (intensifier is None):
        raise TextDataError(f"{where}: give exactly one of 'polarity' or 'intensifier'")
    if polarity is not None and not (_is_number(polarity) and -1 <= polarity <= 1):
        raise TextDataError(f"{where}: 'polarity' must be a number from -1 to 1")
    if intensifier is not None and not _is_factor(intensifier):
        raise TextDataError(f"{where}: 'intensifier' must be a number above 0, up to 3, not 1")
    before, before_example = raw.get("before_a_feeling"), raw.get("before_a_feeling_example")
    if (before is None) != (before_example is None) or (before is not None and not polarity):
        raise TextDataError(
            f"{where}: 'before_a_feeling' goes with 'before_a_feeling_example' and a "
            f"non-zero 'polarity'"
        )
    if before is not None and not (_is_factor(before) and before > 1):
        raise TextDataError(f"{where}: 'before_a_feeling' must be a number above 1, up to 3")
    if before_example is not None and not (
        isinstance(before_example, str) and before_example.strip()
    ):
        raise TextDataError(f"{where}: 'before_a_feeling_example' must be a non-empty string")

    forms = _string_list(where, raw, "forms")
    except_after = _string_list(where, raw, "except_after")
    return LexiconEntry(
        term=term.strip(),
        meaning=raw["meaning"].strip(),
        example=raw["example"].strip(),
        polarity=None if polarity is None else float(polarity),
        intensifier=None if intensifier is None else float(intensifier),
        forms=forms,
        except_after=frozenset(spelling_key(w) for w in except_after),
        before_a_feeling=None if before is None else float(before),
        before_a_feeling_example=None if before_example is None else before_example.strip(),
    )


def _is_factor(value: object) -> bool:
    return _is_number(value) and 0 < value <= 3 and value != 1


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _string_list(where: str, raw: dict[str, object], key: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise TextDataError(f"{where}: '{key}' must be a list of non-empty strings")
    return tuple(v.strip() for v in value)


_CUE_KEYS = {"means", "polarity", "patterns", "exclude", "examples", "wish"}


def read_cues(path: Path | str) -> tuple[Cue, ...]:
    """Read and validate a cue file; raise TextDataError naming the file and cue."""
    path = Path(path)
    data = read_yaml_file(path)
    raw_cues = data.get("cues") if isinstance(data, dict) else None
    if not isinstance(raw_cues, list) or not raw_cues:
        raise TextDataError(f"{path}: expected a non-empty 'cues:' list at the top")
    cues = tuple(_parse_cue(f"{path}: cue {i}", raw) for i, raw in enumerate(raw_cues, 1))
    for index, cue in enumerate(cues, start=1):
        for example in cue.examples:
            if not cue.phrases.regex.search(normalise(example)):
                raise TextDataError(
                    f"{path}: cue {index} ({cue.means!r}): example {example!r} "
                    f"matches none of its patterns"
                )
    return cues


@cache
def load_cues() -> tuple[Cue, ...]:
    return read_cues(CUES_PATH)


def _parse_cue(where: str, raw: object) -> Cue:
    if not isinstance(raw, dict):
        raise TextDataError(f"{where}: expected a mapping with means, polarity, patterns")
    means = raw.get("means")
    if not isinstance(means, str) or not means.strip():
        raise TextDataError(f"{where}: 'means' must be a non-empty string")
    where = f"{where} ({means!r})"
    unknown = set(raw) - _CUE_KEYS
    if unknown:
        raise TextDataError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    polarity = raw.get("polarity")
    if not (_is_number(polarity) and -1 <= polarity <= 1 and polarity != 0):
        raise TextDataError(f"{where}: 'polarity' must be a number from -1 to 1, not 0")
    patterns = _string_list(where, raw, "patterns")
    examples = _string_list(where, raw, "examples")
    if not patterns or not examples:
        raise TextDataError(f"{where}: needs 'patterns' and 'examples'")
    wish = raw.get("wish", False)
    if not isinstance(wish, bool):
        raise TextDataError(f"{where}: 'wish' must be true or false")
    exclude = _string_list(where, raw, "exclude")
    try:
        phrases = Phrases.compile(patterns, exclude)
    except ValueError as exc:
        raise TextDataError(f"{where}: {exc}") from exc
    return Cue(
        means=means.strip(),
        polarity=float(polarity),
        patterns=patterns,
        examples=examples,
        exclude=exclude,
        wish=wish,
        phrases=phrases,
    )


# Scoring -----------------------------------------------------------------------------


def score_text(
    text: str, lexicon: Lexicon | None = None, cues: tuple[Cue, ...] | None = None
) -> TextScore:
    """Score each clause, then the whole text.

    The text's polarity is the mean over clauses that said something scoreable, so each
    point a young person makes counts once however many adjectives it took. The label is
    "mixed" when any clause is clearly positive and another clearly negative.
    """
    lexicon = lexicon or load_lexicon()
    cues = load_cues() if cues is None else cues
    text = normalise(text)
    clauses: list[ClauseScore] = []
    for start, end in clause_spans(text):
        clause = text[start:end]
        if clauses and clauses[-1].scored and _is_ellipsis(clause):
            # "they say they care but they don't": the short clause takes back the one
            # before it, and the comment is of one mind, not mixed.
            before = clauses[-1]
            clauses[-1] = ClauseScore(before.start, before.end, -before.polarity, True, before.torn)
            clauses.append(ClauseScore(start, end, 0.0, False))
            continue
        polarity, scored, torn = score_clause(clause, lexicon, cues)
        if _SARCASTIC_NOT.search(clause):
            polarity = -polarity  # "really helpful, not"
        if not scored and clauses and clauses[-1].label != "neutral" and _is_but_not(clause):
            # "i like the music sessions but not the reviews": the other side of it.
            polarity, scored = -clauses[-1].polarity, True
        clauses.append(ClauseScore(start, end, polarity, scored, torn))

    scored_polarities = [c.polarity for c in clauses if c.scored]
    polarity = sum(scored_polarities) / len(scored_polarities) if scored_polarities else 0.0
    return TextScore(label=_label_of(clauses), polarity=_clamp(polarity), clauses=tuple(clauses))


def _is_ellipsis(clause: str) -> bool:
    words = _TOKEN.findall(clause.lower())
    return (
        0 < len(words) <= 4
        and words[0] in _ELLIPSIS_SUBJECTS
        and any(w in _ELLIPSIS_VERBS for w in words)
        and all(w in _ELLIPSIS_WORDS for w in words)
    )


def _is_but_not(clause: str) -> bool:
    words = _TOKEN.findall(clause.lower())
    return bool(words) and words[0] in ("not", "never")


def _label_of(clauses: list[ClauseScore]) -> Label:
    """Mixed when one part is clearly good and another clearly bad, or one clause is both."""
    found = {c.label for c in clauses}
    if any(c.torn for c in clauses) or {"positive", "negative"} <= found:
        return "mixed"
    for label in ("positive", "negative"):
        if label in found:
            return label
    return "neutral"


@dataclass
class _Hit:
    first: int  # token indices, inclusive
    last: int
    polarity: float | None
    intensifier: float | None = None
    before_a_feeling: float | None = None


@dataclass
class _Score:
    position: int | None  # token index of the scored word, None when it cannot be placed
    polarity: float


def score_clause(
    clause: str, lexicon: Lexicon, cues: tuple[Cue, ...] = ()
) -> tuple[float, bool, bool]:
    """Return (polarity, whether anything in the clause carried sentiment, whether it
    was clearly good about one thing and clearly bad about another)."""
    lowered = normalise(clause).lower()
    spans, end = _cue_spans(lowered, cues)
    for m in lexicon.regex.finditer(lowered, 0, end):
        if not any(s < m.end() and m.start() < e for s, e, _ in spans):
            spans.append((m.start(), m.end(), lexicon.entry_for(m.group())))
    spans.sort(key=lambda span: span[0])

    tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(lowered, 0, end)]
    starts = [s for s, _ in tokens]
    words = [w for _, w in tokens]
    hits: list[_Hit] = []
    masked_parts: list[str] = []
    cursor = 0
    for start, stop, source in spans:
        first = bisect.bisect_left(starts, start)
        last = bisect.bisect_left(starts, stop) - 1
        if first > last:
            continue
        if isinstance(source, Cue):
            hit = _Hit(first, last, source.polarity)
        else:
            if first > 0 and spelling_key(words[first - 1]) in source.except_after:
                continue  # "felt sick" is TextBlob's sick, not ours
            hit = _Hit(first, last, source.polarity, source.intensifier, source.before_a_feeling)
        hits.append(hit)
        masked_parts.append(lowered[cursor:start])
        masked_parts.append(" " if hit.polarity is None else _HIDDEN)
        cursor = stop
    masked_parts.append(lowered[cursor:end])
    masked = "".join(masked_parts)

    reach = _Reach.of(words, starts, hits, [m.start() for m in _PAUSE.finditer(lowered, 0, end)])
    scores = _textblob_scores(masked, reach)
    own: dict[int, _Score] = {}
    for i, hit in enumerate(hits):
        if hit.polarity:
            value = hit.polarity
            if reach.negated(hit.first):
                value *= NEGATED
            own[i] = _Score(hit.first, value)
            scores.append(own[i])

    for i, hit in enumerate(hits):
        if hit.before_a_feeling is not None and i in own:
            # "dead nice": the word's own feeling gives way to the one it strengthens.
            target = next((s for s in scores if s.position == hit.last + 1), None)
            if target is not None:
                scores.remove(own[i])
                target.polarity = _clamp(target.polarity * hit.before_a_feeling)

    for hit in hits:
        if hit.intensifier is not None:
            _intensify(hit, scores, reach)

    if not scores:
        return 0.0, False, False
    torn = max(s.polarity for s in scores) >= TORN and min(s.polarity for s in scores) <= -TORN
    return _clamp(sum(s.polarity for s in scores) / len(scores)), True, torn


def _cue_spans(lowered: str, cues: tuple[Cue, ...]) -> tuple[list[tuple[int, int, Any]], int]:
    """Where cues match, the earliest and then longest first, none overlapping; and where
    the scored part of the clause ends (at a wish, or the clause's end)."""
    found = sorted(
        ((m.start(), m.end(), cue) for cue in cues for m in cue.phrases.mentions(lowered)),
        key=lambda span: (span[0], span[0] - span[1]),
    )
    spans: list[tuple[int, int, Any]] = []
    end = len(lowered)
    for start, stop, cue in found:
        if start >= end or any(s < stop and start < e for s, e, _ in spans):
            continue
        spans.append((start, stop, cue))
        if cue.wish:
            end = stop
    return spans, end


@dataclass(frozen=True)
class _Reach:
    """Which words of a clause a negator before them reaches."""

    words: list[str]
    in_hit: list[bool]  # inside a lexicon or cue match
    # A negator reaches back only within its stretch between commas: in "no problems at
    # all, all good" the "no" is not about "good".
    stretch: list[int]
    # Position counting a matched phrase as one word, so "doesn't look at me like I'm
    # bad" has "bad" two words from "doesn't", not six.
    unit: list[int]

    @classmethod
    def of(cls, words: list[str], starts: list[int], hits: list[_Hit], pauses: list[int]) -> _Reach:
        in_hit = [False] * len(words)
        for hit in hits:
            for i in range(hit.first, hit.last + 1):
                in_hit[i] = True
        unit, n = [], -1
        for i in range(len(words)):
            if not (in_hit[i] and i > 0 and in_hit[i - 1] and _same_hit(hits, i - 1, i)):
                n += 1
            unit.append(n)
        stretch = [bisect.bisect_left(pauses, start) for start in starts]
        return cls(words, in_hit, stretch, unit)

    def negated(self, first: int) -> bool:
        if self.words[first] in _NEGATION_STOPS:
            return False  # a cue of its own that starts afresh: "and nothing happened"
        for i in range(first - 1, -1, -1):
            word = self.words[i]
            if self.unit[first] - self.unit[i] > NEGATION_REACH:
                return False
            if word in _NEGATION_STOPS or self.stretch[i] != self.stretch[first]:
                return False
            if word in NEGATORS and not self.in_hit[i]:
                return True
        return False

    def negator_right_before(self, first: int) -> bool:
        return first > 0 and self.words[first - 1] in NEGATORS and not self.in_hit[first - 1]


def _same_hit(hits: list[_Hit], i: int, j: int) -> bool:
    return any(h.first <= i and j <= h.last for h in hits)


def _textblob_scores(masked: str, reach: _Reach) -> list[_Score]:
    """TextBlob's assessments, each tied back to the token its sentiment word sits on, and
    negated by a negator further back than TextBlob looks ("never makes me feel stupid")."""
    found: list[_Score] = []
    cursor = 0
    # PatternAnalyzer (TextBlob's .sentiment) is a thin wrapper over this scorer that
    # scores the text twice and builds a namedtuple class per call; calling the scorer
    # once gives the same numbers in a third of the time, which matters over a whole store.
    for assessed, polarity, _subjectivity, _label in pattern_sentiment(masked).assessments:
        head = next((w for w in reversed(assessed) if w.isalpha()), None)
        if head in NEGATORS:
            continue  # "less" is ours to read as a negator, not TextBlob's to score
        position = None
        if head is not None:
            try:
                position = reach.words.index(head, cursor)
                cursor = position + 1
            except ValueError:
                position = None  # an emoticon, or a word TextBlob split differently
        # TextBlob's chunk is the word and the modifier before it ("really good").
        first = None if position is None else position - sum(w.isalpha() for w in assessed) + 1
        if (
            first is not None
            and not _TEXTBLOB_NEGATIONS.intersection(assessed)
            and reach.negated(first)
        ):
            polarity *= NEGATED
        found.append(_Score(position, polarity))
    return found


def _intensify(hit: _Hit, scores: list[_Score], reach: _Reach) -> None:
    assert hit.intensifier is not None
    factor = hit.intensifier
    # "not very good" is milder than "not good", as in TextBlob.
    if reach.negator_right_before(hit.first):
        factor = 1 / factor

    placed = [(s.position, s) for s in scores if s.position is not None]
    ahead = [(p, s) for p, s in placed if hit.last < p <= hit.last + INTENSIFIER_REACH]
    if ahead:
        _, target = min(ahead, key=lambda ps: ps[0])
    elif hit.last == len(reach.words) - 1:
        # Only a clause-final intensifier looks back ("she's good no cap"); a "so"
        # that starts a new thought must not boost the word before it.
        behind = [(p, s) for p, s in placed if p < hit.first]
        if not behind:
            return
        _, target = max(behind, key=lambda ps: ps[0])
    else:
        return
    target.polarity = _clamp(target.polarity * factor)


def _clamp(value: float) -> float:
    return max(-1.0, min(1.0, value))
