"""Alembic environment: the connection comes from PartDesk (config.attributes) or the URL."""

from alembic import context
from sqlalchemy import create_engine

from desktop_app.storage.models import Base
from desktop_app.storage.models.parts import SERVER_ONLY_INDEXES

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)


def _include_object(obj, name, type_, reflected, compare_to) -> bool:
    """With several areas changing models at once, a new migration takes only its own tables;
    indexes that exist on a server only (e.g. PostgreSQL's trigram index) are never compared."""
    if type_ == "index" and name in SERVER_ONLY_INDEXES:
        return False
    only = config.attributes.get("only_tables")
    if not only:
        return True
    table = obj if type_ == "table" else getattr(obj, "table", None)
    table_name = getattr(table, "name", name)
    return table_name in only


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
