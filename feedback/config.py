"""Configuration from environment variables.

The secrets' defaults are for development on one machine only: unless `APP_ENV` is
exactly `development` (what `make run` sets) or `testing` (the test suite), the app
refuses to start without real `SECRET_KEY` and `PSEUDONYM_KEY`. An unset `APP_ENV` counts
as production, so that a forgotten setting fails closed rather than running on public keys.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from feedback.i18n import N_
from outcomes.framework import DASHBOARD_DEFAULT

DEV_SECRET_KEY = "dev-only-secret-key-change-me"  # noqa: S105 - refused in production below
DEV_PSEUDONYM_KEY = "dev-only-pseudonym-key-change-me"  # noqa: S105 - refused in production
# The only settings that may run on the development secrets; anything else is live.
DEV_ENVIRONMENTS = ("development", "testing")
SECRETS = ("SECRET_KEY", "PSEUDONYM_KEY")
MIN_SECRET_BYTES = 32
MIN_SECRET_DISTINCT = 10


# Words that must never appear on a young person's page, in its title or in a message to
# them: a phone can be looked at by the very person they need to be safe from.
YOUNG_PERSON_UNSAID = ("safeguarding", "exploitation", "exploited", "county lines", "grooming")
# The same words in the other shipped languages, for the names an admin gives in them
# (Settings): the English ones are refused in every language too, as loanwords ("county
# lines", "grooming"). Parts of words, so that every ending is caught. A council's
# translation service should check these, as it checks the catalogues.
YOUNG_PERSON_UNSAID_IN = {
    "pl": ("wyzysk", "wykorzystywan", "eksploatac"),
    "ro": ("exploatar", "exploatat", "exploatați"),
    "ar": ("استغلال", "مستغل"),
    "ur": ("استحصال",),
}


class ConfigError(RuntimeError):
    pass


def load_config(instance_path: str, overrides: dict | None = None) -> dict:
    env = os.environ
    app_env = env.get("APP_ENV", "production")
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
        # Both names are shown to young people, whose phones may be seen by others: they
        # must say nothing of what the service is about (checked below).
        "YOUNG_PERSON_SERVICE_NAME": env.get(
            "YOUNG_PERSON_SERVICE_NAME", N_("Youth support check-in")
        ),
        "COUNCIL_NAME": env.get("COUNCIL_NAME", "Northshire Council"),
        # Where to report an accessibility problem (an email address or a phone number),
        # shown on the accessibility statement; empty: the statement says to tell a worker.
        "ACCESSIBILITY_CONTACT": env.get("ACCESSIBILITY_CONTACT", ""),
        # Where "Leave this site" goes: somewhere ordinary that raises no questions.
        "EXIT_URL": env.get("EXIT_URL", "https://www.bbc.co.uk/weather"),
        "INVITATION_DAYS": int(env.get("INVITATION_DAYS", "14")),
        # How long an exit interview's link works (from when the case closes).
        "EXIT_LINK_DAYS": int(env.get("EXIT_LINK_DAYS", "28")),
        "COUNCIL_HELP_NAME": env.get("COUNCIL_HELP_NAME", "Council children's services"),
        "COUNCIL_HELP_PHONE": env.get("COUNCIL_HELP_PHONE", "0300 123 4567"),
        "COUNCIL_HELP_TEXT": env.get("COUNCIL_HELP_TEXT", ""),
        "COUNCIL_HELP_HOURS": env.get("COUNCIL_HELP_HOURS", "Monday to Friday, 9am to 5pm."),
        "COUNCIL_OUT_OF_HOURS_NAME": env.get(
            "COUNCIL_OUT_OF_HOURS_NAME", "Council emergency duty team"
        ),
        "COUNCIL_OUT_OF_HOURS_PHONE": env.get("COUNCIL_OUT_OF_HOURS_PHONE", "0300 123 4568"),
        "COUNCIL_OUT_OF_HOURS_HOURS": env.get(
            "COUNCIL_OUT_OF_HOURS_HOURS", "Evenings, nights and weekends."
        ),
        # How long an invited member of staff's link to set a password works, and an
        # admin's password reset link.
        "STAFF_LINK_HOURS": int(env.get("STAFF_LINK_HOURS", "72")),
        # TOTP is required of managers and admins; this makes practitioners need it too.
        "MFA_REQUIRED_FOR_PRACTITIONERS": env.get("MFA_REQUIRED_FOR_PRACTITIONERS", "")
        .strip()
        .lower()
        in ("1", "true", "yes"),
        # Who a young person can call or text, on the help page and straight after an
        # answer that worries us. "call" and "text" are numbers; "text_body" is what to send.
        "HELP_CONTACTS": [
            {
                "name": N_("Police or ambulance"),
                "call": "999",
                "note": N_("In an emergency, if you or someone else is in danger now."),
            },
            {
                "name": "Childline",
                "call": "0800 1111",
                "note": N_("Free, any time. It will not show on your phone bill."),
            },
            {
                "name": "Shout",
                "text": "85258",
                "text_body": "SHOUT",
                "note": N_("Text SHOUT to 85258. Free, any time."),
            },
            # The council's own lines: admins change them in the browser (Settings);
            # these are the defaults (feedback/settings/services.py).
            {"setting": "COUNCIL_HELP"},
            {"setting": "COUNCIL_OUT_OF_HOURS"},
        ],
        # How long an alert may wait unacknowledged before it goes to someone else.
        "ALERT_ESCALATE_DANGER_NOW_MINUTES": int(
            env.get("ALERT_ESCALATE_DANGER_NOW_MINUTES", "15")
        ),
        "ALERT_ESCALATE_WORRYING_MINUTES": int(env.get("ALERT_ESCALATE_WORRYING_MINUTES", "120")),
        # The service standard for a request to speak to a manager: first contact within
        # this many working days (weekends and England and Wales bank holidays not counted).
        "TALK_CONTACT_WITHIN_WORKING_DAYS": int(env.get("TALK_CONTACT_WITHIN_WORKING_DAYS", "1")),
        # Wrong PINs one draft accepts before its PIN stops working (a young person can
        # still carry on and answer again).
        "PIN_TRIES": int(env.get("PIN_TRIES", "5")),
        "PIN_LIMIT": env.get("PIN_LIMIT", "10 per minute"),
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "SIGN_IN_LIMIT": env.get("SIGN_IN_LIMIT", "10 per minute"),
        # Failed sign-ins to one account (the email typed), from any address: a short
        # window and a longer one, so guessing is slowed while the real user, whose
        # windows run out, is never locked out for good.
        "SIGN_IN_ACCOUNT_LIMIT": env.get("SIGN_IN_ACCOUNT_LIMIT", "5 per minute; 20 per hour"),
        # Proxies in front of the app that set X-Forwarded-For and -Proto (0: none, and
        # the headers are ignored, since anyone could send them).
        "TRUSTED_PROXIES": env.get("TRUSTED_PROXIES", "0"),
        "WTF_CSRF_TIME_LIMIT": None,  # a young person may take an hour over one page
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "session",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        "REMEMBER_COOKIE_DURATION": timedelta(0),
        # argon2 parameters: see feedback/staff/passwords.py.
        "PASSWORD_HASHING": env.get("PASSWORD_HASHING", "rfc-9106-low-memory"),
        # The framework the dashboard reports on, as (code, version); None: the current
        # (newest) version. Version 1 for now: see outcomes.framework.DASHBOARD_DEFAULT.
        "DASHBOARD_FRAMEWORK": DASHBOARD_DEFAULT,
        # The outbox (feedback/outbox): which sender, how often to try, and its settings.
        "OUTBOX_SENDER": env.get("OUTBOX_SENDER", "log"),
        "OUTBOX_MAX_ATTEMPTS": int(env.get("OUTBOX_MAX_ATTEMPTS", "5")),
        "OUTBOX_RETRY_SECONDS": int(env.get("OUTBOX_RETRY_SECONDS", "60")),
        "OUTBOX_LEASE_SECONDS": int(env.get("OUTBOX_LEASE_SECONDS", "300")),
        "OUTBOX_POLL_SECONDS": int(env.get("OUTBOX_POLL_SECONDS", "10")),
        "OUTBOX_FROM": env.get("OUTBOX_FROM", "no-reply@localhost"),
        "SMTP_HOST": env.get("SMTP_HOST", ""),
        "SMTP_PORT": int(env.get("SMTP_PORT", "25")),
        "SMTP_USERNAME": env.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": env.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": env.get("SMTP_STARTTLS", "") in ("1", "true", "yes"),
        "NOTIFY_API_KEY": env.get("NOTIFY_API_KEY", ""),
        "NOTIFY_BASE_URL": env.get("NOTIFY_BASE_URL", ""),
        "NOTIFY_EMAIL_TEMPLATE_ID": env.get("NOTIFY_EMAIL_TEMPLATE_ID", ""),
        "NOTIFY_SMS_TEMPLATE_ID": env.get("NOTIFY_SMS_TEMPLATE_ID", ""),
    }
    if overrides:
        config.update(overrides)
    # Secure cookies (and HSTS) wherever the app is live, whichever way APP_ENV was given.
    config.setdefault("SESSION_COOKIE_SECURE", config["APP_ENV"] not in DEV_ENVIRONMENTS)
    for name in ("YOUNG_PERSON_SERVICE_NAME", "COUNCIL_NAME"):
        said = [w for w in YOUNG_PERSON_UNSAID if w in config[name].lower()]
        if said:
            raise ConfigError(
                f"{name} is shown to young people: leave out {', '.join(repr(w) for w in said)}"
            )
    from feedback.staff.passwords import CHEAP_ALLOWED, DEFAULT, PROFILES

    if config["PASSWORD_HASHING"] not in PROFILES:
        raise ConfigError(f"PASSWORD_HASHING must be one of {', '.join(PROFILES)}")
    if config["PASSWORD_HASHING"] != DEFAULT and config["APP_ENV"] not in CHEAP_ALLOWED:
        raise ConfigError(
            f"PASSWORD_HASHING={config['PASSWORD_HASHING']} is for the test suite only."
        )
    config["TRUSTED_PROXIES"] = _count("TRUSTED_PROXIES", config["TRUSTED_PROXIES"])
    from feedback.outbox.senders import SenderSettingError, check_settings

    try:
        check_settings(config)
    except SenderSettingError as error:
        raise ConfigError(str(error)) from error
    if config["APP_ENV"] not in DEV_ENVIRONMENTS:
        _check_secrets(config)
    return config


def _count(name: str, value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = -1
    if number < 0:
        raise ConfigError(f"{name} must be a whole number, 0 or more (it is {value!r})")
    return number


def _check_secrets(config: dict) -> None:
    """Live keys: long, random-looking, not the development ones, not each other."""
    where = f"APP_ENV={config['APP_ENV']!r}" if config["APP_ENV"] else "APP_ENV unset"
    advice = 'generate one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'
    for name in SECRETS:
        key = config[name] or ""
        if key in (DEV_SECRET_KEY, DEV_PSEUDONYM_KEY):
            problem = "is the development default"
        elif len(key.encode()) < MIN_SECRET_BYTES:
            problem = f"is shorter than {MIN_SECRET_BYTES} bytes"
        elif len(set(key)) < MIN_SECRET_DISTINCT:
            problem = f"has fewer than {MIN_SECRET_DISTINCT} different characters"
        else:
            continue
        raise ConfigError(
            f"{name} {problem}: with {where} set a long random {name} ({advice}),"
            " or APP_ENV=development on a machine of your own."
        )
    if config["SECRET_KEY"] == config["PSEUDONYM_KEY"]:
        raise ConfigError(
            "SECRET_KEY and PSEUDONYM_KEY are the same: give each a random value of its own."
        )
