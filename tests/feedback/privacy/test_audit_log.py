"""The audit log viewer is for admins, filters by action, and pages simply."""

from __future__ import annotations

from feedback.audit.services import record


def test_only_admins_see_the_audit_log(client, auth, make_user):
    for role in ("practitioner", "manager"):
        auth.sign_in(make_user(role))
        assert client.get("/admin/audit").status_code == 403
        auth.sign_out()
    auth.sign_in(make_user("admin", teams=()))
    page = client.get("/admin/audit")
    assert page.status_code == 200
    assert "Audit log" in page.get_data(as_text=True)


def test_filter_by_action_and_paginate(client, auth, session, make_user):
    admin = make_user("admin", teams=())
    for i in range(55):
        record(session, actor=admin, action="dashboard.view", target=f"dashboard {i}")
    record(session, actor=None, action="erase-case", target="a case")
    session.commit()
    auth.sign_in(admin)

    first = client.get("/admin/audit").get_data(as_text=True)
    assert "Case erased" in first and "page=2" in first
    # Shown in words; the code stays the filter's value.
    assert ">erase-case<" not in first and 'value="erase-case"' in first
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert "dashboard 0<" in second

    erasures = client.get("/admin/audit?action=erase-case").get_data(as_text=True)
    assert "a case" in erasures and "dashboard 54" not in erasures
    assert client.get("/admin/audit?action=nonsense&page=x").status_code == 200


def test_staff_nav_offers_alerts_to_all_and_the_audit_log_to_admins(client, auth, make_user):
    auth.sign_in(make_user("manager"))
    home = client.get("/staff").get_data(as_text=True)
    assert "Safeguarding alerts" in home and "Audit log" not in home
    auth.sign_out()
    auth.sign_in(make_user("admin", teams=()))
    home = client.get("/staff").get_data(as_text=True)
    assert "Safeguarding alerts" in home and "Audit log" in home


def test_details_are_shown_as_code_not_escaped_markup(client, auth, session, make_user):
    admin = make_user("admin", teams=())
    record(
        session,
        actor=admin,
        action="dashboard.view",
        target="dashboard",
        detail={"team": "<north>"},
    )
    session.commit()
    auth.sign_in(admin)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert '<code class="app-audit-detail">{&#34;team&#34;: &#34;&lt;north&gt;&#34;}</code>' in html


def test_every_action_the_app_records_has_words_and_no_other_is_recorded(session, make_user):
    """The codes are found in the source as `record(..., action=...)` and the dashboard's
    `audit(...)` write them; each must be in ACTIONS, and `record` refuses one that is
    not, so a new kind of event cannot reach the log as a code nobody can read."""
    import re
    from pathlib import Path

    import pytest

    from feedback.audit.actions import ACTIONS
    from feedback.staff.models import LINK_PURPOSES

    root = Path(__file__).resolve().parents[3] / "feedback"
    found: set[str] = set()
    code = re.compile(r'"([a-z]+(?:[.-][a-z]+)+)"')
    for path in root.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for expression in re.findall(r"\baction=([^\n]+)", text):
            found.update(code.findall(expression))
        for call in re.findall(r"\baudit\(\s*session,\s*[^,]+,\s*\"([^\"]+)\"", text):
            found.add(call)
        if 'action=f"staff-{link.purpose}-link-used"' in text:
            found.update(f"staff-{purpose}-link-used" for purpose in LINK_PURPOSES)
    assert len(found) > 40, found
    assert found - ACTIONS.keys() == set()
    with pytest.raises(ValueError, match="no words"):
        record(session, actor=make_user("admin", teams=()), action="made-up", target="x")
