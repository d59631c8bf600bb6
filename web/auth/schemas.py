"""Request and response bodies of the JSON API's account endpoints."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from aggregator.models import User
from web.schemas import UtcTime

# Generous bounds: the services give the precise reasons; these only stop huge bodies.
_EMAIL = Field(max_length=320)
_PASSWORD = Field(max_length=1024)


class RegisterIn(BaseModel):
    email: str = _EMAIL
    password: str = _PASSWORD
    invite_code: str | None = Field(default=None, max_length=64)
    nickname: str | None = Field(default=None, max_length=200)


class TokenIn(BaseModel):
    email: str = _EMAIL
    password: str = _PASSWORD


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth 2 token type
    expires_at: UtcTime


class UserOut(BaseModel):
    id: int
    email: str
    nickname: str
    invite_code: str
    invited_by_id: int | None
    created_at: UtcTime

    @classmethod
    def build(cls, user: User) -> UserOut:
        return cls(id=user.id, email=user.email, nickname=user.nickname,
                   invite_code=user.invite_code, invited_by_id=user.invited_by_id,
                   created_at=user.created_at)
