"""feed states, offers written not touched

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import aggregator.models.base


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('feed_states',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('partner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('url', sa.String(length=1000), nullable=False),
    sa.Column('etag', sa.String(length=500), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.Column('updated_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_feed_states_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feed_states')),
    sa.UniqueConstraint('partner_id', 'url', name=op.f('uq_feed_states_partner_id_url'))
    )
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')



def downgrade() -> None:
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=True))
    op.execute("UPDATE offers SET last_seen_at = updated_at")
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.alter_column('last_seen_at', nullable=False)

    op.drop_table('feed_states')
