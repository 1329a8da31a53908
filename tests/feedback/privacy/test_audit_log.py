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
        record(session, actor=admin, action="dashboard-viewed", target=f"dashboard {i}")
    record(session, actor=None, action="erase-case", target="a case")
    session.commit()
    auth.sign_in(admin)

    first = client.get("/admin/audit").get_data(as_text=True)
    assert "erase-case" in first and "page=2" in first
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
        action="dashboard-viewed",
        target="dashboard",
        detail={"team": "<north>"},
    )
    session.commit()
    auth.sign_in(admin)
    html = client.get("/admin/audit").get_data(as_text=True)
    assert '<code class="app-audit-detail">{&#34;team&#34;: &#34;&lt;north&gt;&#34;}</code>' in html
