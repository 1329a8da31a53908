"""A manager sets up sign-in codes in a real browser (QR code drawn inline, the key to
type, no script needed), keeps the recovery codes, then signs in with a code."""

from __future__ import annotations

import re

import pyotp
import pytest

from tests.browser.checks import check_accessible
from tests.conftest import next_code

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}


def _password(page, live_server, email):
    page.goto(f"{live_server.url}/sign-in")
    page.fill("#email", email)
    page.fill("#password", "a long password!")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()


def test_a_manager_sets_up_codes_and_signs_in_with_one(live_server, phone):
    email = live_server.staff("manager", "enrol.manager@example.org", enrol=False)
    # Without JavaScript the QR code shows and the form works.
    no_script = phone(javascript=False, viewport=LAPTOP).new_page()
    _password(no_script, live_server, email)
    assert no_script.url.endswith("/sign-in/set-up-codes")
    qr = no_script.get_by_role("img", name="QR code to scan with your authenticator app")
    assert qr.is_visible() and qr.bounding_box()["width"] >= 100
    no_script.fill("#code", "000000")
    with no_script.expect_navigation():
        no_script.get_by_role("button", name="Turn on sign-in codes").click()
    assert "That code is not right" in no_script.inner_text(".govuk-error-summary")

    page = phone(viewport=LAPTOP).new_page()
    _password(page, live_server, email)
    assert page.url.endswith("/sign-in/set-up-codes")
    # Nothing else is reachable before the codes are set up.
    page.goto(f"{live_server.url}/dashboard")
    assert "/sign-in" in page.url
    page.goto(f"{live_server.url}/sign-in/set-up-codes")
    check_accessible(page)

    secret = page.inner_text("#secret").replace(" ", "")
    page.fill("#code", pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on sign-in codes").click()
    page.wait_for_selector(".app-recovery-codes")
    assert page.locator("h1").inner_text() == "Your recovery codes"
    codes = page.locator(".app-recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert all(re.fullmatch(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", c) for c in codes)
    check_accessible(page)
    page.get_by_role("link", name="I have kept my recovery codes").click()
    page.wait_for_url("**/staff")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in")
    _password(page, live_server, email)
    assert page.url.endswith("/sign-in/code")
    check_accessible(page)
    page.fill("#code", next_code(live_server.app, live_server.user_id(email)))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/staff")
