"""plan shares and comments

Revision ID: 7c2d9e4f1a56
Revises: 5e1f0a7b2c34
Create Date: 2026-11-30 18:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c2d9e4f1a56'
down_revision = '5e1f0a7b2c34'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('plan_shares',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('course_slug', sa.String(length=100), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ready_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['learner_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('learner_id', 'course_slug', 'reviewer_id')
    )
    with op.batch_alter_table('plan_shares', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_shares_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_shares_reviewer_id'), ['reviewer_id'], unique=False)

    op.create_table('plan_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('share_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('worksheet_key', sa.String(length=201), nullable=False),
    sa.Column('field_id', sa.String(length=40), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['share_id'], ['plan_shares.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('plan_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_comments_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_comments_share_id'), ['share_id'], unique=False)


def downgrade():
    with op.batch_alter_table('plan_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_comments_share_id'))
        batch_op.drop_index(batch_op.f('ix_plan_comments_author_id'))

    op.drop_table('plan_comments')
    with op.batch_alter_table('plan_shares', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_shares_reviewer_id'))
        batch_op.drop_index(batch_op.f('ix_plan_shares_learner_id'))

    op.drop_table('plan_shares')
