"""create users and orders"""
from alembic import op
import sqlalchemy as sa

revision = "r1"
down_revision = None


def upgrade():
    op.create_table("users",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("email", sa.String(200), nullable=False))
    op.create_table("orders",
                    sa.Column("id", sa.Integer, primary_key=True),
                    sa.Column("user_id", sa.Integer),
                    sa.Column("total", sa.Numeric(10, 2)))
