"""candidate event days and the shops' answers (date concertation)

Revision ID: 0004_date_candidates
Revises: 0003
Create Date: 2026-12-02 11:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_date_candidates'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('date_candidates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('days', sa.JSON(), nullable=False),
    sa.Column('chosen', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('date_candidates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_date_candidates_edition_id'), ['edition_id'], unique=False)

    op.create_table('date_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('shop_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('answer', sa.String(length=20), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.ForeignKeyConstraint(['candidate_id'], ['date_candidates.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shop_id'], ['shops.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('candidate_id', 'shop_id', 'organisation_id')
    )
    with op.batch_alter_table('date_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_date_answers_candidate_id'), ['candidate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_date_answers_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_date_answers_shop_id'), ['shop_id'], unique=False)


def downgrade() -> None:
    op.drop_table('date_answers')
    op.drop_table('date_candidates')
