"""row versions for optimistic locking (team mode)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 07:15:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

TABLES = ['budget_categories', 'editions', 'items', 'planning_templates', 'role_types', 'settings', 'territories', 'budget_lines', 'consumables', 'event_days', 'meetings', 'organisations', 'planning_template_tasks', 'shops', 'booklet_relays', 'consumable_deliveries', 'contacts', 'loans', 'meeting_attendees', 'tasks', 'edition_roles', 'participations', 'task_dependencies', 'animations']


def upgrade() -> None:
    for name in TABLES:
        with op.batch_alter_table(name) as batch:
            batch.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))


def downgrade() -> None:
    for name in reversed(TABLES):
        with op.batch_alter_table(name) as batch:
            batch.drop_column('version')
