"""offer search: FTS5 on SQLite, tsvector + GIN on PostgreSQL; offers.search_pending

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23

The index holds jieba-segmented tokens (aggregator.search.tokens), so neither database
has to know Chinese. It lives beside the models (a virtual table is no ORM table) and is
filled by aggregator.search.index for offers whose ``search_pending`` is set.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_pending', sa.Boolean(), nullable=False,
                                      server_default=sa.true()))
    pending = sa.text('search_pending')
    op.create_index('ix_offers_search_pending', 'offers', ['id'], unique=False,
                    sqlite_where=pending, postgresql_where=pending)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("CREATE TABLE offer_search (offer_id BIGINT PRIMARY KEY "
                   "REFERENCES offers (id) ON DELETE CASCADE, tokens TSVECTOR NOT NULL)")
        op.execute("CREATE INDEX ix_offer_search_tokens ON offer_search USING GIN (tokens)")
    else:
        # detail=none: queries AND words and never ask for phrases or positions, so the
        # index keeps only which offers hold a word (a fraction of the full index's size).
        op.execute("CREATE VIRTUAL TABLE offer_search USING fts5(tokens, detail=none, "
                   "prefix='2 3', tokenize='unicode61 remove_diacritics 2')")
        op.execute("CREATE TRIGGER offers_search_delete AFTER DELETE ON offers BEGIN "
                   "DELETE FROM offer_search WHERE rowid = old.id; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TABLE offer_search")
    else:
        op.execute("DROP TRIGGER offers_search_delete")
        op.execute("DROP TABLE offer_search")
    op.drop_index('ix_offers_search_pending', table_name='offers')
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_column('search_pending')
