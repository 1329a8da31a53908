"""Every word of the audit log page is marked for the staff catalogue; what each event
records (its action code, target and details) is data, kept as it was written."""

from __future__ import annotations

import pytest

from feedback.audit.services import record
from tests.feedback.pseudo_staff import (  # noqa: F401  # the fixtures
    catalogue,
    english_words,
    main_of,
    page_text,
    pseudo,
    pseudo_staff,
)


@pytest.mark.usefixtures("pseudo_staff")
def test_every_word_of_the_audit_log_is_marked(client, auth, session, make_user):
    admin = make_user("admin", teams=())
    for i in range(55):
        record(session, actor=admin, action="dashboard.view", target=f"dashboard {i}")
    record(session, actor=None, action="erase-case", target="a case")
    session.commit()
    auth.sign_in(admin)
    events = ("dashboard.view", "erase-case", "a case", "dashboard", admin.email)

    for query in ("", "?page=2", "?action=erase-case"):
        html = main_of(client.get(f"/admin/audit{query}").get_data(as_text=True))
        assert pseudo("Audit log") in html
        assert english_words(page_text(html), events) == set(), query
    html = main_of(client.get("/admin/audit").get_data(as_text=True))
    assert pseudo("system") in html  # the actor of what no person did
    assert pseudo("Next") in html and pseudo("Pagination") in html
