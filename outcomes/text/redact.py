"""Take identifying details out of a quote before a manager sees it.

A quote is shown only with its writer's consent, and even then a name, a street or a
phone number can point to one young person in a small service. So this errs towards
removing: a capitalised word that might be a name is blanked unless it is on a short
list of words that are capitalised for other reasons (days, months, services, brands).
Losing a word from a quote costs far less than exposing a child.

No NLTK: named-entity tagging needs corpora we cannot download. Instead, capitals and
context ("my worker Sam", "called X", "in <Place>", "<Word> Road") do the work, with two
word lists: our own first_names.txt, and TextBlob's bundled English word list to tell a
sentence-opening "Honestly" from a sentence-opening "Tyreke".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from outcomes.text.sentiment import load_lexicon, spelling_key, word_set

NAME = "[name]"
PLACE = "[place]"
PHONE = "[phone number]"
EMAIL = "[email]"
POSTCODE = "[postcode]"
LINK = "[link]"

FIRST_NAMES_PATH = Path(__file__).with_name("first_names.txt")

# --- Patterns for details with a fixed shape ------------------------------------------

_URL = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w-]+\.(?:com|co\.uk|org\.uk|org|net|uk|io|me)/\S*")
_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@])@[\w.]{2,}")
# UK numbers: 07xxx xxxxxx, 01xxx xxxxxx, 020 xxxx xxxx, +44 7xxx xxxxxx, +44 (0)..., with
# spaces, dashes, dots or brackets between the digits.
_PHONE = re.compile(
    r"""
    (?<![\w+])
    (?: (?:\+|00)\s?44\s?(?:\(0\)\s?)? | \(?0 )
    (?: [ .\-]?\)?[ ]?\d ){9,10}
    (?!\d)
    """,
    re.VERBOSE,
)
# A long run of digits is a phone number typed without its leading 0 or +44 more often
# than anything else a young person would write.
_LONG_NUMBER = re.compile(r"(?<![\w])\d(?:[ \-]?\d){9,12}(?!\w)")
_POSTCODE = re.compile(
    r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s?\d[A-Z]{2}\b",
    re.IGNORECASE,
)
# Half a postcode ("I live in M14") narrows things down nearly as much. Only taken in
# capitals straight after a place word, so "got a PS5" or "in b4 me" stay as written.
_OUTWARD_CODE = re.compile(
    r"\b((?:in|from|near|round|around|to|at|by|outside)\s+)([A-Z]{1,2}\d{1,2}[A-Z]?)\b(?![\w-])",
    re.IGNORECASE,
)

_PLACEHOLDER = r"\[(?:name|place|phone number|email|postcode|link)\]"
_LETTER = r"[^\W\d_]"
_TOKEN = re.compile(
    rf"(?P<placeholder>{_PLACEHOLDER})"
    rf"|(?P<word>{_LETTER}(?:{_LETTER}|['\u2019\-](?={_LETTER}))*)"
    r"|(?P<number>\d+(?:st|nd|rd|th|[a-zA-Z])?)"
    r"|(?P<stop>[.!?]+|\n)"
)
_CONTRACTION = re.compile(r"['\u2019](?:s|m|re|ve|ll|d)$", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['\u2019]s$", re.IGNORECASE)

# --- Word lists ----------------------------------------------------------------------

# Words that are capitalised for reasons other than naming a person or a place, all lower
# case. Anything capitalised mid-sentence and not here is treated as a name.
ALLOWED_CAPITALISED = word_set(
    """
    i ok okay
    monday tuesday wednesday thursday friday saturday sunday
    mondays tuesdays wednesdays thursdays fridays saturdays sundays
    mon tue tues wed weds thu thur thurs fri sat
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    spring summer autumn winter christmas xmas easter eid ramadan diwali hanukkah halloween
    bonfire new year years
    mum mam mom mummy dad daddy nan nana nanna gran granny grandma grandad granddad
    auntie aunty uncle
    god allah jesus muslim christian jewish sikh hindu black white asian mixed
    british english welsh scottish irish uk england britain
    childline nspcc barnardo barnardos kooth samaritans crimestoppers fearless shout
    camhs nhs gp a&e yot yos pru cse cce act mash sw rhi lac cin cp ehcp sen send adhd asd
    cv dbs ks3 ks4 gcse gcses btec btecs a-level a-levels level levels
    maths math science english art pe re history geography french spanish music drama
    computing ict dt
    police officer officers pc pcso court judge magistrates council team service services
    social worker workers youth key keyworker care children manager managers
    school college academy sixth form teacher teachers nurse doctor hospital
    safeguarding complex exploitation voice
    tiktok snapchat snap instagram insta whatsapp facebook youtube netflix spotify google
    iphone android xbox playstation ps4 ps5 fifa fortnite roblox minecraft
    mcdonald mcdonalds maccies nandos nando kfc greggs subway costa starbucks primark
    tesco asda aldi lidl
    covid lockdown
    lol omg tbh idk ngl fr btw wtf ffs smh pls plz thx ty imo rn
    yes no yeah yh ye nah hi hey hello thanks thank bye
    gonna wanna gotta dunno ima imma ppl u ur urself bc bcos rn tho wiv wid cya yr yrs
    mins hrs pic pics msg msgs txt abt bout wen wat wot dat dis dem lil sum1 some1 every1
    im ive id ill youre youve theyre theyve weve hes shes thats whats wheres theres lets
    its itll dont doesnt didnt cant wont isnt wasnt arent werent aint couldnt wouldnt
    shouldnt hasnt havent hadnt n
    """
)

# Pronouns and function words: capitalised mid-sentence by accident or for emphasis, never
# names. Kept apart from the list above because a role context ("my worker May") should
# still blank a month name, but never "my worker She". "will" and "may" are left out:
# capitalised mid-sentence they are Will and May.
FUNCTION_WORDS = word_set(
    """
    a an the and or but so if then than because cos coz cuz as of to in on at by for from
    with without about into onto over under after before since until up down out off
    i me my mine we us our ours you your yours he him his she her hers they them their
    theirs it its this that these those who whom whose what which when where why how
    is am are was were be been being do does did done have has had having would
    shall should can could might must not no yes never always just only also too
    very really all any some every each both either neither none nothing something
    there here now still even
    """
)

# Nouns that make the words before them a place: "Oldham Road", "Parkside Academy".
PLACE_SUFFIXES = word_set(
    """
    road rd street st lane ln avenue ave close drive way park estate green hill court
    gardens crescent place terrace grove row walk square parade mews rise vale view
    centre center station school academy college high primary hospital library flats
    tower towers house village town city precinct retail shopping leisure
    """
)
# The suffixes that also name a place in lower case ("on moss lane"); "close" or "way"
# in lower case are far more often ordinary words.
LOWER_CASE_PLACE_SUFFIXES = word_set(
    "road street lane avenue estate park crescent gardens grove terrace flats"
)
# Words that come before a lower-case place noun without naming it: "the park", "our
# estate", "the skate park", "a long road".
PLACE_NOUN_OPENERS = FUNCTION_WORDS | word_set(
    """
    main big small little local same other next last nearest new old different busy quiet
    nice good bad rough dodgy long short back front skate car play water theme
    football youth sports trampoline shopping retail leisure industrial council
    """
)

TITLES = word_set("mr mrs ms miss mx dr pc dc ds sgt sergeant officer detective sir")
# Titles that are also everyday lower-case words ("I miss her") only count capitalised.
_TITLES_ANY_CASE = word_set("mr mrs ms mx dr sgt")

# Words for a person that are often followed by that person's name: "my worker Sam".
ROLE_NOUNS = word_set(
    """
    worker sw keyworker mentor teacher tutor carer coach friend mate bestie boyfriend
    girlfriend bf gf partner brother sister bro sis cousin nurse doctor counsellor
    therapist manager mum mam dad stepdad stepmum nan grandma grandad auntie aunty uncle
    son daughter officer pcso solicitor
    """
)
PLACE_PREPOSITIONS = word_set("in on at from to near round around outside into towards past")
NAMING_WORDS = word_set("called named name's names")
# Small words after which a lower-case unknown word is probably a person: "me and tyreke".
COMPANION_WORDS = word_set("with and n told asked")


@cache
def first_names() -> frozenset[str]:
    with FIRST_NAMES_PATH.open(encoding="utf-8") as f:
        return frozenset(
            line.strip().lower() for line in f if line.strip() and not line.startswith("#")
        )


@cache
def english_words() -> frozenset[str]:
    """Lower-case entries of the word list TextBlob ships (Brill's tagger lexicon).

    Proper nouns there are listed capitalised, so "sam" and "oldham" are absent while
    "honestly" and "moss" are present.
    """
    lexicon = files("textblob.en").joinpath("en-lexicon.txt").read_text(encoding="utf-8")
    words = set()
    for line in lexicon.splitlines():
        if line.startswith(";;;"):
            continue
        word = line.split(" ", 1)[0]
        if word and word == word.lower():
            words.add(word)
    return frozenset(words)


@cache
def _youth_words() -> frozenset[str]:
    # Slang opens sentences too ("Peng food"); it is vocabulary, not a name.
    return frozenset(
        word
        for entry in load_lexicon().entries
        for spelling in entry.spellings
        for word in spelling_key(spelling).split()
    )


# --- The pass over words ------------------------------------------------------------


@dataclass
class _Token:
    kind: str  # placeholder, word, number, stop
    text: str
    start: int
    end: int
    sentence_start: bool = False
    shouty: bool = False  # the sentence is in title case or capitals throughout
    mark: str | None = None

    @property
    def lower(self) -> str:
        """The word without "'s", "'m" and the like, in lower case, for list lookups."""
        return _CONTRACTION.sub("", self.text).replace("\u2019", "'").lower()

    @property
    def capitalised(self) -> bool:
        return self.kind == "word" and self.text[0].isupper()


def redact(text: str) -> str:
    """Replace names, places, phone numbers, emails, postcodes (and links) in a quote."""
    text = _URL.sub(LINK, text)
    text = _EMAIL.sub(EMAIL, text)
    text = _HANDLE.sub(NAME, text)
    text = _PHONE.sub(PHONE, text)
    text = _LONG_NUMBER.sub(PHONE, text)
    text = _POSTCODE.sub(POSTCODE, text)
    text = _OUTWARD_CODE.sub(_outward_code, text)
    return _redact_words(text)


def _outward_code(m: re.Match[str]) -> str:
    code = m.group(2)
    if code != code.upper():
        return m.group(0)
    return m.group(1) + POSTCODE


def _tokens(text: str) -> list[_Token]:
    tokens = [
        _Token(m.lastgroup or "", m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]
    sentence: list[_Token] = []
    at_start = True
    for token in [*tokens, None]:
        if token is None or token.kind == "stop":
            _mark_shouty(sentence)
            sentence = []
            at_start = True
            continue
        if token.kind == "word":
            token.sentence_start = at_start
            at_start = False
            sentence.append(token)
        elif token.kind in ("placeholder", "number"):
            at_start = False
    return [t for t in tokens if t.kind != "stop"]


def _mark_shouty(sentence: list[_Token]) -> None:
    # In "My Worker Is Sick" or "MY WORKER IS SICK" capitals say nothing about names.
    words = [t for t in sentence if len(t.lower) > 1]
    if len(words) >= 3 and sum(t.capitalised for t in words) >= 0.6 * len(words):
        for t in sentence:
            t.shouty = True


def _redact_words(text: str) -> str:
    tokens = _tokens(text)
    for i, token in enumerate(tokens):
        if token.kind == "word" and token.mark is None:
            _decide(tokens, i, text)
    return _render(tokens, text)


def _decide(tokens: list[_Token], i: int, text: str) -> None:
    token = tokens[i]
    prev = _previous_word(tokens, i, text)
    lower = token.lower

    # "Oldham Road", "St Mary's Academy", "on moss lane"
    if lower in PLACE_SUFFIXES:
        if _mark_place_before(tokens, i, text):
            return
        # "to St Mary's"; otherwise "Centre" or "School" on its own is just a noun.
        if token.capitalised and prev is not None and prev.lower in PLACE_PREPOSITIONS:
            token.mark = "place"
        return

    # "Sam Jones", "Moss Side": a capitalised word straight after a blanked one belongs to
    # the same name, even if on its own it would pass ("Side", "Will").
    # In a shouty sentence only place names run on ("MOSS SIDE"); after a name the next
    # capitalised word is as likely to be "HELPED" as a surname.
    joined = _previous_token(tokens, i, text, allow="-")
    if joined is not None and joined.mark is not None and token.capitalised:
        if token.shouty:
            runs_on = (joined.mark == "place" and not _allowed(token)) or _looks_like_name(token)
        else:
            runs_on = lower not in FUNCTION_WORDS
        if runs_on:
            token.mark = joined.mark
            return

    # "Mr Patel", "PC Hughes"
    if lower in TITLES and (token.capitalised or lower in _TITLES_ANY_CASE):
        nxt = _next_word(tokens, i, text, allow=".")
        if nxt is not None and (nxt.capitalised or _looks_like_name(nxt)):
            token.mark = nxt.mark = "name"
            return

    if prev is not None:
        # "a girl called Jess", "my worker Sam", "with tyreke"
        strong_context = prev.lower in NAMING_WORDS or _is_role(prev)
        if strong_context and _looks_like_name(token, strong=True):
            token.mark = "name"
            return
        companion = prev.lower in COMPANION_WORDS and not token.capitalised
        if companion and _looks_like_name(token):
            token.mark = "name"
            return
        # "in Hulme", "to Leeds", "at jess's". Even in a shouty sentence a capitalised word
        # here is taken as a place: "IN MOSS SIDE" and "IN TROUBLE" look alike, and
        # blanking the second costs little.
        if prev.lower in PLACE_PREPOSITIONS and (
            not prev.capitalised or prev.sentence_start or prev.shouty
        ):
            if lower in first_names():
                token.mark = "name"
                return
            if (token.capitalised and not _allowed(token)) or (
                not token.capitalised and _unknown_word(token)
            ):
                token.mark = "place"
                return

    if not token.capitalised:
        if lower in first_names():
            token.mark = "name"
        return

    if _allowed(token):
        return
    if token.sentence_start or token.shouty:
        if lower in first_names() or _unknown_word(token):
            token.mark = "name"
        return
    token.mark = "name"


def _looks_like_name(token: _Token, strong: bool = False) -> bool:
    """After "my worker" or "called" (strong) a capital is enough, unless the word is a
    pronoun or the like; elsewhere a capitalised allowed word ("Monday") is not a name.
    Where capitals carry no meaning (lower case, or a shouty sentence) only an unknown
    word or a listed first name counts."""
    lower = token.lower
    if lower in first_names():
        return True
    if token.capitalised and not token.shouty:
        return lower not in FUNCTION_WORDS if strong else not _allowed(token)
    return _unknown_word(token)


def _allowed(token: _Token) -> bool:
    return token.lower in ALLOWED_CAPITALISED or token.lower in FUNCTION_WORDS


def _unknown_word(token: _Token) -> bool:
    lower = token.lower
    parts = lower.split("-")
    known = english_words()
    youth = _youth_words()
    return not (
        all(p in known or p in youth for p in parts)
        or lower in ALLOWED_CAPITALISED
        or lower in FUNCTION_WORDS
    )


def _is_role(token: _Token) -> bool:
    lower = token.lower
    return lower in ROLE_NOUNS or (lower.endswith("s") and lower[:-1] in ROLE_NOUNS)


def _mark_place_before(tokens: list[_Token], i: int, text: str) -> bool:
    suffix = tokens[i]
    capital = suffix.capitalised
    if not capital and suffix.lower not in LOWER_CASE_PLACE_SUFFIXES:
        return False
    run: list[_Token] = []
    j = i
    while True:
        before = _previous_token(tokens, j, text)
        j -= 1
        if before is None:
            break
        if before.kind == "number":
            run.append(before)  # the house number
            break
        if before.kind != "word":
            break
        if capital:
            if not before.capitalised or (_allowed(before) and before.lower not in PLACE_SUFFIXES):
                break
        else:
            if before.capitalised or before.lower in PLACE_NOUN_OPENERS or run:
                break
        run.append(before)
    # "5th Avenue" is a place from its number alone; "23 road" is not.
    if not run or not (capital or any(t.kind == "word" for t in run)):
        return False
    for t in [*run, suffix]:
        t.mark = "place"
    return True


def _previous_token(tokens: list[_Token], i: int, text: str, allow: str = "") -> _Token | None:
    """The token before i, if only spaces (or characters in allow) lie between."""
    if i == 0:
        return None
    before = tokens[i - 1]
    gap = text[before.end : tokens[i].start]
    if gap.strip(" \t" + allow):
        return None
    return before


def _previous_word(tokens: list[_Token], i: int, text: str) -> _Token | None:
    # A comma may sit between a role and its name: "my worker, Sam, is".
    before = _previous_token(tokens, i, text, allow=",")
    return before if before is not None and before.kind == "word" else None


def _next_word(tokens: list[_Token], i: int, text: str, allow: str = "") -> _Token | None:
    if i + 1 >= len(tokens):
        return None
    after = tokens[i + 1]
    gap = text[tokens[i].end : after.start]
    if gap.strip(" \t" + allow) or after.kind != "word":
        return None
    return after


def _render(tokens: list[_Token], text: str) -> str:
    out: list[str] = []
    cursor = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.mark is None:
            i += 1
            continue
        # Join a run of blanked words of the same kind into one placeholder.
        j = i
        while j + 1 < len(tokens) and tokens[j + 1].mark == token.mark:
            # "Mr. Smith" is one name; elsewhere a full stop ends one.
            joiners = " \t-." if tokens[j].lower in TITLES else " \t-"
            if text[tokens[j].end : tokens[j + 1].start].strip(joiners):
                break
            j += 1
        out.append(text[cursor : token.start])
        out.append(NAME if token.mark == "name" else PLACE)
        possessive = _POSSESSIVE.search(tokens[j].text)
        if possessive:
            out.append(possessive.group())
        cursor = tokens[j].end
        i = j + 1
    out.append(text[cursor:])
    return "".join(out)
