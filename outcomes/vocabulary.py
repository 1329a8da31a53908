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

# Bands wide enough that a band and a team together rarely single anyone out.
AGE_BANDS: dict[str, str] = {
    "under-11": "Under 11",
    "11-13": "11 to 13",
    "14-15": "14 to 15",
    "16-17": "16 to 17",
    "18-plus": "18 and over",
}

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


def age_band(date_of_birth: date, on: date) -> str:
    age = age_on(date_of_birth, on)
    if age < 11:
        return "under-11"
    if age <= 13:
        return "11-13"
    if age <= 15:
        return "14-15"
    if age <= 17:
        return "16-17"
    return "18-plus"
