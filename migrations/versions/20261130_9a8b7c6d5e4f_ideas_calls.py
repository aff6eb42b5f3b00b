"""ideas calls: rubric, jury, submissions, scores

Revision ID: 9a8b7c6d5e4f
Revises: 7c2d9e4f1a56
Create Date: 2026-11-30 18:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9a8b7c6d5e4f'
down_revision = '7c2d9e4f1a56'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calls',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=False),
    sa.Column('course_slug', sa.String(length=100), nullable=False),
    sa.Column('required_worksheets', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calls_created_by'), ['created_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_calls_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('call_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.CheckConstraint('weight > 0', name='weight_positive'),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('call_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_criteria_call_id'), ['call_id'], unique=False)

    op.create_table('call_jurors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('call_id', 'user_id')
    )
    with op.batch_alter_table('call_jurors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_jurors_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_jurors_user_id'), ['user_id'], unique=False)

    op.create_table('call_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('call_id', sa.Integer(), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['call_id'], ['calls.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['learner_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('call_id', 'learner_id')
    )
    with op.batch_alter_table('call_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_submissions_call_id'), ['call_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_submissions_learner_id'), ['learner_id'], unique=False)

    op.create_table('call_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('juror_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('value >= 0 AND value <= 10', name='score_on_scale'),
    sa.ForeignKeyConstraint(['criterion_id'], ['call_criteria.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['juror_id'], ['users.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['call_submissions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('submission_id', 'criterion_id', 'juror_id')
    )
    with op.batch_alter_table('call_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_scores_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_scores_juror_id'), ['juror_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_call_scores_submission_id'), ['submission_id'], unique=False)


def downgrade():
    for table, indexes in (
        ('call_scores', ('ix_call_scores_submission_id', 'ix_call_scores_juror_id', 'ix_call_scores_criterion_id')),
        ('call_submissions', ('ix_call_submissions_learner_id', 'ix_call_submissions_call_id')),
        ('call_jurors', ('ix_call_jurors_user_id', 'ix_call_jurors_call_id')),
        ('call_criteria', ('ix_call_criteria_call_id',)),
        ('calls', ('ix_calls_organisation_id', 'ix_calls_created_by')),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
