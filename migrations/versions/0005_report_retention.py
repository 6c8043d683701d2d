"""report retention: the association's setting for purging old reports

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 20:06:36.512142

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    # Null (keep every report) for existing deployments: nothing is purged until an
    # administrator chooses a retention.
    with op.batch_alter_table('association', schema=None) as batch_op:
        batch_op.add_column(sa.Column('report_retention_months', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            'retention_positive',
            'report_retention_months IS NULL OR report_retention_months > 0',
        )


def downgrade():
    with op.batch_alter_table('association', schema=None) as batch_op:
        batch_op.drop_constraint('retention_positive', type_='check')
        batch_op.drop_column('report_retention_months')
