"""A real SMTP server and a stand-in for GOV.UK Notify's API, both on 127.0.0.1, and a
sender that records what it is handed."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from feedback.outbox.senders import SendError


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpInbox:
    """aiosmtpd's handler: keeps what it accepts; answers "try later" `refuse` times
    first (or a permanent "no" when `permanent`)."""

    def __init__(self):
        self.messages: list[tuple[str, list[str], bytes]] = []
        self.refuse = 0
        self.permanent = False
        self.tries = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.tries += 1
        if self.permanent:
            return "550 No such mailbox"
        if self.refuse > 0:
            self.refuse -= 1
            return "451 Try again later"
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = SmtpInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    inbox.port = controller.port
    yield inbox
    controller.stop()


class FakeNotify:
    """What GOV.UK Notify's API would be sent: each request's path, headers and JSON.
    `status` is what it answers with."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 201

    def handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "json": body}
                )
                answer = (
                    {
                        "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
                        "reference": body.get("reference"),
                    }
                    if fake.status < 300
                    else {"status_code": fake.status, "errors": [{"error": "X", "message": "no"}]}
                )
                data = json.dumps(answer).encode()
                self.send_response(fake.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler


@pytest.fixture
def notify_server():
    fake = FakeNotify()
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    yield fake
    server.shutdown()
    server.server_close()


class RecordingSender:
    """Keeps what it is handed; fails the first `fail` tries with SendError; raises
    `crash` (a BaseException: the process dying) when handed message `crash_on`."""

    name = "recording"
    channels = ("email", "sms")

    def __init__(self, fail: int = 0):
        self.sent: list = []
        self.fail = fail
        self.tries = 0
        self.crash_on: int | None = None

    def send(self, message):
        self.tries += 1
        if message.id == self.crash_on:
            self.crash_on = None
            raise SystemExit("the sender died")
        if self.fail > 0:
            self.fail -= 1
            raise SendError("connection refused")
        self.sent.append(message)


@pytest.fixture
def recording_sender():
    return RecordingSender
