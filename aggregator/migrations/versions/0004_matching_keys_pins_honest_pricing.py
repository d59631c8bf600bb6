"""matching keys, pins, honest pricing

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import aggregator.models.base


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('product_pins',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('offer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('product_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_product_pins_offer_id_offers')),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_pins_product_id_products')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_pins')),
    sa.UniqueConstraint('offer_id', name=op.f('uq_product_pins_offer_id'))
    )
    with op.batch_alter_table('product_pins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_pins_product_id'), ['product_id'], unique=False)

    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gtin', sa.String(length=14), nullable=True))
        batch_op.add_column(sa.Column('mpn', sa.String(length=70), nullable=True))
        batch_op.add_column(sa.Column('taxonomy_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ref_price', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('prior_low_30d', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('prior_low_all', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('price_dropped_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('list_price_inflated', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_index(batch_op.f('ix_offers_taxonomy_id'), ['taxonomy_id'], unique=False)

    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reliability_bp', sa.Integer(), nullable=False,
                                      server_default='10000'))

    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('brand_key', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('model_key', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('variant', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('block_key', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('title_key', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('taxonomy_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch_op.create_index(batch_op.f('ix_products_block_key'), ['block_key'], unique=False)
        batch_op.create_index('ix_products_brand_key_model_key', ['brand_key', 'model_key'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_products_merged_into_id_products'), 'products', ['merged_into_id'], ['id'])
    # Offers kept their GTIN and part number only in the raw record until now; matching
    # reads the columns, so existing offers start with the product's GTIN.
    op.execute("UPDATE offers SET gtin = (SELECT p.gtin FROM products p WHERE p.id = offers.product_id)")



def downgrade() -> None:
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_products_merged_into_id_products'), type_='foreignkey')
        batch_op.drop_index('ix_products_brand_key_model_key')
        batch_op.drop_index(batch_op.f('ix_products_block_key'))
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('taxonomy_id')
        batch_op.drop_column('title_key')
        batch_op.drop_column('block_key')
        batch_op.drop_column('variant')
        batch_op.drop_column('model_key')
        batch_op.drop_column('brand_key')

    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_column('reliability_bp')

    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offers_taxonomy_id'))
        batch_op.drop_column('list_price_inflated')
        batch_op.drop_column('price_dropped_at')
        batch_op.drop_column('prior_low_all')
        batch_op.drop_column('prior_low_30d')
        batch_op.drop_column('ref_price')
        batch_op.drop_column('taxonomy_id')
        batch_op.drop_column('mpn')
        batch_op.drop_column('gtin')

    with op.batch_alter_table('product_pins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_pins_product_id'))

    op.drop_table('product_pins')
