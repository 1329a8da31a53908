"""Senders: what hands an outbox message to the world. One small interface, three kinds,
chosen by the setting OUTBOX_SENDER:

- `log`: writes each message to the log (and the command's output); for development;
- `smtp`: email through the council's mail server (SMTP_HOST and friends);
- `notify`: email and text messages through GOV.UK Notify, with its official client.

A sender raises `SendError` when trying again later may work (a server down, a timeout,
"try later"), and `Refused` when it cannot (no such address, a channel it does not do).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Protocol

log = logging.getLogger(__name__)
NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"


@dataclass(frozen=True)
class Outgoing:
    """One message as a sender sees it: plain values, read before the hand-off."""

    id: int
    channel: str  # "email" or "sms"
    to: str
    subject: str
    body: str
    created_at: datetime


class SendError(RuntimeError):
    """This try failed; another may not."""


class Refused(SendError):
    """Trying again will not help: the message is given up at once."""


class Sender(Protocol):
    name: str
    channels: tuple[str, ...]

    def send(self, message: Outgoing) -> None: ...


def _short(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:200]


class LogSender:
    """Development: the message is written out instead of sent."""

    name = "log"
    channels = ("email", "sms")

    def __init__(self, echo: Callable[[str], None] | None = None):
        self.echo = echo

    def send(self, message: Outgoing) -> None:
        text = (
            f"To ({message.channel}): {message.to}\nSubject: {message.subject}\n\n"
            f"{message.body}\n{'-' * 40}"
        )
        if self.echo is not None:
            self.echo(text)
        else:
            log.info("outbox message %s\n%s", message.id, text)


class SmtpSender:
    """Email through an SMTP server. Text messages it cannot send: choose `notify`."""

    name = "smtp"
    channels = ("email",)

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str = "",
        password: str = "",
        starttls: bool = False,
        timeout: float = 30,
    ):
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password = username, password
        self.starttls, self.timeout = starttls, timeout

    def _email(self, message: Outgoing) -> EmailMessage:
        email = EmailMessage()
        email["From"] = self.sender
        email["To"] = message.to
        email["Subject"] = message.subject
        # The same message sent twice (see feedback.outbox.services) has the same
        # Message-ID, which mail programs use to show it once.
        domain = self.sender.rpartition("@")[2].strip(">") or "localhost"
        email["Message-ID"] = f"<outbox-{message.id}-{message.created_at:%Y%m%d%H%M%S}@{domain}>"
        email.set_content(message.body)
        return email

    def send(self, message: Outgoing) -> None:
        if message.channel != "email":
            raise Refused("the SMTP sender sends email only")
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(self._email(message))
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            if all(500 <= code < 600 for code in codes):
                raise Refused(_short(error)) from error
            raise SendError(_short(error)) from error
        except smtplib.SMTPResponseException as error:
            if 500 <= error.smtp_code < 600 and error.smtp_code not in (530, 535):
                raise Refused(_short(error)) from error
            raise SendError(_short(error)) from error
        except (OSError, smtplib.SMTPException) as error:
            raise SendError(_short(error)) from error


class NotifySender:
    """Email and text messages through GOV.UK Notify. Each goes through one template of
    the council's Notify service: email with `((subject))` as its subject and
    `((body))` as its message, a text message with `((body))` (see the README)."""

    name = "notify"
    channels = ("email", "sms")

    def __init__(
        self,
        *,
        api_key: str,
        email_template_id: str,
        sms_template_id: str,
        base_url: str = NOTIFY_BASE_URL,
        timeout: float = 30,
    ):
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key, base_url=base_url, timeout=timeout)
        self.email_template_id = email_template_id
        self.sms_template_id = sms_template_id

    def send(self, message: Outgoing) -> None:
        from notifications_python_client.errors import APIError, HTTPError

        reference = f"outbox-{message.id}"
        try:
            if message.channel == "sms":
                self.client.send_sms_notification(
                    phone_number=message.to,
                    template_id=self.sms_template_id,
                    personalisation={"body": message.body},
                    reference=reference,
                )
            else:
                self.client.send_email_notification(
                    email_address=message.to,
                    template_id=self.email_template_id,
                    personalisation={"subject": message.subject, "body": message.body},
                    reference=reference,
                )
        except HTTPError as error:
            # 400: a bad number or address, or a template that does not fit; 403: a key
            # Notify does not accept. Neither gets better by trying again.
            if error.status_code in (400, 403):
                raise Refused(f"Notify {error.status_code}: {error.message}"[:200]) from error
            raise SendError(f"Notify {error.status_code}: {error.message}"[:200]) from error
        except (APIError, OSError) as error:
            raise SendError(_short(error)) from error


class SenderSettingError(ValueError):
    pass


SENDERS = ("log", "smtp", "notify")


def check_settings(config: Mapping) -> None:
    """Raises SenderSettingError for settings the chosen sender cannot work with."""
    kind = config.get("OUTBOX_SENDER", "log")
    if kind not in SENDERS:
        raise SenderSettingError(f"OUTBOX_SENDER must be one of {', '.join(SENDERS)}")
    if kind == "smtp" and not config.get("SMTP_HOST"):
        raise SenderSettingError("OUTBOX_SENDER=smtp needs SMTP_HOST")
    if kind == "notify":
        missing = [
            name
            for name in ("NOTIFY_API_KEY", "NOTIFY_EMAIL_TEMPLATE_ID", "NOTIFY_SMS_TEMPLATE_ID")
            if not config.get(name)
        ]
        if missing:
            raise SenderSettingError(f"OUTBOX_SENDER=notify needs {', '.join(missing)}")
        # Notify's keys end with the service id and the secret, two ids of 36 characters.
        if len(config["NOTIFY_API_KEY"]) < 74:
            raise SenderSettingError(
                "NOTIFY_API_KEY is not a whole Notify API key: copy all of it from Notify"
            )


def sender_channels(config: Mapping) -> tuple[str, ...]:
    """What the configured sender can send, without making one."""
    return {"log": LogSender.channels, "smtp": SmtpSender.channels}.get(
        config.get("OUTBOX_SENDER", "log"), NotifySender.channels
    )


def make_sender(config: Mapping, echo: Callable[[str], None] | None = None) -> Sender:
    check_settings(config)
    kind = config.get("OUTBOX_SENDER", "log")
    if kind == "smtp":
        return SmtpSender(
            host=config["SMTP_HOST"],
            port=int(config.get("SMTP_PORT", 25)),
            sender=config["OUTBOX_FROM"],
            username=config.get("SMTP_USERNAME", ""),
            password=config.get("SMTP_PASSWORD", ""),
            starttls=bool(config.get("SMTP_STARTTLS", False)),
        )
    if kind == "notify":
        return NotifySender(
            api_key=config["NOTIFY_API_KEY"],
            email_template_id=config["NOTIFY_EMAIL_TEMPLATE_ID"],
            sms_template_id=config["NOTIFY_SMS_TEMPLATE_ID"],
            base_url=config.get("NOTIFY_BASE_URL") or NOTIFY_BASE_URL,
        )
    return LogSender(echo)
