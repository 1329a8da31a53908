"""The outcomes framework page for admins, and the start-up check of definitions."""

from __future__ import annotations

import shutil

import pytest

from feedback import create_app
from outcomes import framework as framework_module
from outcomes.framework import FrameworkError


def test_admin_sees_versions_domains_indicators_and_what_feeds_them(client, auth, make_user):
    auth.sign_in(make_user("admin", teams=()))
    response = client.get("/admin/outcomes-framework")
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Complex Safeguarding outcomes: version 1" in text
    assert "Going missing (reliable change more than 25)" in text
    assert "<code>going-missing.missing-episodes</code><br>Missing episodes" in text
    assert "<code>missing-episodes</code>: 0, 33, 67, 100" in text  # scale and its points
    assert "Practitioner" in text and "Young person" in text and "Family" in text
    assert "question <code>feel-safe</code>" in text
    assert "read by their worker" in text
    assert "read by the service, without a name" in text
    assert "Case facts: missing episodes" in text
    assert "goal ratings" in text


def test_admin_nav_links_to_the_framework_page(client, auth, make_user):
    auth.sign_in(make_user("admin", teams=()))
    page = client.get("/staff").get_data(as_text=True)
    assert 'href="/admin/outcomes-framework"' in page


@pytest.mark.parametrize("role", ["practitioner", "manager"])
def test_other_staff_cannot_see_it(client, auth, make_user, role):
    auth.sign_in(make_user(role))
    assert client.get("/admin/outcomes-framework").status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/outcomes-framework")
    assert response.status_code == 302
    assert "/sign-in" in response.location


def test_app_refuses_to_start_when_a_question_names_an_unknown_indicator(
    app_config, tmp_path, monkeypatch
):
    # The framework without the indicator the check-in's "future" question names.
    source = framework_module.DEFINITIONS / "complex-safeguarding-v1.yaml"
    broken = tmp_path / "frameworks"
    broken.mkdir()
    shutil.copy(source, broken / source.name)
    text = (broken / source.name).read_text()
    text = text.replace("      - code: feel-about-future", "      - code: feel-about-the-future")
    (broken / source.name).write_text(text)
    monkeypatch.setattr(framework_module, "DEFINITIONS", broken)
    with pytest.raises(FrameworkError, match="hopes-goals.feel-about-future"):
        create_app(app_config)
