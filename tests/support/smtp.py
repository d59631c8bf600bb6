"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.processes import free_port

LINK = re.compile(r"https?://\S+")


@dataclass
class Mailbox:
    host: str
    port: int
    messages: list[EmailMessage] = field(default_factory=list)
    logins: list[tuple[str, str]] = field(default_factory=list)

    def last(self) -> EmailMessage:
        assert self.messages, "no mail was received"
        return self.messages[-1]

    def links(self, message: EmailMessage | None = None) -> list[str]:
        body = (message or self.last()).get_body(("plain",))
        assert body is not None
        return LINK.findall(body.get_content())


class _Handler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.box.messages.append(parsed)
        return "250 Message accepted for delivery"


class _Authenticator:
    def __init__(self, box: Mailbox, accept: tuple[str, str]) -> None:
        self.box, self.accept = box, accept

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str,
                 auth_data: Any) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        login = (auth_data.login.decode(), auth_data.password.decode())
        self.box.logins.append(login)
        return AuthResult(success=login == self.accept)


@contextmanager
def smtp_server(*, credentials: tuple[str, str] | None = None) -> Iterator[Mailbox]:
    """Yields the mailbox of a server on a free port; with ``credentials``, the server
    asks for AUTH (over plain text: it is only ever on the loopback)."""
    box = Mailbox(host="127.0.0.1", port=free_port())
    options: dict[str, Any] = {}
    if credentials:
        options = {"authenticator": _Authenticator(box, credentials), "auth_required": True,
                   "auth_require_tls": False}
    controller = Controller(_Handler(box), hostname=box.host, port=box.port, **options)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
