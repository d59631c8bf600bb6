"""Share links: one code per (sharer, offer), short and unguessable, drawn again on the
rare collision; retired or unknown offers and unknown users cannot share."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from aggregator.affiliate import share_links
from aggregator.affiliate.share_links import (
    ALPHABET,
    CODE_LENGTH,
    OfferNotShareable,
    ShareLinkError,
    SharerNotFound,
    get_by_code,
    share_link_for,
    shared_offer,
)
from aggregator.ingest import ingest_offers
from aggregator.models import Offer, Partner, ShareLink, User
from tests.aggregator.factories import coupon, offer, offer_row


def make_user(session: Session, nickname: str = "小明", *, active: bool = True) -> User:
    count = session.scalar(select(func.count()).select_from(User)) or 0
    user = User(email=f"u{count}-{nickname.encode().hex()}@example.com", password_hash="x",
                nickname=nickname, invite_code=f"inv{count}{nickname.encode().hex()}"[:16],
                is_active=active)
    session.add(user)
    session.flush()
    return user


@pytest.fixture
def offers(session: Session, partner: Partner, now: datetime) -> list[Offer]:
    ingest_offers(session, partner=partner, now=now, records=[
        offer("2001", coupons=(coupon("c1", amount=1000),)), offer("2002")])
    return [offer_row(session, "2001"), offer_row(session, "2002")]


@pytest.fixture
def user(session: Session) -> User:
    return make_user(session)


def test_the_same_user_and_offer_get_the_same_code(session: Session, offers: list[Offer],
                                                   user: User) -> None:
    first = share_link_for(session, user_id=user.id, offer_id=offers[0].id)
    again = share_link_for(session, user_id=user.id, offer_id=offers[0].id)
    assert again.id == first.id and again.code == first.code
    assert session.scalar(select(func.count()).select_from(ShareLink)) == 1


def test_codes_are_short_unambiguous_and_distinct(session: Session, offers: list[Offer],
                                                  user: User) -> None:
    other = make_user(session, "Lily")
    links = [share_link_for(session, user_id=u.id, offer_id=o.id)
             for u in (user, other) for o in offers]
    codes = [link.code for link in links]
    assert len(set(codes)) == 4
    for code in codes:
        assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    assert not set("0Oo1lI") & set(ALPHABET)
    assert len(set(ALPHABET)) == len(ALPHABET) == 56


def test_many_fresh_codes_do_not_repeat() -> None:
    codes = {share_links.new_code() for _ in range(20000)}
    assert len(codes) == 20000


def test_a_colliding_code_is_drawn_again(session: Session, offers: list[Offer], user: User,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    taken = share_link_for(session, user_id=user.id, offer_id=offers[0].id).code
    draws: Iterator[str] = iter([taken, taken, "Fresh234"])
    monkeypatch.setattr(share_links, "new_code", lambda: next(draws))
    link = share_link_for(session, user_id=user.id, offer_id=offers[1].id)
    assert link.code == "Fresh234"
    # The failed inserts rolled back to their savepoints: the transaction goes on.
    assert session.scalar(select(func.count()).select_from(ShareLink)) == 2
    assert get_by_code(session, code=taken) is not None


def test_gives_up_after_repeated_collisions(session: Session, offers: list[Offer],
                                            user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    taken = share_link_for(session, user_id=user.id, offer_id=offers[0].id).code
    monkeypatch.setattr(share_links, "new_code", lambda: taken)
    with pytest.raises(ShareLinkError, match="no free share code"):
        share_link_for(session, user_id=user.id, offer_id=offers[1].id)
    assert session.scalar(select(func.count()).select_from(ShareLink)) == 1


def test_a_link_created_meanwhile_is_returned(session: Session, offers: list[Offer],
                                              user: User,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Another request inserted this user's link for this offer between our look-up and
    our insert: the unique (user, offer) pair fails ours, and theirs is the answer."""
    theirs = ShareLink(code="Theirs23", user_id=user.id, offer_id=offers[0].id)
    real_existing = share_links._existing
    calls = {"n": 0}

    def existing_after_a_race(session: Session, *, user_id: int,
                              offer_id: int) -> ShareLink | None:
        calls["n"] += 1
        if calls["n"] == 1:  # our first look: nothing yet; then they insert
            session.add(theirs)
            session.flush()
            return None
        return real_existing(session, user_id=user_id, offer_id=offer_id)

    monkeypatch.setattr(share_links, "_existing", existing_after_a_race)
    link = share_link_for(session, user_id=user.id, offer_id=offers[0].id)
    assert link.code == "Theirs23"


def test_unknown_and_retired_offers_cannot_be_shared(session: Session, offers: list[Offer],
                                                     user: User, now: datetime) -> None:
    with pytest.raises(OfferNotShareable, match="no longer on sale"):
        share_link_for(session, user_id=user.id, offer_id=10**12)
    offers[1].retired_at = now
    session.flush()
    with pytest.raises(OfferNotShareable) as err:
        share_link_for(session, user_id=user.id, offer_id=offers[1].id)
    assert err.value.offer_id == offers[1].id
    assert isinstance(err.value, ValueError)


def test_unknown_and_deactivated_users_cannot_share(session: Session,
                                                    offers: list[Offer]) -> None:
    with pytest.raises(SharerNotFound):
        share_link_for(session, user_id=10**12, offer_id=offers[0].id)
    gone = make_user(session, "gone", active=False)
    with pytest.raises(SharerNotFound):
        share_link_for(session, user_id=gone.id, offer_id=offers[0].id)


@pytest.mark.parametrize("code", ["", "abc", "x" * 17, "../etc", "ab cd ef", "码码码码码码码码",
                                  "Ab3dEf9h'--"])
def test_get_by_code_ignores_what_is_not_a_code(session: Session, code: str) -> None:
    assert get_by_code(session, code=code) is None


def test_shared_offer_prices_the_deal_now_and_names_the_sharer(
        session: Session, offers: list[Offer], user: User, now: datetime) -> None:
    link = share_link_for(session, user_id=user.id, offer_id=offers[0].id)
    shared = shared_offer(session, code=link.code, now=now)
    assert shared is not None
    assert shared.link.id == link.id and shared.sharer_nickname == "小明"
    assert shared.view.offer.id == offers[0].id
    assert shared.view.coupon is not None and shared.view.final_price == 10000 - 1000
    assert shared_offer(session, code="Nope2345", now=now) is None


def test_a_retired_offer_is_no_longer_shown(session: Session, offers: list[Offer],
                                            user: User, now: datetime) -> None:
    link = share_link_for(session, user_id=user.id, offer_id=offers[0].id)
    offers[0].retired_at = now - timedelta(hours=1)
    session.flush()
    assert shared_offer(session, code=link.code, now=now) is None
