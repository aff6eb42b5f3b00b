"""certificates keep the competences they attest

Revision ID: f1a4c7e9b3d8
Revises: e8f3b1d5a6c2
Create Date: 2026-11-30 18:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'f1a4c7e9b3d8'
down_revision = 'e8f3b1d5a6c2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('competences', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_column('competences')
