"""course editors: which trainers may edit and publish which course

Revision ID: c0e5ed17a8b2
Revises: f1a4c7e9b3d8
Create Date: 2026-11-30 18:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c0e5ed17a8b2'
down_revision = 'f1a4c7e9b3d8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('course_editors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('course_slug', sa.String(length=100), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_course_editors_granted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_course_editors_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_editors')),
    sa.UniqueConstraint('course_slug', 'user_id', name='uq_course_editors_course_user')
    )
    with op.batch_alter_table('course_editors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_editors_course_slug'), ['course_slug'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_editors_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('course_editors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_editors_user_id'))
        batch_op.drop_index(batch_op.f('ix_course_editors_course_slug'))
    op.drop_table('course_editors')
