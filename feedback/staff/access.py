"""Who may see what. Every staff route names its roles; a test walks the URL map to check."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

PUBLIC_ATTR = "_public"
ROLES_ATTR = "_roles"


def public(view: Callable) -> Callable:
    """Marks a view that anyone may open (young people's pages, sign-in)."""
    setattr(view, PUBLIC_ATTR, True)
    return view


def roles_required(*roles: str) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        setattr(wrapped, ROLES_ATTR, roles)
        return wrapped

    return decorator


STAFF = ("practitioner", "manager", "admin")
