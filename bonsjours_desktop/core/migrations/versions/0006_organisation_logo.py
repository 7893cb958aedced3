"""organisations' logos (PNG, JPEG or SVG bytes) for the posters

Revision ID: 0006_organisation_logo
Revises: 0005_event_day_hours
Create Date: 2026-12-07 14:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006_organisation_logo'
down_revision = '0005_event_day_hours'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'organisation_logos',
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('format', sa.String(length=8), nullable=False),
        sa.Column('file_name', sa.String(length=260), nullable=False, server_default=''),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False, server_default=sa.text('1')),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('organisation_id'),
    )


def downgrade() -> None:
    op.drop_table('organisation_logos')
