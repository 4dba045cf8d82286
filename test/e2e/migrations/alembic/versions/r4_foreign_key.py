"""foreign key orders.user_id -> users.id"""
from alembic import op

revision = "r4"
down_revision = "r3"


def upgrade():
    op.create_foreign_key("orders_user_id_fkey", "orders", "users", ["user_id"], ["id"])
