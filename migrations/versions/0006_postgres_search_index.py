"""postgres search index: search_documents and search_words (SEARCH_BACKEND = "postgres")

Both tables are created on every database and stay empty unless the postgres backend is
chosen (see credgroup/search/pg_schema.py): one schema for models and migrations on
SQLite and PostgreSQL alike. Only the types and index methods differ by dialect.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 20:36:58.481243

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def create_trigram_extension():
    """pg_trgm (for the trigram index of search_words) ships with PostgreSQL's contrib
    modules and is a trusted extension since PostgreSQL 13: the database owner may create
    it. Where it is not installed, say what to do instead of failing on the index."""
    bind = op.get_bind()
    if bind.dialect.name != 'postgresql':
        return
    available = bind.scalar(
        sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")
    )
    if not available:
        raise RuntimeError(
            'PostgreSQL lacks the pg_trgm extension that the search index needs: install '
            "the server's contrib modules (Debian/Ubuntu: part of the postgresql package; "
            'RHEL: postgresql-contrib), then run the upgrade again.'
        )
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')


def upgrade():
    create_trigram_extension()
    op.create_table('search_documents',
    sa.Column('doc_type', sa.String(length=20), nullable=False),
    sa.Column('doc_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('portal', sa.String(length=80), nullable=False),
    sa.Column('categories', sa.JSON().with_variant(postgresql.ARRAY(sa.String(length=40)), 'postgresql'), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('published_day', sa.Integer(), nullable=False),
    sa.Column('confirmed', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('vector', sa.Text().with_variant(postgresql.TSVECTOR(), 'postgresql'), nullable=False),
    sa.PrimaryKeyConstraint('doc_type', 'doc_id', name=op.f('pk_search_documents'))
    )
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.create_index('ix_search_documents_scope_published', ['scope', 'published_day'], unique=False)
        batch_op.create_index('ix_search_documents_vector', ['vector'], unique=False, postgresql_using='gin')

    op.create_table('search_words',
    sa.Column('word', sa.String(length=40), nullable=False),
    sa.PrimaryKeyConstraint('word', name=op.f('pk_search_words'))
    )
    with op.batch_alter_table('search_words', schema=None) as batch_op:
        batch_op.create_index('ix_search_words_trigram', ['word'], unique=False, postgresql_using='gist', postgresql_ops={'word': 'gist_trgm_ops'})


def downgrade():
    # The pg_trgm extension stays: other schemas in the database may use it.
    with op.batch_alter_table('search_words', schema=None) as batch_op:
        batch_op.drop_index('ix_search_words_trigram', postgresql_using='gist', postgresql_ops={'word': 'gist_trgm_ops'})

    op.drop_table('search_words')
    with op.batch_alter_table('search_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_search_documents_vector', postgresql_using='gin')
        batch_op.drop_index('ix_search_documents_scope_published')

    op.drop_table('search_documents')
