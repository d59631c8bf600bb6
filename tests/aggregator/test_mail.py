"""Mail through a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import logging

import pytest
from pydantic import SecretStr

from aggregator.mail import Mail, MailError, send_mail
from aggregator.settings import Settings
from tests.support.processes import free_port
from tests.support.smtp import smtp_server

MAIL = Mail(to="friend@example.com", subject="重置密码 reset",
            text="打开链接 open https://daogou.example/password/reset/SECRET-TOKEN")


def ours(caplog: pytest.LogCaptureFixture) -> str:
    """What this project logged (the test server logs whole conversations)."""
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("aggregator"))


def smtp_settings(port: int, **extra: object) -> Settings:
    return Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_starttls=False,
                    mail_from="daogou <no-reply@daogou.example>", **extra)  # type: ignore[arg-type]


def test_sends_utf8_mail(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with smtp_server() as box:
        assert send_mail(MAIL, settings=smtp_settings(box.port)) is True
    message = box.last()
    assert message["To"] == "friend@example.com"
    assert message["Subject"] == "重置密码 reset"
    assert message["From"] == "daogou <no-reply@daogou.example>"
    assert message["Message-ID"].endswith("@daogou.example>")
    assert box.links() == ["https://daogou.example/password/reset/SECRET-TOKEN"]
    assert "打开链接" in message.get_content()
    assert "mail sent to friend@example.com" in ours(caplog)
    assert "SECRET-TOKEN" not in ours(caplog)  # bodies carry secrets: never logged


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_logs_in_with_the_configured_credentials(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with smtp_server(credentials=("mailer", "s3cret-pw")) as box:
        settings = smtp_settings(box.port, smtp_username="mailer",
                                 smtp_password=SecretStr("s3cret-pw"))
        assert send_mail(MAIL, settings=settings)
        assert box.logins == [("mailer", "s3cret-pw")]
        bad = smtp_settings(box.port, smtp_username="mailer", smtp_password=SecretStr("nope"),
                            smtp_timeout=1)  # the refused client is left hanging
        with pytest.raises(MailError) as caught:
            send_mail(MAIL, settings=bad)
    assert len(box.messages) == 1
    assert "nope" not in str(caught.value) and "s3cret-pw" not in ours(caplog)
    assert "s3cret-pw" not in repr(settings)  # SecretStr hides it from reprs and dumps


def test_an_unreachable_server_is_a_mail_error() -> None:
    with pytest.raises(MailError, match=r"could not send mail to friend@example\.com"):
        send_mail(MAIL, settings=smtp_settings(free_port(), smtp_timeout=5))


def test_no_host_means_mail_is_off(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    assert send_mail(MAIL, settings=Settings(smtp_host="")) is False
    assert "mail is off" in ours(caplog) and "SECRET-TOKEN" not in ours(caplog)
