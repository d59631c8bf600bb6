"""Outgoing mail through the SMTP server in settings (``DAOGOU_SMTP_*``).

Mails carry secrets (reset links): their bodies and the SMTP password are never logged,
only who a mail went to and its subject.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from aggregator.settings import Settings, get_settings

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The SMTP server could not be reached or refused the mail."""


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str


def build_message(mail: Mail, *, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    domain = sender.rpartition("@")[2].strip("> ") or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(mail.text)  # UTF-8, so Chinese text arrives intact
    return message


def _deliver(message: EmailMessage, settings: Settings) -> None:
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port,
                      timeout=settings.smtp_timeout) as smtp:
        if settings.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
        smtp.send_message(message)


def send_mail(mail: Mail, *, settings: Settings | None = None) -> bool:
    """Send ``mail``; False when mail is turned off (no SMTP host). Raises MailError."""
    settings = settings or get_settings()
    if not settings.smtp_host:
        log.warning("mail is off (DAOGOU_SMTP_HOST is empty): not sent to %s: %s",
                    mail.to, mail.subject)
        return False
    try:
        _deliver(build_message(mail, sender=settings.mail_from), settings)
    except (OSError, smtplib.SMTPException) as exc:
        # The exception's text is the server's reply or a socket error, never ours.
        raise MailError(f"could not send mail to {mail.to} via "
                        f"{settings.smtp_host}:{settings.smtp_port}: {exc}") from exc
    log.info("mail sent to %s: %s", mail.to, mail.subject)
    return True
