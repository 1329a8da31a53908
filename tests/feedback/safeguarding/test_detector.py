"""The safeguarding disclosure detector.

Missing a disclosure is far worse than a false alarm, so most of these tests
are messages that must flag. The phrase file's own examples are tests too:
each entry is checked against the messages it says it catches.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from feedback.safeguarding import detector
from feedback.safeguarding.detector import (
    CATEGORIES,
    DEFAULT_PATH,
    PHRASE_CATEGORIES,
    PhraseFileError,
    Scan,
    entry_problems,
    everyday_problems,
    example_problems,
    load_phrases,
    scan,
    scan_to_json,
)

BOOK = load_phrases()


def flags(text: str, category: str | None = None) -> bool:
    result = scan(text)
    if category is None:
        return result.flag
    return category in result.categories


# ---------------------------------------------------------------------------
# Tests generated from the phrase file: one per entry.


@pytest.mark.parametrize(
    "entry",
    BOOK.entries,
    ids=[f"{e.category}-{i:03d}" for i, e in enumerate(BOOK.entries)],
)
def test_each_phrase_flags_its_own_examples(entry):
    assert entry_problems(BOOK, entry) == []


@pytest.mark.parametrize(
    "item", BOOK.everyday, ids=[f"everyday-{i:02d}" for i in range(len(BOOK.everyday))]
)
def test_each_everyday_phrase_matches_its_examples_without_flagging(item):
    assert everyday_problems(BOOK, item) == []


def test_the_file_checks_clean_as_a_whole():
    assert example_problems(BOOK) == []


def test_every_category_has_a_label_and_phrases():
    assert tuple(BOOK.labels) == CATEGORIES
    assert {e.category for e in BOOK.entries} == set(PHRASE_CATEGORIES)


# ---------------------------------------------------------------------------
# Hand-written: realistic messages for each category, with slips and text-speak.

BY_CATEGORY = {
    "suicide-self-harm": [
        "I want to kill myself",
        "i wanna die",
        "kms",
        "im gonna kms tbh",
        "i want to unalive myself",
        "cutting myself helps",
        "ive been cuttin my arms again",
        "I've been thinking about sucide",
        "suiside thoughts every night",
        "i feel suicdal",
        "i want to k1ll myself",
        "su1c1de",
        "s*icide",
        "i wanna d1e",
        "i just wanna diiiie",
        "i wish i was dead",
        "no point in living",
        "I took too many tablets on purpose",
        "thinking of ending it all",
        "everyone would be better off without me",
        "i been self harming since year 8",
        "relapsed on sh last night",
    ],
    "abuse": [
        "my stepdad hits me",
        "he hit me again last nite",
        "mum's boyfriend battered me",
        "he choked me",
        "my uncle touches me and says its normal",
        "he raped me",
        "he made me do sexual stuff",
        "he said he'd share my nudes",
        "she calls me worthless",
        "my dad beats me when hes drunk",
        "he controls everything i do, he's controlling me",
        "there's never any food in the house",
        "he asked me to send pics",
    ],
    "exploitation": [
        "they make me sell drugs",
        "i have to hold stuff for them",
        "im holdin a line for my olders",
        "they sent me country",
        "i was going ot every weekend",
        "i owe them money and they said i have to work it off",
        "my boyfriend is 23",
        "i got an older boyfriend who buys me stuff and gives me money",
        "he gives me weed and vapes for free",
        "they take me to parties in other towns",
        "they picked me up in a car and took me to a flat",
        "got robbed and now they say i owe",
        "i was cotching in a trap house",
        "they made me plug it",
        "im in county lines",
    ],
    "missing-or-held": [
        "i went missing for 3 days",
        "i ran away from home",
        "i keep running away",
        "stayed out all night with the olders",
        "they locked me in the flat",
        "i wasn't allowed to leave",
        "they wouldnt let me go home",
        "they kept me there for days",
        "i was sleeping rough",
        "i got kicked out",
        "i feel trapped",
    ],
    "threats-weapons": [
        "they threatend me",
        "hes got a knife",
        "my mate carries a shank",
        "they said theyd merk me",
        "i got merked",
        "there was a gun",
        "they're gonna stab me",
        "some boys jumped me",
        "the opps know where i live",
        "my cousin got shot",
        "he pulled a blade on me",
        "they're after me",
    ],
    "trafficking": [
        "they took my passport",
        "he keeps my papers",
        "they moved me around different houses",
        "i work for no money",
        "i dont get paid",
        "they force me to work",
        "i was brought here by a man",
        "i think i was trafficked",
        "they make me work in a cannabis farm",
    ],
    "not-safe": [
        "I am not safe",
        "i dont feel safe",
        "i dnt feel safe",
        "I don't feel safe at home",
        "im scared to go home",
        "theyll hurt me",
        "they'll hurt me if i say",
        "help me",
        "pls help",
        "please help me",
        "im so scared",
        "im scared of him",
        "someone keeps following me",
        "i cant tell anyone",
        "he told me not to tell",
        "i dont want to go home",
    ],
}


@pytest.mark.parametrize(
    ("category", "text"),
    [(c, t) for c, texts in BY_CATEGORY.items() for t in texts],
)
def test_realistic_messages_flag_with_their_category(category, text):
    result = scan(text)
    assert category in result.categories, (text, result)


# ---------------------------------------------------------------------------
# Everyday speech is not a disclosure.

EVERYDAY = [
    "this homework is killing me",
    "my feet are killing me",
    "I'm dead tired",
    "we were dying of laughter",
    "I could murder a pizza",
    "she's killing it",
    "you're killing it at football",
    "kmsl",
    "i nearly killed myself laughing",
    "i want to dye my hair blue",
    "hit me up on snap",
    "my brother beat me at fifa",
    "my mate merked me on fifa",
    "my phone went missing",
    "the knife crime workshop was really good",
    "we learned about county lines",
    "shoot me a text",
    "we had a water gun fight",
    "we watched suicide squad",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_phrases_do_not_flag(text):
    assert scan(text) == Scan(text, False, (), ())


ORDINARY_FEEDBACK = [
    "my worker is really nice and helps me a lot",
    "she listens to me and doesn't judge",
    "they help me with college",
    "she can help me with anything",
    "it would really help me if they texted back quicker",
    "my worker takes me places like the gym",
    "i feel safer now",
    "I feel safe at home now",
    "the meetings are boring",
    "my social worker keeps changing",
    "i got a new phone for my birthday",
    "it hit me how much she cares",
    "it really touched me that she remembered",
    "my worker pushed me to do better",
    "she looks after me",
    "i owe my worker a lot",
    "my worker will find me a placement",
    "she's going to get me into college",
    "the teacher kicked me out of class",
    "some days i can't get out of bed",
    "i had a stab at the questions",
    "we played football on the grass",
    "he looked me in the eye",
    "i was sitting with my daughter",
    "my mum is strapped for cash",
    "vaping is bad for you",
    "I got kicked out of school last year but now I'm at college",
    "we watched a video about violent crime",
    "i need to revise or else i'll fail",
    "my worker filmed me for the project video",
    "I was scared to talk at first",
    "im not allowed out after 10 on school nights",
    "nothing to say",
    "",
    "   ",
    "😀👍",
]


@pytest.mark.parametrize("text", ORDINARY_FEEDBACK)
def test_ordinary_feedback_does_not_flag(text):
    result = scan(text)
    assert not result.flag, result


# ---------------------------------------------------------------------------
# Negation: a "not" only excuses a match when the harmless reading is clear.


@pytest.mark.parametrize(
    "text",
    [
        "I don't feel safe",
        "i do not feel safe",
        "i never feel safe there",
        "im not safe",
        "I don't want to hurt myself anymore",
        "i dont want to kill myself anymore but i think about it",
        "im not suicidal anymore but it comes back",
        "I don't want to die",  # said under threat, this is a disclosure
        "nobody hurts me except my dad, he hits me",
        "I'm not scared of him, I'm scared of his mates",
        "he said he won't hurt me if i keep quiet",
        "it's not like i want to kill myself",
        "ngl i wanna die",  # "not going to lie" must not negate what follows
        "they're not going to stop until they find me",
        # Exceptions are narrow: these look like them but are not excused.
        "help me get away from him",
        "he hit me up against the wall",
        "he really touched me",
        "my stepdad beat me at home",
    ],
)
def test_negations_that_still_flag(text):
    assert flags(text), scan(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm not scared",
        "nobody hurts me",
        "no one hurts me at home",
        "noone hits me",
        "I'm not scared of him",
        "i would never kill myself",
        "i'd never hurt myself",
        "I never feel unsafe with my worker",
        "I'm not suicidal, just stressed",
        "I have never run away",
    ],
)
def test_negations_that_clearly_excuse(text):
    assert not flags(text), scan(text)


def test_an_excuse_does_not_reach_across_a_sentence():
    assert not flags("I want to dye my hair")
    assert flags("I want to die. Dye my hair black for the funeral")
    assert flags("I want to die, my hair is a mess")


def test_an_excuse_covers_only_its_own_occurrence():
    text = "my phone went missing. I went missing for 3 days"
    assert flags(text, "missing-or-held")
    assert flags("this homework is killing me and i want to kill myself", "suicide-self-harm")


# ---------------------------------------------------------------------------
# The no-false-negative sweep: realistic disclosures, none may be missed.

SWEEP = [
    "honestly i just want to die",
    "i wana kms",
    "been cuttin again",
    "i took a load of pills last week and no one knows",
    "sometimes i think everyone would be better off without me",
    "my step dad hits me when mum is at work",
    "he grabbed me by the neck",
    "my mums boyfriend touches me at night",
    "they make me hold stuff at my house",
    "i owe them 300 and they said id have to work it off",
    "my bf is 24 and he buys me stuff",
    "they take me to flats in other towns",
    "i was in a trap house in portsmouth for a week",
    "they keep sending me ot",
    "i been holdin the line for them",
    "they locked me in a room and took my phone",
    "i wasnt allowed to leave the flat",
    "i keep running away from my placement",
    "he pulled out a knife on me",
    "they said they're gonna merk me",
    "theres people looking for me and i dont know what to do",
    "someone threatend to stab me",
    "i got a blade for protection",
    "they took my passport and i have to work in the nail bar",
    "i dont get paid they say i owe them for bringing me here",
    "i dont feel safe at home",
    "im scared of my dad",
    "please help me i cant tell anyone",
    "if i snitch they will hurt my family",
    "i am not safe",
    "i feel like ending it",
    "no one would care if i died",
    "im gonna jump off the bridge",
    "i wanna unalive",
    "been self harming",
    "my boyfriend makes me sleep with his friends",
    "they send me to other towns to sell",
    "he said he would leak my nudes",
    "they jumped me and robbed my phone",
    "im being made to carry",
    "my mums partner shouts and throws things at me",
    "i have to do drops or they'll batter me",
    "idk if im safe",
    "he made me do things i didnt want to",
    "HELP ME",
    "i h8 my life and want 2 die",
    "Im sooooo scaredddd",
    "pleeease help",
    "i just want it all to stop",
    "nobody would miss me",
    "i took an od",
    "my mum's boyfriend comes in my room at night",
    "they keep me at the flat",
    "he watches everything i do",
    "they said they know where my little sister goes to school",
    "i keep getting arrested in other towns",
]


@pytest.mark.parametrize("text", SWEEP)
def test_no_realistic_disclosure_is_missed(text):
    assert flags(text), scan(text)


# ---------------------------------------------------------------------------
# Kinds of disclosure a phrase matcher easily misses, because they are told
# through something ordinary: a picture, a chore, a lift, being tired.


@pytest.mark.parametrize(
    "text",
    [
        "he said hell send my pics to everyone if i dont send more",
        "someones got a video of me",
        "they screenshot my snap and said theyd post it",
        "a guy online wants 50 quid or he leaks my nudes",
    ],
)
def test_threats_to_share_pictures_flag_as_abuse(text):
    assert flags(text, "abuse"), scan(text)


@pytest.mark.parametrize(
    "text",
    [
        "if im late back my dad gets the belt out",
        "when i get bad marks mum makes me kneel on rice",
        "i get hit if i dont do the dishes",
        "i get a slap if my room is messy",
    ],
)
def test_being_hurt_at_home_as_a_consequence_flags_as_abuse(text):
    assert flags(text, "abuse"), scan(text)


@pytest.mark.parametrize(
    "text",
    [
        "woke up in a flat i didnt know",
        "they drove me somewhere and i dont know where i was",
        "been staying at some guys place, dont know the address",
        "they told me not to leave the flat",
    ],
)
def test_being_kept_or_moved_somewhere_unknown_is_danger_now(text):
    result = scan(text)
    assert "missing-or-held" in result.categories and result.level == "danger-now", result


@pytest.mark.parametrize(
    "text",
    [
        "everyone would be better off without me",
        "whats the point of anything",
        "i just want to sleep forever",
        "im tired of being here",
    ],
)
def test_passive_thoughts_of_not_being_here_flag_as_worrying(text):
    result = scan(text)
    assert result.categories == ("suicide-self-harm",) and result.level == "worrying", result


@pytest.mark.parametrize(
    "text",
    [
        "i have the rope ready",
        "im gonna take all my mums tablets tonight",
        "i tried to hang myself",
        "im going to end my life on friday",
        "he choked me till i couldnt breathe",
    ],
)
def test_a_method_a_plan_or_strangling_is_danger_now(text):
    assert scan(text).level == "danger-now", scan(text)


@pytest.mark.parametrize(
    "text",
    [
        "that film was killer",
        "my phone died",
        "i got shot in the head by a kid in fortnite",
        "she made me laugh till i cried",
        "i twisted my wrist at basketball",
        "my mum took my phone off me cos i was on it too late",
        "my worker took me somewhere nice for lunch",
        "im thinking about dying my hair red",
        "i hope i dont wake up late tomorrow",
    ],
)
def test_their_everyday_look_alikes_do_not_flag(text):
    assert not flags(text), scan(text)


def test_a_disclosure_buried_in_a_long_positive_answer_still_flags():
    text = (
        "My worker is amazing and she always listens. We go to the gym and she "
        "helped me with my CV. "
        * 20
        + "but sometimes I still want to kill myself. "
        + "The sessions are good and I like the youth club. " * 10
    )
    result = scan(text)
    assert result.categories == ("suicide-self-harm",)


# ---------------------------------------------------------------------------
# Normalising: text-speak, digits for letters, stretched letters, slips.


@pytest.mark.parametrize(
    ("written", "phrase_text"),
    [
        ("kms", "i want to kill myself"),
        ("i wanna die", "i want to die"),
        ("im scared", "i am scared"),
        ("u r gonna hurt me", "you are going to hurt me"),
        ("i dont feel safe", "i do not feel safe"),
        ("k1ll myself", "kill myself"),
        ("killlll myself", "kill myself"),
        ("kil myself", "kill myself"),
        ("KILL MYSELF", "kill myself"),
        ("kill myslef", "kill myself"),
        ("Iʼm scared", "I am scared"),  # a typographic apostrophe
        ("suïcide", "suicide"),
    ],
)
def test_writing_styles_read_alike(written, phrase_text):
    assert scan(written).matched == scan(phrase_text).matched != ()


def test_a_one_letter_slip_needs_a_key_word_of_five_letters_or_more():
    assert flags("sucide")
    assert flags("i feel sucidal")
    assert not flags("i like ot")  # "ot" alone is too short to read as a slip


def test_real_words_are_never_read_as_slips():
    # "sitting"/"hitting", "kissing"/"missing", "looked"/"locked", "vaping"/"raping"
    for text in (
        "he was sitting me down",
        "we were kissing",
        "he looked me in",
        "they were vaping",
    ):
        assert not flags(text), scan(text)


# ---------------------------------------------------------------------------
# The API.


def test_scan_returns_a_frozen_result_with_file_phrases():
    result = scan("I want to kill myself and they'll hurt me")
    assert result.flag is True
    assert set(result.categories) == {"suicide-self-harm", "abuse", "not-safe"}
    assert list(result.categories) == [c for c in CATEGORIES if c in result.categories]
    sources = {e.text for e in BOOK.entries}
    assert set(result.matched) <= sources
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.flag = False  # type: ignore[misc]


def test_scan_to_json_has_exactly_the_agreed_keys():
    result = scan("help me")
    data = scan_to_json(result)
    assert data == {
        "text": "help me",
        "flag": True,
        "categories": ["not-safe"],
        "matched": ["help me"],
        "level": "worrying",
    }
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(
    "text",
    [
        "i'm going to kill myself tonight",
        "he said he's going to stab me",
        "they locked me in the flat and i can't get out",
        "i took an overdose",
        "i am in danger",
    ],
)
def test_a_threat_to_life_weapons_or_being_held_is_danger_now(text):
    assert scan(text).level == "danger-now"


@pytest.mark.parametrize(
    "text",
    [
        "i ran away from my placement last week",
        "i self harm when it gets bad",
        "i have beef with the opps",
        "my boyfriend is way older than me",
    ],
)
def test_other_disclosures_are_worrying(text):
    result = scan(text)
    assert result.flag and result.level == "worrying"


def test_the_most_urgent_level_wins():
    assert scan("i ran away and they locked me in the flat").level == "danger-now"


def test_a_message_that_does_not_flag_has_no_level():
    assert scan("my worker is sound").level is None


def test_a_level_the_file_does_not_know_is_refused(tmp_path):
    data = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["categories"]["abuse"]["level"] = "whenever"
    path = tmp_path / "phrases.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(PhraseFileError, match="level"):
        load_phrases(path)


def test_nothing_to_scan_is_not_a_flag():
    assert scan("") == Scan("", False, (), ())


def test_scan_refuses_what_is_not_text():
    with pytest.raises(TypeError):
        scan(None)  # type: ignore[arg-type]


def test_the_default_phrase_book_is_loaded_once():
    assert load_phrases() is load_phrases()
    assert load_phrases(DEFAULT_PATH) is not load_phrases()


def test_the_detector_runs_without_flask():
    source = str(Path(detector.__file__))
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('detector', {source!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "sys.modules['detector'] = module\n"
        "spec.loader.exec_module(module)\n"
        "assert module.scan('kms').flag\n"
        "assert 'flask' not in sys.modules, 'the detector imported flask'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)  # noqa: S603


# ---------------------------------------------------------------------------
# Speed: a long answer is scanned quickly, whatever is in it.


def _time_scan(text: str) -> float:
    scan(text)  # the first scan of new words fills caches
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        scan(text)
        best = min(best, time.perf_counter() - start)
    return best


def test_a_2000_character_answer_is_fast():
    text = (
        "My worker helps me a lot and we talk about school and my mum and stuff. "
        "Sometimes i feel scared when i go out but its getting better ngl. "
    ) * 15
    text = text[:2000]
    assert _time_scan(text) < 0.05


@pytest.mark.parametrize(
    "text",
    [
        "help me " * 250,
        "i am scared of my mum's boyfriend's mates " * 50,
        "a" * 2000,
        "kill " * 400,
        "my the his older " * 120,
    ],
    ids=["repeated-hit", "someone-wildcards", "one-long-word", "repeated-key-word", "determiners"],
)
def test_awkward_long_answers_are_still_fast(text):
    assert _time_scan(text[:2000]) < 0.2


# ---------------------------------------------------------------------------
# Loading: a mistake in the file is reported with the entry it is in.


def _valid_data() -> dict:
    entry = {"phrase": "hurts me", "examples": ["he hurts me"]}  # numbered per category below
    return {
        "text_speak": {"im": "I'm"},
        "someone": ["he", "mum"],
        "not_typos": ["vaping"],
        "everyday": [{"phrase": "killing it", "examples": ["killing it"]}],
        "categories": {
            code: {
                "label": code.title(),
                "phrases": [dict(entry, phrase=f"hurts me {i}", examples=[f"he hurts me {i}"])],
            }
            for i, code in enumerate(PHRASE_CATEGORIES)
        },
    }


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "phrases.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_minimal_valid_file_loads(tmp_path):
    book = load_phrases(_write(tmp_path, _valid_data()))
    assert book.scan("he hurts me 0").categories == ("suicide-self-harm",)


def _with_abuse_entry(**entry) -> dict:
    data = _valid_data()
    data["categories"]["abuse"]["phrases"].append(entry)
    return data


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("categories: [", "not valid YAML"),
        ("- just\n- a list\n", "the file: should be a set of"),
        (
            {**_valid_data(), "categories": {**_valid_data()["categories"], "exploitaton": {}}},
            "unknown key(s) ['exploitaton']",
        ),
        (
            _with_abuse_entry(phrase="hits me"),
            "categories › abuse › entry 2 ('hits me'): missing ['examples']",
        ),
        (
            _with_abuse_entry(phrase="hits me", example=["he hits me"]),
            "entry 2 ('hits me'): unknown key(s) ['example']",
        ),
        (
            _with_abuse_entry(phrase="owe {somone} money", examples=["x"]),
            "('owe {somone} money'): unknown wildcard {somone}",
        ),
        (_with_abuse_entry(phrase="(hit|hits me", examples=["x"]), "'(' is never closed"),
        (_with_abuse_entry(phrase="hit|hits me", examples=["x"]), "'|' separates choices only"),
        (_with_abuse_entry(phrase="hits me)", examples=["x"]), "')' has no opening bracket"),
        (_with_abuse_entry(phrase="kill.*myself", examples=["x"]), "'*' is not allowed"),
        (_with_abuse_entry(phrase="(hit|) me", examples=["x"]), "a choice in '(...)' is empty"),
        (_with_abuse_entry(phrase="[hits me]", examples=["x"]), "no words that must be there"),
        (
            _with_abuse_entry(phrase="{anything} hurts me", examples=["x"]),
            "may not start or end with {something} or {anything}",
        ),
        (_with_abuse_entry(phrase="{someone hurts me", examples=["x"]), "'{' is never closed"),
        (
            _with_abuse_entry(phrase="hurts me 0", examples=["x"]),
            "the same phrase is already at categories › suicide-self-harm › entry 1",
        ),
        (
            _with_abuse_entry(phrase="hits me", examples=["x"], negated_by=["nobody hits me"]),
            "entry 2 ('hits me'): has negated_by but no not_examples",
        ),
        (
            _with_abuse_entry(
                phrase="hits me",
                examples=["x"],
                negated_by=["nobody (hits me"],
                not_examples=["nobody hits me"],
            ),
            "negated_by 'nobody (hits me': '(' is never closed",
        ),
        (
            _with_abuse_entry(phrase="hits me", examples=[]),
            "examples: should be a list of one or more",
        ),
        (
            _with_abuse_entry(phrase="hits me", examples=[3]),
            "item 1 should be some words in quotes",
        ),
        (
            {**_valid_data(), "text_speak": {"no way": "nah"}},
            "text_speak › 'no way': the written form",
        ),
        ({**_valid_data(), "someone": ["my mum"]}, "someone: 'my mum' should be one word"),
        ({**_valid_data(), "everyday": []}, "everyday: should be a list of entries"),
        (
            {**_valid_data(), "everyday": [{"phrase": "(a|b", "examples": ["a"]}]},
            "everyday › entry 1 ('(a|b'): '(' is never closed",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 60 else None,
)
def test_a_broken_file_is_refused_with_the_entry_named(tmp_path, data, expected):
    path = _write(tmp_path, data)
    with pytest.raises(PhraseFileError) as caught:
        load_phrases(path)
    assert expected in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_missing_categories_is_named(tmp_path):
    data = _valid_data()
    del data["categories"]["trafficking"]
    with pytest.raises(PhraseFileError, match=r"categories: missing \['trafficking'\]"):
        load_phrases(_write(tmp_path, data))


def test_a_missing_file_is_reported(tmp_path):
    with pytest.raises(PhraseFileError, match="cannot read the phrase file"):
        load_phrases(tmp_path / "nope.yaml")


def test_an_example_that_does_not_flag_is_reported(tmp_path):
    data = _valid_data()
    data["categories"]["abuse"]["phrases"][0]["examples"] = ["he is lovely"]
    book = load_phrases(_write(tmp_path, data))
    problems = example_problems(book)
    assert problems == [
        "abuse: phrase 'hurts me 1' does not flag its example 'he is lovely' (flagged: [])"
    ]
