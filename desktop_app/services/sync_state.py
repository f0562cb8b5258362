"""What this site knows of the others: sequences, what each has seen, what it holds from each."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop_app.domain.keys import fingerprint
from desktop_app.domain.revisions import canonical_json
from desktop_app.services.sync_dto import SiteStatus
from desktop_app.services.sync_trust import peer_scope
from desktop_app.storage.models.core import RevisionRow, Site
from desktop_app.storage.models.sync import PackageLog, PeerKey, PeerState


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


class PeerBook:
    """Reads and updates the sync tables inside the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _state(self, site_id: str) -> PeerState:
        state = self._session.get(PeerState, site_id)
        if state is None:
            state = PeerState(site_id=site_id, sent_up_to=0, acked_up_to=0, received_up_to=0,
                              last_received_sequence=0, seen="{}")
            self._session.add(state)
        return state

    def next_sequence(self, own_site_id: str) -> int:
        last = self._session.execute(select(func.max(PackageLog.sequence)).where(
            PackageLog.site_id == own_site_id, PackageLog.direction == "sent")).scalar()
        return (last or 0) + 1

    def export_from(self, site_id: str) -> int:
        """Local revision seq after which the peer has not seen (or been sent) anything."""
        state = self._session.get(PeerState, site_id)
        return max(state.sent_up_to, state.acked_up_to) if state else 0

    def seen_vector(self) -> dict[str, dict[str, int]]:
        """For the manifest: per site, the last package sequence received and the sender's
        local revision seq up to which this site holds everything it sent."""
        rows = self._session.execute(select(PeerState).where(
            PeerState.last_received_sequence > 0)).scalars()
        return {r.site_id: {"sequence": r.last_received_sequence, "up_to": r.received_up_to}
                for r in rows}

    def last_received(self, site_id: str) -> int:
        state = self._session.get(PeerState, site_id)
        return state.last_received_sequence if state else 0

    def sent(self, site_id: str, up_to: int) -> None:
        state = self._state(site_id)
        state.sent_up_to = max(state.sent_up_to, up_to)

    def received(self, site_id: str, sequence: int, since: int, up_to: int, seen: Any,
                 own_site_id: str) -> None:
        state = self._state(site_id)
        if since <= state.received_up_to:  # no gap: everything up to `up_to` is here now
            state.received_up_to = max(state.received_up_to, up_to)
        if sequence >= state.last_received_sequence:
            state.last_received_sequence = sequence
            state.seen = canonical_json(seen if isinstance(seen, dict) else {})
        mine = seen.get(own_site_id) if isinstance(seen, dict) else None
        if isinstance(mine, dict):
            state.acked_up_to = max(state.acked_up_to, _count(mine.get("up_to")))

    def status(self, own_site_id: str) -> list[SiteStatus]:
        s = self._session
        keys: dict[str, PeerKey] = {}
        for row in s.execute(select(PeerKey).order_by(PeerKey.id)).scalars():
            if not row.retired_at or row.site_id not in keys or keys[row.site_id].retired_at:
                keys[row.site_id] = row
        logged = set(s.execute(select(PackageLog.site_id).distinct()).scalars())
        logged |= set(s.execute(select(PackageLog.peer_site_id).distinct()).scalars())
        site_ids = (set(keys) | logged) - {own_site_id, ""}
        local_max = s.execute(select(func.coalesce(func.max(RevisionRow.seq), 0))).scalar_one()
        result = []
        for site_id in site_ids:
            key: PeerKey | None = keys.get(site_id)
            site = s.get(Site, site_id)
            state = s.get(PeerState, site_id)
            sent = s.execute(select(PackageLog).where(
                PackageLog.direction == "sent", PackageLog.peer_site_id == site_id)
                .order_by(PackageLog.sequence.desc()).limit(1)).scalar()
            got = s.execute(select(PackageLog).where(
                PackageLog.direction == "received", PackageLog.site_id == site_id)
                .order_by(PackageLog.sequence.desc()).limit(1)).scalar()
            since = max(state.sent_up_to, state.acked_up_to) if state else 0
            pending = 0
            if since < local_max:
                pending = s.execute(select(func.count()).select_from(RevisionRow).where(
                    RevisionRow.seq > since, RevisionRow.site_id != site_id)).scalar_one()
            result.append(SiteStatus(
                site_id=site_id,
                code=(key.code if key else site.code if site else site_id[:8]),
                name=(key.name if key else site.name if site else ""),
                kind=(key.kind if key else site.kind if site else ""),
                fingerprint=key.fingerprint if key and not key.retired_at else
                (fingerprint(site.public_key) if site and site.public_key and not key else ""),
                enrolled=key is not None, retired=bool(key and key.retired_at),
                last_sent_sequence=sent.sequence if sent else 0,
                last_sent_at=sent.logged_at if sent else "",
                last_received_sequence=got.sequence if got else 0,
                last_received_at=got.logged_at if got else "",
                last_received_created_at=got.created_at if got else "",
                sent_up_to=state.sent_up_to if state else 0,
                acked_up_to=state.acked_up_to if state else 0,
                pending_revisions=pending,
                scope=tuple(sorted(peer_scope(s, site_id))) if key else ()))
        return sorted(result, key=lambda r: (r.code, r.site_id))

    def peer_seen(self, site_id: str) -> dict[str, Any]:
        state = self._session.get(PeerState, site_id)
        return json.loads(state.seen) if state else {}
