"""logistics (items, loans, consumables) and settings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 07:05:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('identifier', sa.String(length=60), nullable=False),
    sa.Column('kind', sa.String(length=200), nullable=False),
    sa.Column('storage_place', sa.String(length=200), nullable=False),
    sa.Column('condition', sa.String(length=40), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('is_example', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('identifier')
    )
    op.create_table('settings',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('consumables',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('edition_id', 'name')
    )
    with op.batch_alter_table('consumables', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consumables_edition_id'), ['edition_id'], unique=False)

    op.create_table('consumable_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('consumable_id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('carrier', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['consumable_id'], ['consumables.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('consumable_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consumable_deliveries_consumable_id'), ['consumable_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consumable_deliveries_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consumable_deliveries_shop_id'), ['shop_id'], unique=False)

    op.create_table('loans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('delivery_date', sa.Date(), nullable=False),
    sa.Column('pickup_date', sa.Date(), nullable=False),
    sa.Column('returned_date', sa.Date(), nullable=True),
    sa.Column('carrier', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('is_example', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('loans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_loans_edition_id'), ['edition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_loans_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_loans_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_loans_shop_id'), ['shop_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('loans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_loans_shop_id'))
        batch_op.drop_index(batch_op.f('ix_loans_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_loans_item_id'))
        batch_op.drop_index(batch_op.f('ix_loans_edition_id'))

    op.drop_table('loans')
    with op.batch_alter_table('consumable_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consumable_deliveries_shop_id'))
        batch_op.drop_index(batch_op.f('ix_consumable_deliveries_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_consumable_deliveries_consumable_id'))

    op.drop_table('consumable_deliveries')
    with op.batch_alter_table('consumables', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consumables_edition_id'))

    op.drop_table('consumables')
    op.drop_table('settings')
    op.drop_table('items')
