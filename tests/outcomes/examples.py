"""The worked examples written in complex-safeguarding-v1.yaml's comments, as data the
scoring, rescoring and app tests share."""

from outcomes.questionnaires import RATHER_NOT_SAY

# Worked example 1: a check-in on its own.
EXAMPLE_1 = {
    "feel-safe": "safe",
    "trusted-adult": "yes",
    "listened-to": "mostly",
    "school": RATHER_NOT_SAY,
    "feelings": "ok",
    "home": "bad",
    "stayed-away": "yes",
    "future": "really-good",
    "what-helped": ["talking"],
    "anything-else": "My worker is alright.",
}

# Worked example 2: a check-in with case facts and goal ratings.
EXAMPLE_2_ANSWERS = {
    "feel-safe": "in-between",
    "trusted-adult": "not-sure",
    "listened-to": "always",
    "school": "good",
    "feelings": "bad",
    "home": "ok",
    "stayed-away": "no",
    "future": RATHER_NOT_SAY,
}

EXAMPLE_2_FACTS = {
    "going-missing.missing-episodes": 2,
    "education.in-education": "partly",
    "family-home.living-at-home": "home",
    "safety.in-borough": "out",
    "drugs-alcohol.use": "now-and-then",
}

EXAMPLE_2_GOALS = [3, 7, 8]
