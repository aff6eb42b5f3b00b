"""search entries: the PostgreSQL full-text index of course content (unused on SQLite)

Revision ID: 87aea1f8d31a
Revises: aa4b7a5cdf91
Create Date: 2026-11-30 17:45:14.010086

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '87aea1f8d31a'
down_revision = 'aa4b7a5cdf91'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('content_version', sa.String(length=64), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('text_config', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('course_slug', sa.String(length=100), nullable=False),
    sa.Column('item_key', sa.String(length=201), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('document', postgresql.TSVECTOR().with_variant(sa.Text(), 'sqlite'), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entries'))
    )
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.create_index('ix_search_entries_document', ['document'], unique=False, postgresql_using='gin')
        batch_op.create_index('ix_search_entries_lang', ['lang'], unique=False)



def downgrade():
    with op.batch_alter_table('search_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_search_entries_lang')
        batch_op.drop_index('ix_search_entries_document', postgresql_using='gin')

    op.drop_table('search_entries')
