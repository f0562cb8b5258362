"""Sync packages: write, read and verify (DESIGN.md, "Sync through export files").

This package depends on the domain only: it knows nothing of the database. The services give it
the revisions and blobs to write, and a way to look up enrolled keys when reading.
"""
