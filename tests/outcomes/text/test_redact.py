import re

import pytest

from outcomes.text import redact
from outcomes.text.redact import first_names

# Each quote with the details that must not survive and the placeholders that should
# stand in for them. Written the way young people and parents actually write: lower case,
# no full stops, title case, capitals, slang.
QUOTES = [
    (
        "My worker Sam is sick, she always texts back. I live on Oldham Road near Moss Side.",
        ["Sam", "Oldham", "Moss Side"],
        ["[name]", "[place]"],
    ),
    (
        "call me on 07712 345678 or email jay.b123@gmail.com if u need me",
        ["07712", "345678", "jay.b123", "gmail"],
        ["[phone number]", "[email]"],
    ),
    ("we moved to M14 5RL last year and its calm now", ["M14", "5RL"], ["[postcode]"]),
    (
        "Jayden from Parkside Academy said I'm a snitch",
        ["Jayden", "Parkside"],
        ["[name]", "[place]"],
    ),
    (
        "me and tyreke got stopped by police in hulme",
        ["tyreke", "hulme"],
        ["[name]", "[place]"],
    ),
    ("Kez from the YOT was bare helpful", ["Kez"], ["[name]"]),
    ("My mum's boyfriend Darren is the problem not me", ["Darren"], ["[name]"]),
    ("PC Hughes was alright to me tbh", ["Hughes"], ["[name]"]),
    (
        "Miss Patel at Highfield High helped me get back into lessons",
        ["Patel", "Highfield"],
        ["[name]", "[place]"],
    ),
    (
        "Went missing to Leeds with my cousin Aaliyah.",
        ["Leeds", "Aaliyah"],
        ["[name]", "[place]"],
    ),
    ("my snap is @kaydz_07 if anyone wants to talk", ["kaydz"], ["[name]"]),
    ("MY WORKER KAREN IS SO LONG", ["KAREN"], ["[name]"]),
    ("i live at 23 moss lane with my nan", ["23", "moss lane"], ["[place]"]),
    (
        "she took me to St Mary's Hospital when I got hurt",
        ["St Mary", "Mary's"],
        ["[place]"],
    ),
    (
        "Mohammed and Zara helped me at the Trafford Centre",
        ["Mohammed", "Zara", "Trafford"],
        ["[name]", "[place]"],
    ),
    ("a girl called jess helped me when I was on the estate", ["jess"], ["[name]"]),
    ("Mr. Okafor from the council rang my mum", ["Okafor"], ["[name]"]),
    (
        "My social worker, Bernadette, comes to Wythenshawe every week",
        ["Bernadette", "Wythenshawe"],
        ["[name]", "[place]"],
    ),
    (
        "Our son felt listened to by Claire and Dev. Thank you from the Nowaks",
        ["Claire", "Dev", "Nowak"],
        ["[name]"],
    ),
    ("I was at Sam's house when they raided it", ["Sam"], ["[name]"]),
    (
        "text me 07700-900-123 or ring the house on 0161 496 0000",
        ["07700", "900", "0161", "496"],
        ["[phone number]"],
    ),
    ("my number is +44 7700 900123", ["7700", "900123"], ["[phone number]"]),
    ("we used to live on Cheetham Hill Road, M8 9AB", ["Cheetham", "M8", "9AB"], ["[place]"]),
    ("i live in M14 now", ["M14"], ["[postcode]"]),
    ("Tyreke's mum got me a job at Greggs", ["Tyreke"], ["[name]"]),
    ("my worker Will came to court with me", ["Will"], ["[name]"]),
    ("My Worker Jaz Is Really Nice And Kind", ["Jaz"], ["[name]"]),
    ("she works at Burnage Academy for Boys", ["Burnage"], ["[place]"]),
    ("email my mum at k.oneill@outlook.co.uk", ["oneill", "outlook"], ["[email]"]),
    ("my insta is instagram.com/lil.kay99", ["lil.kay99"], ["[link]"]),
    # Names that are also English words, which only their capital gives away.
    ("I trust Rose and Hunter more than anyone", ["Rose", "Hunter"], ["[name]"]),
    # A role says the next word is a name even when it is a month or not capitalised.
    ("my worker May is lovely", ["May"], ["[name]"]),
    ("my worker jaz is lovely", ["jaz"], ["[name]"]),
    ("me n jayden went to the park", ["jayden"], ["[name]"]),
    ("i dont trust the feds in longsight", ["longsight"], ["[place]"]),
    ("Kayleigh-Marie is my best mate", ["Kayleigh", "Marie"], ["[name]"]),
    ("Dr Ahmed at the walk in centre was nice", ["Ahmed"], ["[name]"]),
    ("I stay with my dad in Gorton on weekends", ["Gorton"], ["[place]"]),
    # All capitals: capitals say nothing, so context and the word lists decide.
    ("I LIVE IN MOSS SIDE WITH TYREKE", ["MOSS", "SIDE", "TYREKE"], ["[place]", "[name]"]),
    ("MY WORKER SAM JONES HELPED ME", ["SAM", "JONES"], ["[name]"]),
]


@pytest.mark.parametrize(
    ("quote", "secrets", "placeholders"), QUOTES, ids=[q[:40] for q, _, _ in QUOTES]
)
def test_no_identifying_detail_survives(quote, secrets, placeholders):
    redacted = redact(quote)
    for secret in secrets:
        assert secret.lower() not in redacted.lower(), redacted
    for placeholder in placeholders:
        assert placeholder in redacted, redacted


@pytest.mark.parametrize(
    "phone",
    [
        "07700 900123",
        "07700900123",
        "07700-900-123",
        "077 0090 0123",
        "+44 7700 900123",
        "+447700900123",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "01632 960123",
        "01632 960 123",
        "(01632) 960123",
        "0161 496 0000",
        "0161-496-0000",
        "020 7946 0958",
        "0113 496 0000",
        "7700 900 123",
    ],
)
def test_uk_phone_numbers(phone):
    assert redact(f"ring me on {phone} after school") == ("ring me on [phone number] after school")


@pytest.mark.parametrize(
    "email", ["sam@example.com", "j.o'neill+yv@mail.example.co.uk", "KAY_99@Hotmail.COM"]
)
def test_email_addresses(email):
    assert redact(f"my email is {email} ok") == "my email is [email] ok"


@pytest.mark.parametrize(
    "postcode", ["M14 5RL", "m145rl", "SW1A 1AA", "B23 6TT", "LS6 3AB", "ec1a 1bb", "W1A 0AX"]
)
def test_uk_postcodes(postcode):
    assert redact(f"we live at {postcode} now") == "we live at [postcode] now"


@pytest.mark.parametrize(
    "quote",
    [
        "My worker listens to me and I feel safe now.",
        "I don't like the meetings on Monday",
        "Childline helped me in March",
        "Honestly she is the best",
        "Tbh the meetings are long",
        "I go to the Youth Centre on Tuesdays",
        "she helped me with my GCSEs and my CV",
        "The police were rubbish but CAMHS were ok",
        "I'm in Year 10 now and I go to school every day",
        "My Worker Is Really Nice And Kind",
        "MY WORKER IS SO LONG",
        "MY WORKER HELPED ME WITH COLLEGE",
        "I hope my mum and dad are proud of me",
        "we went to McDonald's after the meeting",
        "my worker will come tomorrow",
        "ring me at 5pm on 12/03",
        "I got 3 GCSEs in 2024",
    ],
)
def test_quotes_with_nothing_identifying_are_left_alone(quote):
    assert redact(quote) == quote


def test_contractions_typed_without_apostrophes_are_not_names():
    assert redact("my sw is called danielle and shes safe") == (
        "my sw is called [name] and shes safe"
    )


def test_a_possessive_keeps_its_s():
    assert redact("Sam's the best") == "[name]'s the best"


def test_a_full_name_becomes_one_placeholder():
    assert redact("I told Sarah Louise Jones everything") == "I told [name] everything"


def test_a_title_and_name_become_one_placeholder():
    assert redact("Mr. Smith was ok") == "[name] was ok"


def test_an_unknown_name_opening_a_sentence_is_caught():
    assert redact("Tyreke is my worker") == "[name] is my worker"


def test_an_ordinary_word_opening_a_sentence_is_kept():
    assert redact("Honestly my worker is sound") == "Honestly my worker is sound"


def test_an_unknown_capitalised_name_mid_sentence_is_caught_without_the_names_list():
    name = "Zephyrine"
    assert name.lower() not in first_names()
    assert redact(f"I trust {name} more than anyone") == "I trust [name] more than anyone"


def test_redaction_is_idempotent():
    for quote, _, _ in QUOTES:
        once = redact(quote)
        assert redact(once) == once


def test_the_names_list_has_no_everyday_words():
    # Lower-case "will" or "hope" in a quote is almost never a name.
    assert not {"will", "hope", "grace", "mark", "may", "summer", "angel"} & first_names()
    assert all(re.fullmatch(r"[a-z'-]+", name) for name in first_names())
