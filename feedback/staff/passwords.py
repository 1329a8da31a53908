"""Hashing of staff passwords and young people's PINs: argon2id.

Live, the parameters are the RFC 9106 low-memory profile (argon2-cffi's default). The
test suite asks for the cheapest parameters (`PASSWORD_HASHING = "cheapest"`), which
only the testing set-up accepts: a hash takes microseconds instead of a
large part of a second, and a stored hash of either kind verifies under both.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher, profiles
from flask import current_app, has_app_context

DEFAULT = "rfc-9106-low-memory"
PROFILES = {DEFAULT: profiles.RFC_9106_LOW_MEMORY, "cheapest": profiles.CHEAPEST}
# Only a set-up that never holds real people's data may hash cheaply.
CHEAP_ALLOWED = ("testing",)


@cache
def _hasher(name: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(PROFILES[name])


def _profile() -> str:
    """The profile the current app is set up for (the default outside an app)."""
    return current_app.config.get("PASSWORD_HASHING", DEFAULT) if has_app_context() else DEFAULT


def hasher() -> PasswordHasher:
    return _hasher(_profile())


@cache
def _dummy_hash(name: str) -> str:
    return _hasher(name).hash("not-a-real-password")


def dummy_hash() -> str:
    """A hash to verify against when there is no account, so that a wrong email takes as
    long as a wrong password."""
    return _dummy_hash(_profile())
