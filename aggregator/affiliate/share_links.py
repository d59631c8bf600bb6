"""Share links: a sharer's short code for one offer, behind /s/{code} and /go/{code}.

A code is 8 characters drawn by ``secrets`` from 56 letters and digits that cannot be
misread for one another (no 0/O/o, 1/l/I): 56^8 ≈ 1e14 codes, so guessing a live one is
hopeless and a collision is rare enough to settle by drawing again. One user sharing one
offer always gets the same code, so every copy of a link they post credits the same row.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from aggregator.catalog import OfferView, get_offer
from aggregator.models import Offer, ShareLink, User

ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
CODE_LENGTH = 8
MAX_ATTEMPTS = 5
# What a code may look like, old or new (the column holds 16): anything else is not
# looked up at all.
_CODE_RE = re.compile(r"[A-Za-z0-9]{4,16}")


class ShareLinkError(ValueError):
    """A share link that cannot be made."""


class OfferNotShareable(ShareLinkError):
    """The offer does not exist or is no longer on sale."""

    def __init__(self, offer_id: int) -> None:
        super().__init__(f"offer {offer_id} does not exist or is no longer on sale")
        self.offer_id = offer_id


class SharerNotFound(ShareLinkError):
    """The sharing user does not exist or is deactivated."""

    def __init__(self, user_id: int) -> None:
        super().__init__(f"user {user_id} does not exist or is deactivated")
        self.user_id = user_id


@dataclass
class SharedOffer:
    """What /s/{code} and its poster show: the link, the deal as of now, and who shared it."""

    link: ShareLink
    view: OfferView
    sharer_nickname: str


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def is_code(text: str) -> bool:
    return _CODE_RE.fullmatch(text) is not None


def _existing(session: Session, *, user_id: int, offer_id: int) -> ShareLink | None:
    return session.scalar(select(ShareLink).where(ShareLink.user_id == user_id,
                                                  ShareLink.offer_id == offer_id))


def share_link_for(session: Session, *, user_id: int, offer_id: int) -> ShareLink:
    """The user's link for the offer: the one they already have, or a new one.

    Raises OfferNotShareable for an unknown or retired offer and SharerNotFound for an
    unknown or deactivated user. Each insert runs in a savepoint, so a code collision or
    a concurrent request creating the same link leaves the caller's transaction usable.
    """
    offer = session.get(Offer, offer_id)
    if offer is None or offer.retired_at is not None:
        raise OfferNotShareable(offer_id)
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise SharerNotFound(user_id)
    link = _existing(session, user_id=user_id, offer_id=offer_id)
    if link is not None:
        return link
    for _ in range(MAX_ATTEMPTS):
        link = ShareLink(code=new_code(), user_id=user_id, offer_id=offer_id)
        try:
            with session.begin_nested():
                session.add(link)
        except IntegrityError:
            # Either the code was taken (draw again) or another request just created
            # this user's link for this offer (use theirs).
            link = _existing(session, user_id=user_id, offer_id=offer_id)
            if link is not None:
                return link
            continue
        return link
    raise ShareLinkError(f"no free share code after {MAX_ATTEMPTS} attempts")


def get_by_code(session: Session, *, code: str) -> ShareLink | None:
    if not is_code(code):
        return None
    return session.scalar(select(ShareLink).where(ShareLink.code == code))


def shared_offer(session: Session, *, code: str, now: datetime) -> SharedOffer | None:
    """The deal behind ``code`` priced as of ``now``; None for an unknown code or an
    offer no longer on sale (the friend gets the not-found page, not a dead deal)."""
    link = get_by_code(session, code=code)
    if link is None:
        return None
    view = get_offer(session, offer_id=link.offer_id, now=now)
    if view is None or view.offer.retired_at is not None:
        return None
    nickname = session.scalar(select(User.nickname).where(User.id == link.user_id))
    return SharedOffer(link=link, view=view, sharer_nickname=nickname or "")
