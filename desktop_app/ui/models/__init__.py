"""Qt item models shared by pages (paged tables)."""
