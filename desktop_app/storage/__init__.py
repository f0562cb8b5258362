"""SQLAlchemy 2.0 models, the revision store, the audit log, the blob store and migrations.

SQLite-only features (pragmas, FTS5, the backup API) stay inside this package behind small
functions, so the same code can point at PostgreSQL.
"""
