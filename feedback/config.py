"""Configuration from environment variables.

The defaults are for development on one machine only; production refuses to start with them.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

DEV_SECRET_KEY = "dev-only-secret-key-change-me"  # noqa: S105 - refused in production below
DEV_PSEUDONYM_KEY = "dev-only-pseudonym-key-change-me"  # noqa: S105 - refused in production


class ConfigError(RuntimeError):
    pass


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    env = os.environ
    app_env = env.get("APP_ENV", "development")
    default_db = "sqlite:///" + str(Path(instance_path) / "youthvoice.sqlite")
    config = {
        "APP_ENV": app_env,
        "SECRET_KEY": env.get("SECRET_KEY", DEV_SECRET_KEY),
        "PSEUDONYM_KEY": env.get("PSEUDONYM_KEY", DEV_PSEUDONYM_KEY),
        "DATABASE_URL": env.get("DATABASE_URL", default_db),
        # The analytical store's own database; empty: the same database as DATABASE_URL.
        "ANALYTICS_DATABASE_URL": env.get("ANALYTICS_DATABASE_URL", ""),
        "BASE_URL": env.get("BASE_URL", "http://127.0.0.1:5000"),
        "SERVICE_NAME": env.get("SERVICE_NAME", "Youth Voice"),
        "COUNCIL_NAME": env.get("COUNCIL_NAME", "Northshire Council Complex Safeguarding"),
        # Where "Leave this site" goes: somewhere ordinary that raises no questions.
        "EXIT_URL": env.get("EXIT_URL", "https://www.bbc.co.uk/weather"),
        "INVITATION_DAYS": int(env.get("INVITATION_DAYS", "14")),
        "HELP_CONTACTS": [
            ("Childline", "0800 1111", "Free, any time, and it will not show on your phone bill."),
            (
                "Police or ambulance in an emergency",
                "999",
                "If you or someone else is in danger now.",
            ),
            (
                env.get("COUNCIL_HELP_NAME", "Council children's services (daytime)"),
                env.get("COUNCIL_HELP_PHONE", "0300 123 4567"),
                "Monday to Friday, 9am to 5pm.",
            ),
            (
                env.get(
                    "COUNCIL_OUT_OF_HOURS_NAME",
                    "Council emergency duty team (evenings and weekends)",
                ),
                env.get("COUNCIL_OUT_OF_HOURS_PHONE", "0300 123 4568"),
                "When the daytime team is closed.",
            ),
        ],
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "SIGN_IN_LIMIT": env.get("SIGN_IN_LIMIT", "10 per minute"),
        "WTF_CSRF_TIME_LIMIT": None,  # a young person may take an hour over one page
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": app_env not in ("development", "testing"),
        "SESSION_COOKIE_NAME": "session",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        "REMEMBER_COOKIE_DURATION": timedelta(0),
    }
    if overrides:
        config.update(overrides)
    if config["APP_ENV"] == "production":
        if config["SECRET_KEY"] == DEV_SECRET_KEY or len(config["SECRET_KEY"]) < 32:
            raise ConfigError("Set SECRET_KEY to a long random value before running in production.")
        if config["PSEUDONYM_KEY"] == DEV_PSEUDONYM_KEY or len(config["PSEUDONYM_KEY"]) < 32:
            raise ConfigError(
                "Set PSEUDONYM_KEY to a long random value before running in production."
            )
    return config
