"""The words both sides share: exploitation strands, age bands, genders."""

from __future__ import annotations

from datetime import date

STRANDS: dict[str, str] = {
    "sexual-exploitation": "Sexual exploitation",
    "criminal-exploitation": "Criminal exploitation and county lines",
    "modern-slavery": "Modern slavery and trafficking",
    "serious-youth-violence": "Serious youth violence and organised crime",
    "radicalisation": "Radicalisation",
    "honour-based-abuse": "Honour-based abuse",
    "missing": "Missing from home or care",
}

# Age bands: (code, words, youngest, oldest or None). "service" is the store's and the
# dashboard's: bands wide enough that a band and a team together rarely single anyone
# out. "committee" is how scrutiny committees ask for ages in a report. `age_band` is
# the one rule that places an age in a band of either.
AGE_BAND_SCHEMES: dict[str, tuple[tuple[str, str, int, int | None], ...]] = {
    "service": (
        ("under-11", "Under 11", 0, 10),
        ("11-13", "11 to 13", 11, 13),
        ("14-15", "14 to 15", 14, 15),
        ("16-17", "16 to 17", 16, 17),
        ("18-plus", "18 and over", 18, None),
    ),
    "committee": (
        ("under-11", "Under 11", 0, 10),
        ("11-12", "11-12", 11, 12),
        ("13-14", "13-14", 13, 14),
        ("15-16", "15-16", 15, 16),
        ("17-plus", "17+", 17, None),
    ),
}


def age_bands(scheme: str = "service") -> dict[str, str]:
    """A scheme's band codes and their words, youngest first."""
    return {code: words for code, words, _low, _high in AGE_BAND_SCHEMES[scheme]}


AGE_BANDS: dict[str, str] = age_bands("service")

GENDERS: dict[str, str] = {
    "girl": "Girl or young woman",
    "boy": "Boy or young man",
    "other": "In another way",
    "prefer-not-to-say": "Prefer not to say",
}

QUESTIONNAIRE_KINDS: dict[str, str] = {
    "checkin": "Check-in",
    "exit-young-person": "Exit interview (young person)",
    "exit-family": "Exit interview (family)",
    "service-feedback": "Anonymous feedback",
}


def age_on(date_of_birth: date, on: date) -> int:
    return (
        on.year
        - date_of_birth.year
        - ((on.month, on.day) < (date_of_birth.month, date_of_birth.day))
    )


def age_band(date_of_birth: date, on: date, scheme: str = "service") -> str:
    age = age_on(date_of_birth, on)
    bands = AGE_BAND_SCHEMES[scheme]
    for code, _words, low, high in bands:
        if age >= low and (high is None or age <= high):
            return code
    return bands[0][0]  # an age below every band's (a date of birth after the day)
