"""initial catalog schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import aggregator.models.base
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('partners',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('network', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('allowed_hosts', sa.JSON(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('created_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners')),
    sa.UniqueConstraint('slug', name=op.f('uq_partners_slug'))
    )
    op.create_table('products',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('brand', sa.String(length=120), nullable=True),
    sa.Column('category', sa.String(length=255), nullable=True),
    sa.Column('image_url', sa.String(length=2000), nullable=True),
    sa.Column('gtin', sa.String(length=14), nullable=True),
    sa.Column('created_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_gtin'), ['gtin'], unique=False)

    op.create_table('crawl_runs',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('partner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('spider', sa.String(length=60), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('trigger', sa.String(length=20), nullable=False),
    sa.Column('feed_url', sa.String(length=2000), nullable=True),
    sa.Column('pid', sa.Integer(), nullable=True),
    sa.Column('created_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expected_items', sa.Integer(), nullable=True),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('new', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('retired', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('finish_reason', sa.String(length=100), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('stats', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_crawl_runs_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_crawl_runs'))
    )
    with op.batch_alter_table('crawl_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crawl_runs_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_crawl_runs_status'), ['status'], unique=False)

    op.create_table('merchants',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('partner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('external_id', sa.String(length=191), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('platform', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_merchants_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_merchants')),
    sa.UniqueConstraint('partner_id', 'external_id', name=op.f('uq_merchants_partner_id_external_id'))
    )
    op.create_table('offers',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('partner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('external_id', sa.String(length=191), nullable=False),
    sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('merchant_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('brand', sa.String(length=120), nullable=True),
    sa.Column('category', sa.String(length=255), nullable=True),
    sa.Column('image_url', sa.String(length=2000), nullable=True),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.Column('list_price', sa.BigInteger(), nullable=True),
    sa.Column('final_price', sa.BigInteger(), nullable=False),
    sa.Column('final_price_until', aggregator.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('discount_bp', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('commission_bp', sa.Integer(), nullable=True),
    sa.Column('sales', sa.Integer(), nullable=False),
    sa.Column('in_stock', sa.Boolean(), nullable=False),
    sa.Column('content_hash', sa.String(length=32), nullable=False),
    sa.Column('raw', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('first_seen_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('retired_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['last_run_id'], ['crawl_runs.id'], name=op.f('fk_offers_last_run_id_crawl_runs')),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_offers_merchant_id_merchants')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_offers_partner_id_partners')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_offers_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offers')),
    sa.UniqueConstraint('partner_id', 'external_id', name=op.f('uq_offers_partner_id_external_id'))
    )
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.create_index('ix_offers_discount_bp_id', ['discount_bp', 'id'], unique=False)
        batch_op.create_index('ix_offers_final_price_id', ['final_price', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offers_final_price_until'), ['final_price_until'], unique=False)
        batch_op.create_index('ix_offers_first_seen_at_id', ['first_seen_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offers_merchant_id'), ['merchant_id'], unique=False)
        batch_op.create_index('ix_offers_price_id', ['price', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_offers_product_id'), ['product_id'], unique=False)
        batch_op.create_index('ix_offers_sales_id', ['sales', 'id'], unique=False)
        batch_op.create_index('ix_offers_score_id', ['score', 'id'], unique=False)

    op.create_table('rejected_records',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('partner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('external_id', sa.String(length=191), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('raw', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_rejected_records_partner_id_partners')),
    sa.ForeignKeyConstraint(['run_id'], ['crawl_runs.id'], name=op.f('fk_rejected_records_run_id_crawl_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rejected_records'))
    )
    with op.batch_alter_table('rejected_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rejected_records_partner_id'), ['partner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rejected_records_run_id'), ['run_id'], unique=False)

    op.create_table('coupons',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('partner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('external_id', sa.String(length=191), nullable=False),
    sa.Column('offer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('merchant_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=True),
    sa.Column('percent_bp', sa.Integer(), nullable=True),
    sa.Column('min_spend', sa.BigInteger(), nullable=False),
    sa.Column('code', sa.String(length=100), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=True),
    sa.Column('starts_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ends_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('remaining', sa.Integer(), nullable=True),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('raw', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('updated_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('retired_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['merchant_id'], ['merchants.id'], name=op.f('fk_coupons_merchant_id_merchants')),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_coupons_offer_id_offers')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_coupons_partner_id_partners')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coupons')),
    sa.UniqueConstraint('partner_id', 'external_id', name=op.f('uq_coupons_partner_id_external_id'))
    )
    with op.batch_alter_table('coupons', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coupons_ends_at'), ['ends_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_coupons_merchant_id'), ['merchant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_coupons_offer_id'), ['offer_id'], unique=False)

    op.create_table('price_observations',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('offer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('observed_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('price', sa.BigInteger(), nullable=False),
    sa.Column('final_price', sa.BigInteger(), nullable=False),
    sa.Column('run_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_price_observations_offer_id_offers')),
    sa.ForeignKeyConstraint(['run_id'], ['crawl_runs.id'], name=op.f('fk_price_observations_run_id_crawl_runs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_price_observations'))
    )
    with op.batch_alter_table('price_observations', schema=None) as batch_op:
        batch_op.create_index('ix_price_observations_offer_id_observed_at', ['offer_id', 'observed_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('price_observations', schema=None) as batch_op:
        batch_op.drop_index('ix_price_observations_offer_id_observed_at')

    op.drop_table('price_observations')
    with op.batch_alter_table('coupons', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coupons_offer_id'))
        batch_op.drop_index(batch_op.f('ix_coupons_merchant_id'))
        batch_op.drop_index(batch_op.f('ix_coupons_ends_at'))

    op.drop_table('coupons')
    with op.batch_alter_table('rejected_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rejected_records_run_id'))
        batch_op.drop_index(batch_op.f('ix_rejected_records_partner_id'))

    op.drop_table('rejected_records')
    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_index('ix_offers_score_id')
        batch_op.drop_index('ix_offers_sales_id')
        batch_op.drop_index(batch_op.f('ix_offers_product_id'))
        batch_op.drop_index('ix_offers_price_id')
        batch_op.drop_index(batch_op.f('ix_offers_merchant_id'))
        batch_op.drop_index('ix_offers_first_seen_at_id')
        batch_op.drop_index(batch_op.f('ix_offers_final_price_until'))
        batch_op.drop_index('ix_offers_final_price_id')
        batch_op.drop_index('ix_offers_discount_bp_id')

    op.drop_table('offers')
    op.drop_table('merchants')
    with op.batch_alter_table('crawl_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_crawl_runs_status'))
        batch_op.drop_index(batch_op.f('ix_crawl_runs_partner_id'))

    op.drop_table('crawl_runs')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_products_gtin'))

    op.drop_table('products')
    op.drop_table('partners')
