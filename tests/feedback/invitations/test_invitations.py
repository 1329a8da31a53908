from __future__ import annotations

import re
from datetime import timedelta

import pytest

from feedback.invitations import services
from feedback.invitations.services import CODE_ALPHABET, InvitationState, normalise_code
from tests.conftest import utcnow


def test_alphabet_has_no_look_alikes():
    assert not set("0O1IL") & set(CODE_ALPHABET)


def test_invitation_has_long_token_short_code_and_14_day_expiry(make_invitation):
    issued = make_invitation()
    assert len(issued.token) >= 22  # 128 bits or more in URL-safe base64
    assert re.fullmatch(f"[{CODE_ALPHABET}]{{8}}", issued.code)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", issued.display_code)
    lifetime = issued.invitation.expires_at - issued.invitation.created_at
    assert lifetime == timedelta(days=14)
    # Neither secret is stored in the clear.
    assert issued.token not in issued.invitation.token_hash
    assert issued.code not in issued.invitation.code_hash


def test_codes_are_distinct(make_invitation, make_case):
    case = make_case()
    codes = {make_invitation(case=case).code for _ in range(20)}
    assert len(codes) == 20


@pytest.mark.parametrize("typed", ["abcd efgh", "ABCD-EFGH", " abcdefgh "])
def test_normalise_code_accepts_what_people_type(typed):
    assert normalise_code(typed) == "ABCDEFGH"


def test_state_of(make_invitation, session):
    issued = make_invitation()
    now = utcnow()
    assert services.state_of(issued.invitation, now) is InvitationState.LIVE
    assert services.state_of(issued.invitation, now + timedelta(days=15)) is InvitationState.EXPIRED
    issued.invitation.used_at = now
    assert services.state_of(issued.invitation, now) is InvitationState.USED
    assert services.state_of(None, now) is InvitationState.UNKNOWN
