"""geography: territories' public name and EPCI code, shops' approximate coordinates

Revision ID: 0004_geography
Revises: 0004_date_candidates
Create Date: 2026-12-02 11:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_geography'
down_revision = '0004_date_candidates'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('territories') as batch:
        batch.add_column(sa.Column('public_name', sa.String(length=200), server_default='', nullable=False))
        batch.add_column(sa.Column('epci_code', sa.String(length=9), server_default='', nullable=False))
    with op.batch_alter_table('shops') as batch:
        batch.add_column(sa.Column('coordinates_approximate', sa.Boolean(), server_default=sa.false(),
                                   nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('shops') as batch:
        batch.drop_column('coordinates_approximate')
    with op.batch_alter_table('territories') as batch:
        batch.drop_column('epci_code')
        batch.drop_column('public_name')
