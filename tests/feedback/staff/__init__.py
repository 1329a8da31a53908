"""Helpers for the staff tests."""

from __future__ import annotations

from tests.conftest import PASSWORD, complete_sign_in


class Browser:
    """A test client whose every request has an app context of its own, as a browser's
    would: nothing of one request (the signed-in user in `g`) is left for the next."""

    def __init__(self, app):
        self.app, self.client = app, app.test_client()

    def open(self, path, method="GET", **kwargs):
        with self.app.app_context():
            return self.client.open(path, method=method, **kwargs)

    def get(self, path):
        return self.open(path)

    def post(self, path, data=None):
        return self.open(path, "POST", data=data or {})

    def sign_in(self, user, password=PASSWORD):
        """The password, and a code from the account's app where it has one."""
        response = self.post("/sign-in", {"email": user.email, "password": password})
        return complete_sign_in(self.post, self.app, user.id, response)

    def sign_out(self):
        return self.post("/sign-out")
