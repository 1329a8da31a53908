"""Which language a free-text answer is written in: English, another, or none at all.

The safeguarding detector and the sentiment and theme readers understand English only, so
an answer in another language must never pass as if it had been read. This module only
tells which it is; what follows (an alert asking for a human read, "not analysed:
language" in the counts) is decided by its callers.

How an answer is judged, surest first:

1. No letters at all ("?", "👍", "14"): nothing to read, so no language ("").
2. Letters mostly in a script that English does not use (Arabic, Urdu, Bengali, Gurmukhi,
   Cyrillic, Chinese...): not English, whatever else is in the answer.
3. Most of its words are English words, slang or text-speak (the word list TextBlob ships,
   the project's youth lexicon, and the few short forms below): English. Young people's
   spelling and slang ("shes well safe ngl") are English; an identification model alone
   reads many of them as something else.
4. Otherwise lingua-language-detector, which ships its models inside the wheel, says which
   of the languages spoken in Manchester (and their near neighbours, so that one is not
   mistaken for another) the answer is most like. English unless another language is
   clearly ahead of it.

`bench/language.py` measures it on short answers in English (from the project's corpora)
and in other languages.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

ENGLISH = "en"
# What the readers of English (the detector, sentiment and themes) can read: English, and
# an answer with no letters, which has nothing to misread.
READABLE = frozenset({ENGLISH, ""})

# Short forms young people type that no word list has.
_TEXT_SPEAK = (
    "idk tbh ngl imo rn lol omg wtf smh fr irl u ur r ya yh yeh ye ty thx pls plz cos coz "
    "cuz gonna wanna gotta dunno innit bruv fam wagwan nah naa na yep yup mum mam ok okay "
    "k kk hmm meh eh em er tho thru bc b4 gr8 m8 im ive dont doesnt didnt cant wont isnt "
    "wasnt arent shouldnt couldnt wouldnt hes shes theyre youre thats whats theres aint "
    "yall pcso pru cahms camhs yot gp"
)
TEXT_SPEAK = frozenset(_TEXT_SPEAK.split())

# The languages a Latin-script answer is compared against: English and the main languages
# of Manchester written in Latin letters (the 2021 census), with the neighbours each is
# most often confused with. Answers in other scripts are told apart by their script alone,
# which keeps the models in memory to these (about 460 MB in each process, loaded at the
# first answer that needs them; the low-accuracy mode takes 60 MB but read 15 of 2,160
# English answers as another language).
LANGUAGES = (
    "ENGLISH",
    "POLISH",
    "ROMANIAN",
    "SOMALI",
    "PORTUGUESE",
    "SPANISH",
    "FRENCH",
    "ITALIAN",
    "GERMAN",
    "DUTCH",
    "TURKISH",
    "CZECH",
    "SLOVAK",
    "LITHUANIAN",
    "ALBANIAN",
    "LATVIAN",
    "YORUBA",
    "SWAHILI",
    "SHONA",
    "TAGALOG",
    "VIETNAMESE",
)

# How far ahead of English another language must be in the model's confidence for an
# answer to count as that language, by the share of its words that are English words:
# an answer of English words is English unless the model is very sure it is not.
LEADS = ((1.0, 2.0), (0.85, 0.9), (0.6, 0.5), (0.0, 0.25))

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
# Scripts English is written in: Latin letters (with accents, for names and loan words).
_LATIN = "LATIN"


def language_of(text: str) -> str:
    """ "en" for English, another language's ISO 639-1 code (or "und" when it is not
    English but its language cannot be told), and "" for an answer with no letters."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return ""
    latin = sum(1 for c in letters if unicodedata.name(c, "").startswith(_LATIN))
    words = [w.lower().replace("'", "") for w in _WORD.findall(text)]
    if latin * 2 <= len(letters):
        return "und"
    known = english_vocabulary()
    english = sum(1 for w in words if w in known or _stretched(w) in known)
    share = english / len(words) if words else 0.0
    lead = next(lead for least, lead in LEADS if share >= least)
    if lead > 1:
        return ENGLISH
    return _model_says(text, lead)


def is_english(text: str) -> bool:
    """Whether the readers of English can read this answer: English, or no words at all."""
    return language_of(text) in READABLE


def _stretched(word: str) -> str:
    """A word with its stretched letters squeezed ("sooo" -> "so", "yesss" -> "yes")."""
    return re.sub(r"(.)\1+", r"\1", word)


def _model_says(text: str, lead: float) -> str:
    values = {
        v.language.name: v.value for v in _detector().compute_language_confidence_values(text)
    }
    best = max(values, key=lambda name: values[name], default="ENGLISH")
    if best == "ENGLISH" or values[best] - values.get("ENGLISH", 0.0) < lead:
        return ENGLISH
    return _iso_code(best)


def _iso_code(name: str) -> str:
    from lingua import Language

    return str(getattr(Language, name).iso_code_639_1.name).lower()


@cache
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        *(getattr(Language, n) for n in LANGUAGES)
    ).build()


@cache
def spelling_words() -> frozenset[str]:
    """Real English words: the 29,000-word list TextBlob (a project dependency) ships for
    its spelling corrector, read from the installed package without importing TextBlob,
    which would pull in NLTK. Empty if TextBlob is not installed."""
    spec = importlib.util.find_spec("textblob")
    if spec is None or not spec.submodule_search_locations:
        return frozenset()
    for location in spec.submodule_search_locations:
        path = Path(location) / "en" / "en-spelling.txt"
        if path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            return frozenset(
                line.split()[0] for line in lines if line.strip() and not line.startswith(";")
            )
    return frozenset()


@cache
def english_vocabulary() -> frozenset[str]:
    """English words, with young people's slang and text-speak."""
    words = set(TEXT_SPEAK) | {word.lower() for word in spelling_words()}
    lexicon = yaml.safe_load(files("outcomes.text").joinpath("youth_lexicon.yaml").read_text())
    words.update(_lexicon_words(lexicon))
    return frozenset(words)


def _lexicon_words(node: object) -> set[str]:
    """Every single word named anywhere in the youth lexicon file."""
    found: set[str] = set()
    if isinstance(node, str):
        found.update(w.lower().replace("'", "") for w in _WORD.findall(node))
    elif isinstance(node, dict):
        for key, value in node.items():
            found |= _lexicon_words(key) | _lexicon_words(value)
    elif isinstance(node, list):
        for item in node:
            found |= _lexicon_words(item)
    return found
