"""accounts, sessions and tokens, share links, clicks, conversions, ledger, withdrawals

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import aggregator.models.base
revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('rate_limit_hits',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('window_start', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', 'window_start', name=op.f('pk_rate_limit_hits'))
    )
    op.create_table('users',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('nickname', sa.String(length=40), nullable=False),
    sa.Column('invite_code', sa.String(length=16), nullable=False),
    sa.Column('invited_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_users_invited_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('invite_code', name=op.f('uq_users_invite_code'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_invited_by_id'), ['invited_by_id'], unique=False)

    op.create_table('auth_secrets',
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=True),
    sa.Column('created_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_auth_secrets_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('secret_hash', name=op.f('pk_auth_secrets'))
    )
    with op.batch_alter_table('auth_secrets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auth_secrets_user_id'), ['user_id'], unique=False)

    op.create_table('withdrawals',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('requested_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('paid_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_withdrawals_decided_by_id_users')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_withdrawals_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_withdrawals'))
    )
    with op.batch_alter_table('withdrawals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_withdrawals_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_withdrawals_user_id'), ['user_id'], unique=False)

    op.create_table('share_links',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('offer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['offer_id'], ['offers.id'], name=op.f('fk_share_links_offer_id_offers')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_share_links_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_share_links')),
    sa.UniqueConstraint('code', name=op.f('uq_share_links_code')),
    sa.UniqueConstraint('user_id', 'offer_id', name=op.f('uq_share_links_user_id_offer_id'))
    )
    with op.batch_alter_table('share_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_share_links_offer_id'), ['offer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_share_links_user_id'), ['user_id'], unique=False)

    op.create_table('clicks',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('share_link_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('created_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ip_hash', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=500), nullable=False),
    sa.Column('flag', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['share_link_id'], ['share_links.id'], name=op.f('fk_clicks_share_link_id_share_links')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clicks'))
    )
    with op.batch_alter_table('clicks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clicks_ip_hash'), ['ip_hash'], unique=False)
        batch_op.create_index('ix_clicks_share_link_id_ip_hash_created_at', ['share_link_id', 'ip_hash', 'created_at'], unique=False)

    op.create_table('conversions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('partner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('order_id', sa.String(length=100), nullable=False),
    sa.Column('sub_id', sa.String(length=100), nullable=True),
    sa.Column('click_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('order_amount', sa.Integer(), nullable=False),
    sa.Column('commission_amount', sa.Integer(), nullable=False),
    sa.Column('occurred_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('released_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('created_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('raw', aggregator.models.base.JSONType, nullable=False),
    sa.ForeignKeyConstraint(['click_id'], ['clicks.id'], name=op.f('fk_conversions_click_id_clicks')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_conversions_partner_id_partners')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_conversions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversions')),
    sa.UniqueConstraint('partner_id', 'order_id', name=op.f('uq_conversions_partner_id_order_id'))
    )
    with op.batch_alter_table('conversions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversions_click_id'), ['click_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conversions_user_id'), ['user_id'], unique=False)

    op.create_table('ledger_transactions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('conversion_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('withdrawal_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('created_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversion_id'], ['conversions.id'], name=op.f('fk_ledger_transactions_conversion_id_conversions')),
    sa.ForeignKeyConstraint(['withdrawal_id'], ['withdrawals.id'], name=op.f('fk_ledger_transactions_withdrawal_id_withdrawals')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_transactions')),
    sa.UniqueConstraint('key', name=op.f('uq_ledger_transactions_key'))
    )
    with op.batch_alter_table('ledger_transactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_transactions_conversion_id'), ['conversion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ledger_transactions_withdrawal_id'), ['withdrawal_id'], unique=False)

    op.create_table('ledger_entries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('transaction_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('account', sa.String(length=20), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('created_at', aggregator.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('amount <> 0', name=op.f('ck_ledger_entries_nonzero')),
    sa.ForeignKeyConstraint(['transaction_id'], ['ledger_transactions.id'], name=op.f('fk_ledger_entries_transaction_id_ledger_transactions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ledger_entries_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ledger_entries'))
    )
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ledger_entries_transaction_id'), ['transaction_id'], unique=False)
        batch_op.create_index('ix_ledger_entries_user_id_account_currency', ['user_id', 'account', 'currency'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_entries_user_id_account_currency')
        batch_op.drop_index(batch_op.f('ix_ledger_entries_transaction_id'))

    op.drop_table('ledger_entries')
    with op.batch_alter_table('ledger_transactions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ledger_transactions_withdrawal_id'))
        batch_op.drop_index(batch_op.f('ix_ledger_transactions_conversion_id'))

    op.drop_table('ledger_transactions')
    with op.batch_alter_table('conversions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversions_user_id'))
        batch_op.drop_index(batch_op.f('ix_conversions_click_id'))

    op.drop_table('conversions')
    with op.batch_alter_table('clicks', schema=None) as batch_op:
        batch_op.drop_index('ix_clicks_share_link_id_ip_hash_created_at')
        batch_op.drop_index(batch_op.f('ix_clicks_ip_hash'))

    op.drop_table('clicks')
    with op.batch_alter_table('share_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_share_links_user_id'))
        batch_op.drop_index(batch_op.f('ix_share_links_offer_id'))

    op.drop_table('share_links')
    with op.batch_alter_table('withdrawals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_withdrawals_user_id'))
        batch_op.drop_index(batch_op.f('ix_withdrawals_status'))

    op.drop_table('withdrawals')
    with op.batch_alter_table('auth_secrets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_secrets_user_id'))

    op.drop_table('auth_secrets')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_invited_by_id'))

    op.drop_table('users')
    op.drop_table('rate_limit_hits')
