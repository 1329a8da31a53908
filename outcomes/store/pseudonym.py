"""The one way a case reference becomes the store's name for a young person."""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


def pseudonymise(key: bytes, value: str) -> str:
    """A stable pseudonym for a case reference (or any identifier) under one secret key."""
    return hmac.new(key, value.strip().upper().encode(), hashlib.sha256).hexdigest()
