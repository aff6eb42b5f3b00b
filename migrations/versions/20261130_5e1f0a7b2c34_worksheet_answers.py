"""worksheet answers

Revision ID: 5e1f0a7b2c34
Revises: 8bc66f42c9a3
Create Date: 2026-11-30 18:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1f0a7b2c34'
down_revision = '8bc66f42c9a3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('worksheet_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('course_slug', sa.String(length=100), nullable=False),
    sa.Column('worksheet_key', sa.String(length=201), nullable=False),
    sa.Column('field_id', sa.String(length=40), nullable=False),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'course_slug', 'worksheet_key', 'field_id')
    )
    with op.batch_alter_table('worksheet_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_worksheet_answers_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('worksheet_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_worksheet_answers_user_id'))

    op.drop_table('worksheet_answers')
