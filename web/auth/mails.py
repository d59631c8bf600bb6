"""The mails accounts send, written in the visitor's language, and their delivery.

Delivery runs as a background task after the response: the reset token is committed by
then, and a slow mail server does not hold the visitor's page.
"""

from __future__ import annotations

import logging

from starlette.requests import Request

from aggregator.accounts import ResetRequest
from aggregator.mail import Mail, MailError, send_mail
from aggregator.settings import get_settings
from web import i18n
from web.urls import site_url

log = logging.getLogger(__name__)


def password_reset_mail(request: Request, reset: ResetRequest) -> Mail:
    # site_url builds on DAOGOU_BASE_URL: the link names the public site, never the
    # Host header a request arrived with (which an attacker could choose).
    link = site_url(request, "password_reset", token=reset.token)
    minutes = get_settings().password_reset_minutes
    with i18n.use_locale(i18n.request_locale(request)):
        subject = i18n.gettext("Reset your daogou password")
        text = i18n.gettext(
            "Someone, hopefully you, asked to reset the password of the daogou account "
            "%(email)s.\n\nOpen this link to choose a new password. It works once, for "
            "%(minutes)s minutes:\n\n%(link)s\n\nIf you did not ask for this, ignore this "
            "mail: your password stays as it is.",
            email=reset.user.email, minutes=minutes, link=link)
    return Mail(to=reset.user.email, subject=subject, text=text)


def deliver(mail: Mail) -> None:
    """Send ``mail``; a failure is logged (recipient and reason, never the body)."""
    try:
        send_mail(mail)
    except MailError as exc:
        log.warning("%s", exc)
