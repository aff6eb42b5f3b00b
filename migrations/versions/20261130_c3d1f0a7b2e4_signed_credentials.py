"""certificates keep their signed Open Badges credential

Revision ID: c3d1f0a7b2e4
Revises: 9a8b7c6d5e4f
Create Date: 2026-11-30 17:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c3d1f0a7b2e4'
down_revision = '9a8b7c6d5e4f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('credential', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('credential')
