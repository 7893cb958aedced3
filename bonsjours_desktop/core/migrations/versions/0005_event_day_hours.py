"""event-day hours of each participation, press contact of an edition, role types receiving the press kit

Revision ID: 0005_event_day_hours
Revises: 0004_date_candidates
Create Date: 2026-12-02 10:55:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005_event_day_hours'
down_revision = '0004_geography'
branch_labels = None
depends_on = None

PRESS_KIT_ROLE_TYPES = ["boutique participante", "animations prévention en boutique", "relais presse locale",
                        "diffusion de l'annuaire"]


def upgrade() -> None:
    with op.batch_alter_table('participations') as batch:
        batch.add_column(sa.Column('event_hours', sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    with op.batch_alter_table('role_types') as batch:
        batch.add_column(sa.Column('receives_press_kit', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('editions') as batch:
        batch.add_column(sa.Column('press_contact_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_editions_press_contact_id_contacts', 'contacts', ['press_contact_id'], ['id'],
                                 ondelete='SET NULL')
    role_types = sa.table('role_types', sa.column('name', sa.String), sa.column('receives_press_kit', sa.Boolean))
    op.execute(role_types.update().where(role_types.c.name.in_(PRESS_KIT_ROLE_TYPES)).values(receives_press_kit=True))


def downgrade() -> None:
    with op.batch_alter_table('editions') as batch:
        batch.drop_constraint('fk_editions_press_contact_id_contacts', type_='foreignkey')
        batch.drop_column('press_contact_id')
    with op.batch_alter_table('role_types') as batch:
        batch.drop_column('receives_press_kit')
    with op.batch_alter_table('participations') as batch:
        batch.drop_column('event_hours')
