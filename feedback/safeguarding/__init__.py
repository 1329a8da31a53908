"""Safeguarding: spotting disclosures in young people's free-text answers."""
