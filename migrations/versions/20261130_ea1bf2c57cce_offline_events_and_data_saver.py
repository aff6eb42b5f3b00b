"""offline events and data saver

Revision ID: ea1bf2c57cce
Revises: c0e5ed17a8b2
Create Date: 2026-11-30 17:53:22.981961

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ea1bf2c57cce'
down_revision = 'c0e5ed17a8b2'
branch_labels = None
depends_on = None


def upgrade():
    
    op.create_table('offline_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('course_slug', sa.String(length=100), nullable=False),
    sa.Column('item_key', sa.String(length=201), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('lesson-done', 'quiz-answers')", name=op.f('ck_offline_events_kind_known')),
    sa.CheckConstraint("outcome IN ('recorded', 'already-done', 'graded', 'stale')", name=op.f('ck_offline_events_outcome_known')),
    sa.CheckConstraint('occurred_at <= received_at', name=op.f('ck_offline_events_not_in_future')),
    sa.ForeignKeyConstraint(['attempt_id'], ['quiz_attempts.id'], name=op.f('fk_offline_events_attempt_id_quiz_attempts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_offline_events_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offline_events')),
    sa.UniqueConstraint('user_id', 'client_id', name=op.f('uq_offline_events_user_id_client_id'))
    )
    with op.batch_alter_table('offline_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offline_events_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('data_saver', sa.Boolean(), server_default=sa.false(), nullable=False))




def downgrade():
    
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('data_saver')

    with op.batch_alter_table('offline_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offline_events_user_id'))

    op.drop_table('offline_events')

