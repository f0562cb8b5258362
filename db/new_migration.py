"""Developer tool: write a migration by comparing the models with a database at heads.

    .venv/bin/python db/new_migration.py 0002_parts "parts registry" \
        --branch-from 0001_foundation --tables parts,suppliers,vehicle_models

Each area keeps its own branch from 0001_foundation: the first migration of an area names
`--branch-from 0001_foundation`; later ones name the previous revision of that area.

Review the generated file: autogenerate misses renames, server defaults and data moves.
"""

import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config

from desktop_app.paths import migrations_dir
from desktop_app.storage.database import open_database, sqlite_url


def main(rev_id: str, message: str, parent: str, tables: set[str]) -> None:
    db = open_database(sqlite_url(Path(tempfile.mkdtemp()) / "head.sqlite3"))
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", db.url)
    config.set_main_option("file_template", "%%(rev)s")
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "heads")
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        config.attributes["only_tables"] = tables
        command.revision(
            config, message=message, autogenerate=True, rev_id=rev_id, head=parent, splice=True
        )


if __name__ == "__main__":
    if len(sys.argv) != 7 or sys.argv[3] != "--branch-from" or sys.argv[5] != "--tables":
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], sys.argv[4], set(sys.argv[6].split(",")))
