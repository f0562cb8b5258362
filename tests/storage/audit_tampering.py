"""What someone holding the database file (but not the site key) does to the audit log."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path


def rewrite_and_rechain(db: Path, seq: int, details: str) -> None:
    """What an attacker with the database does: edit one entry, recompute every later hash with
    plain sha256 so that the chain verifies again."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT seq, at, actor, action, subject, details FROM audit_log ORDER BY seq"
        ).fetchall()
        prev = "0" * 64
        for s, at, actor, action, subject, old in rows:
            body = json.dumps(
                {"seq": s, "at": at, "actor": actor, "action": action, "subject": subject,
                 "details": details if s == seq else old},
                sort_keys=True, separators=(",", ":"), ensure_ascii=False,
            )
            digest = hashlib.sha256((prev + "\n" + body).encode()).hexdigest()
            conn.execute(
                "UPDATE audit_log SET details = ?, prev_hash = ?, hash = ? WHERE seq = ?",
                (details if s == seq else old, prev, digest, s),
            )
            prev = digest


def cut_log(db: Path, keep: int) -> None:
    """Delete every entry after `keep`, and their seals, as someone with the database would."""
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM audit_log WHERE seq > ?", (keep,))
        conn.execute("DELETE FROM audit_seals WHERE seq > ?", (keep,))
