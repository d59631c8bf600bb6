"""coupons unique per offer

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import aggregator.models.base


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('coupons', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_coupons_partner_id_external_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_coupons_partner_id_offer_id_external_id'), ['partner_id', 'offer_id', 'external_id'])



def downgrade() -> None:
    with op.batch_alter_table('coupons', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_coupons_partner_id_offer_id_external_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_coupons_partner_id_external_id'), ['partner_id', 'external_id'])

