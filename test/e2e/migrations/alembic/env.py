"""Alembic environment of the lint e2e test: offline mode only (SQL printed, nothing run)."""
from alembic import context

config = context.config

if not context.is_offline_mode():
    raise SystemExit("this environment only prints SQL: use --sql")

context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=None,
                  literal_binds=True, dialect_opts={"paramstyle": "named"})
with context.begin_transaction():
    context.run_migrations()
