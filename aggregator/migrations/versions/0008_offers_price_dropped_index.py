"""index offers by price_dropped_at for the home page's "just dropped" shelf

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_offers_price_dropped_at_id', 'offers', ['price_dropped_at', 'id'])


def downgrade() -> None:
    op.drop_index('ix_offers_price_dropped_at_id', table_name='offers')
