"""Who invited whom: a user's invitees are level 1, their invitees level 2.

Only users.invited_by_id is stored; level 2 is one self-join away, so an inviter change
(never made today) could not leave a stale copy behind.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from aggregator.models import User


@dataclass(frozen=True)
class InviteCounts:
    level1: int
    level2: int


def level1_invitees(session: Session, *, user_id: int, limit: int = 100,
                    offset: int = 0) -> list[User]:
    """The users ``user_id`` invited, newest first."""
    return list(session.scalars(
        select(User).where(User.invited_by_id == user_id)
        .order_by(User.created_at.desc(), User.id.desc()).limit(limit).offset(offset)))


def level2_invitees(session: Session, *, user_id: int, limit: int = 100,
                    offset: int = 0) -> list[tuple[User, User]]:
    """(invitee, their level-1 inviter) pairs two levels below ``user_id``, newest first."""
    middle = aliased(User)
    rows = session.execute(
        select(User, middle).join(middle, User.invited_by_id == middle.id)
        .where(middle.invited_by_id == user_id)
        .order_by(User.created_at.desc(), User.id.desc()).limit(limit).offset(offset))
    return [(user, via) for user, via in rows]


def invite_counts(session: Session, *, user_id: int) -> InviteCounts:
    middle = aliased(User)
    level1 = session.scalar(select(func.count()).select_from(User)
                            .where(User.invited_by_id == user_id)) or 0
    level2 = session.scalar(select(func.count()).select_from(User)
                            .join(middle, User.invited_by_id == middle.id)
                            .where(middle.invited_by_id == user_id)) or 0
    return InviteCounts(level1=level1, level2=level2)


def inviter_chain(session: Session, *, user_id: int) -> tuple[int | None, int | None]:
    """(level-1 inviter id, level-2 inviter id) of ``user_id``: who shares in their
    commissions. None where the chain ends."""
    parent = aliased(User)
    row = session.execute(
        select(User.invited_by_id, parent.invited_by_id)
        .outerjoin(parent, parent.id == User.invited_by_id)
        .where(User.id == user_id)).first()
    if row is None:
        return None, None
    return row[0], row[1]
