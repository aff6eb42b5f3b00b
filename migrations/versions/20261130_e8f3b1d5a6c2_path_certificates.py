"""certificates for learning paths: a kind, and the path's courses

Revision ID: e8f3b1d5a6c2
Revises: d7e2a9c4f1b3
Create Date: 2026-11-30 17:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e8f3b1d5a6c2'
down_revision = 'd7e2a9c4f1b3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), server_default='course', nullable=False))
        batch_op.add_column(sa.Column('courses', sa.JSON(), nullable=True))
        batch_op.drop_constraint('uq_certificates_user_id_course_slug', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_certificates_user_id_kind_course_slug'),
                                          ['user_id', 'kind', 'course_slug'])
        batch_op.create_check_constraint(batch_op.f('ck_certificates_kind_known'), "kind IN ('course', 'path')")


def downgrade():
    op.execute("DELETE FROM certificates WHERE kind = 'path'")
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_certificates_kind_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_certificates_user_id_kind_course_slug'), type_='unique')
        batch_op.create_unique_constraint('uq_certificates_user_id_course_slug', ['user_id', 'course_slug'])
        batch_op.drop_column('courses')
        batch_op.drop_column('kind')
