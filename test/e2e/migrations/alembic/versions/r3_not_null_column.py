"""add a NOT NULL column with a default"""
from alembic import op
import sqlalchemy as sa

revision = "r3"
down_revision = "r2"


def upgrade():
    op.add_column("orders", sa.Column("status", sa.String(20), nullable=False,
                                      server_default="new"))
