"""Labelled examples of free text, checked by the text tests and scored by bench/text.py.

Each list is one kind of case the analyser must get right; the tests say why. Kept in one
module so the benchmark measures every analyser on exactly what the tests demand.
"""

# Words young people use differently from standard English: TextBlob alone gets each
# of these wrong (the test checks that too).
LEXICON_OVERRIDES = [
    ("the trip to the coast was sick", "positive"),
    ("the food was bare peng", "positive"),
    ("the meetings are so long", "negative"),
    ("it's peak that she left", "negative"),
]

# "sick" meaning ill.
ILL = [
    ("I felt sick when I saw them", "negative"),
    ("I was off sick all week", "negative"),
    ("she made me feel sick", "negative"),
]

# (plain, its label, the same negated): the negated one has the other label.
NEGATION_PAIRS = [
    ("my worker is safe", "positive", "my worker is not safe"),
    ("my worker is sick", "positive", "my worker isn't sick"),
    ("she is sick", "positive", "she isnt sick"),
    ("he listens", "positive", "he never listens"),
    ("they listen to me", "positive", "they don't listen to me"),
    ("my worker listens", "positive", "nobody listens"),
    ("the meetings are long", "negative", "the meetings are not long"),
    ("I felt judged", "negative", "I never felt judged"),
    ("I was scared", "negative", "I was not scared"),
    ("she is good", "positive", "she is not good"),
    ("she is really sick", "positive", "she isn't even that sick"),
]

OTHER_SENTIMENT = [
    ("as long as she comes", "neutral"),
    # Phones glue emoji to the word before.
    ("my worker\U0001f60a", "positive"),
    ("waiting again\U0001f621", "negative"),
    # The "no" of "no cap" negates nothing.
    ("no cap she is sick", "positive"),
    # Negation stops at "and": were "not" to reach "sick", it would outweigh "not late".
    ("she was not late and sick", "positive"),
]

# Clearly good about one thing and clearly bad about another.
MIXED = [
    "My worker is sick but the waiting list is long",
    "The police were rubbish. My worker was amazing though.",
    "I love the boxing - the meetings are a waste of time",
    "she's safe tho the meetings are long",
    "The trip was great!! The food was grim",
]

# Nothing that carries sentiment: neutral with polarity 0.
NEUTRAL = [
    "",
    "   ",
    "...",
    "I have meetings on Tuesdays.",
    "I went to college on Monday",
    "my worker innit",
    "it's giving college",
]

# A flat clause beside a felt one does not make a comment mixed.
ONE_SIDED = [
    ("My worker is great", "positive"),
    ("My worker is great but I have meetings on Tuesdays", "positive"),
    ("the meetings are boring", "negative"),
    ("the meetings are boring. I go on Tuesdays", "negative"),
]

# How young people and parents complain and praise: negation further back than TextBlob
# looks, a turn to a complaint, complaints without a bad word in them (waiting, not being
# rung back, not being told or asked, telling one's story again, being moved, ticking
# boxes, nothing changing), and slang both ways.
COMPLAINTS_AND_PRAISE = [
    ("she never makes me feel stupid", "positive"),
    ("no one made me feel like a bad mum", "positive"),
    ("she's sound but i only see her once a month", "mixed"),
    ("still waiting for someone to ring me back", "negative"),
    ("nobody rang me back", "negative"),
    ("had to explain everything again to another new worker", "negative"),
    ("no one asked me before they rang my mum", "negative"),
    ("they told the school without telling me", "negative"),
    ("it's not made any difference tbh", "negative"),
    ("they moved me again", "negative"),
    ("it's just ticking boxes", "negative"),
    ("they say they care but they don't", "negative"),
    ("i didn't think it would help but it has", "positive"),
    ("would be nice if someone actually turned up", "negative"),
    ("the trip was peak", "negative"),
    ("the boxing was sick", "positive"),
    ("my worker is well safe", "positive"),
    ("the sessions are long", "negative"),
    ("the staff are dead nice", "positive"),
]

# The lexicon, negation and labelling examples, as (text, label).
WORD_EXAMPLES: list[tuple[str, str]] = [
    *LEXICON_OVERRIDES,
    *ILL,
    *(
        pair
        for plain, label, negated in NEGATION_PAIRS
        for pair in ((plain, label), (negated, "negative" if label == "positive" else "positive"))
    ),
    *OTHER_SENTIMENT,
    *((text, "mixed") for text in MIXED),
    *((text, "neutral") for text in NEUTRAL),
    *ONE_SIDED,
]

# Every comment-level example above.
SENTIMENT_EXAMPLES = [*WORD_EXAMPLES, *COMPLAINTS_AND_PRAISE]

# Each theme a comment mentions, with the feeling of the words around the mention: the
# whole set, so a theme found that should not be fails as much as one missed.
CLAUSE_THEME_EXAMPLES: list[tuple[str, set[tuple[str, str]]]] = [
    (
        "My worker is sick but the waiting list is long",
        {("trust-in-worker", "positive"), ("waiting", "negative")},
    ),
    (
        "I go to school on Mondays. My worker is amazing.",
        {("school-college", "neutral"), ("trust-in-worker", "positive")},
    ),
    (
        "The police were rubbish. The police officer at court was kind though.",
        {("police", "negative"), ("police", "positive")},
    ),
    ("the police were rubbish", {("police", "negative")}),
]

# The same across turns, negation, slang and complaints with no bad word in them.
TURN_THEME_EXAMPLES: list[tuple[str, set[tuple[str, str]]]] = [
    # Several themes, each with its own feeling, across a turn.
    (
        "the youth worker was great but court was a nightmare",
        {("trust-in-worker", "positive"), ("police", "negative")},
    ),
    # One clause good about one thing and bad about another.
    (
        "the trips are great, the meetings are boring",
        {("activities", "positive"), ("contact-meetings", "negative")},
    ),
    # Negation reaches the theme's feeling as it reaches the comment's.
    ("she never makes me feel stupid", {("judged-blamed", "positive")}),
    ("nobody listens to me", {("listened-to", "negative")}),
    # "well safe" is praise for the worker, not a word about feeling safe.
    ("my worker is well safe", {("trust-in-worker", "positive")}),
    ("i feel well safe now", {("feeling-safe", "positive")}),
    # A complaint with no bad word in it is bad news for its theme.
    (
        "still waiting for someone to ring me back",
        {("waiting", "negative"), ("contact-meetings", "negative")},
    ),
    (
        "had to explain everything again to another new worker",
        {("worker-changes", "negative"), ("trust-in-worker", "negative")},
    ),
]

THEME_EXAMPLES = [*CLAUSE_THEME_EXAMPLES, *TURN_THEME_EXAMPLES]
