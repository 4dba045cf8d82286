"""index orders.user_id"""
from alembic import op

revision = "r2"
down_revision = "r1"


def upgrade():
    op.create_index("ix_orders_user_id", "orders", ["user_id"])
