"""Rate limits shared by every worker through Redis.

gunicorn's workers are separate processes, each with its own app; so are the two
"workers" here. (Two apps in one process would prove nothing: Flask-Limiter's one
`limiter` keeps one storage for the whole process.)"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid

import redis

from feedback import create_app

# One worker: its own app on the shared settings, tries each (email, address) wrongly.
WORKER = """
import json, sys
from feedback import create_app
config, tries = json.loads(sys.argv[1])
client = create_app(config).test_client()
print(json.dumps([
    client.post(
        "/sign-in", data={"email": email, "password": "wrong"},
        environ_base={"REMOTE_ADDR": address},
    ).status_code
    for email, address in tries
]))
"""


def _worker(config: dict, tries: list[tuple[str, str]]) -> list[int]:
    done = subprocess.run(  # noqa: S603 - this Python, our own script
        [sys.executable, "-c", WORKER, json.dumps([config, tries])],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _try(client, email: str, address: str) -> int:
    return client.post(
        "/sign-in",
        data={"email": email, "password": "wrong"},
        environ_base={"REMOTE_ADDR": address},
    ).status_code


def _config(app_config, storage: str) -> dict:
    return {
        **app_config,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": storage,
        "SIGN_IN_LIMIT": "100 per minute",
        "SIGN_IN_ACCOUNT_LIMIT": "3 per minute; 10 per hour",
    }


def test_two_workers_on_one_redis_share_the_sign_in_limits(app_config, redis_url):
    """One worker in a process of its own, the other this test's: failures on one count
    on the other, for the account's limit and the address's alike."""
    # Each pytest worker has a Redis of its own; the test runs once per database.
    redis.Redis.from_url(redis_url).flushdb()
    config = {**_config(app_config, redis_url), "SIGN_IN_LIMIT": "3 per minute"}
    account = f"{uuid.uuid4().hex}@example.org"
    shared_address = "192.0.2.77"
    elsewhere = f"{uuid.uuid4().hex}@example.org"
    assert _worker(
        config,
        [(account, "198.51.100.1"), (account, "198.51.100.2"), (elsewhere, shared_address)],
    ) == [200, 200, 200]

    here = create_app(config).test_client()
    # The account has two failures on the other worker: one more, then 429.
    assert _try(here, account.upper(), "203.0.113.1") == 200
    assert _try(here, account, "203.0.113.2") == 429
    # The address has one try on the other worker: two more, then 429.
    fresh = f"{uuid.uuid4().hex}@example.org"
    assert [_try(here, fresh, shared_address) for _ in range(3)] == [200, 200, 429]
    stored = redis.Redis.from_url(redis_url)
    assert stored.keys(f"*account:{account}*")
    stored.close()
