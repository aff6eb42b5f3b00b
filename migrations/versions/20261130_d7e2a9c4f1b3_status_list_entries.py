"""certificates have a bit in a Bitstring Status List

Revision ID: d7e2a9c4f1b3
Revises: c3d1f0a7b2e4
Create Date: 2026-11-30 17:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'd7e2a9c4f1b3'
down_revision = 'c3d1f0a7b2e4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_list', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('status_index', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('one_certificate_per_status_bit', ['status_list', 'status_index'])


def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint('one_certificate_per_status_bit', type_='unique')
        batch_op.drop_column('status_index')
        batch_op.drop_column('status_list')
