"""sort indexes hold live offers only (partial: retired_at IS NULL); category by price

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23

A listing walks a sort index and used to read each row's retired_at from the table: at
1M offers, 800 rows took 14 ms that way and 0.7 ms from the index alone. The category
index gains the price, so a category page sorted by price reads each category's cheapest
offers in order (aggregator.catalog_walk.by_category_price).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("final_price", "price", "discount_bp", "score", "sales", "first_seen_at",
           "price_dropped_at")
LIVE = sa.text("retired_at IS NULL")


def upgrade() -> None:
    for column in COLUMNS:
        op.drop_index(f'ix_offers_{column}_id', table_name='offers')
        op.create_index(f'ix_offers_live_{column}_id', 'offers', [column, 'id'],
                        sqlite_where=LIVE, postgresql_where=LIVE)
    op.drop_index('ix_offers_taxonomy_id', table_name='offers')
    op.create_index('ix_offers_live_taxonomy_id_final_price_id', 'offers',
                    ['taxonomy_id', 'final_price', 'id'], sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade() -> None:
    op.drop_index('ix_offers_live_taxonomy_id_final_price_id', table_name='offers')
    op.create_index('ix_offers_taxonomy_id', 'offers', ['taxonomy_id'])
    for column in COLUMNS:
        op.drop_index(f'ix_offers_live_{column}_id', table_name='offers')
        op.create_index(f'ix_offers_{column}_id', 'offers', [column, 'id'])
