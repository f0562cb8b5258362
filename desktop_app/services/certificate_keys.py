"""The key registry that certificates are checked against (DESIGN.md, "One key registry").

Two sources only: this site's own key (on a PC of a plant that cannot open the plant's key,
the public half kept with it in the database), and the peer keys an administrator enrolled after
confirming their fingerprints (`sync_peer_keys`). The public key in a `site` record, which
arrives in packages, is never read here.
"""

from __future__ import annotations

from sqlalchemy import select

from desktop_app.domain.certificate_trust import SiteKey
from desktop_app.domain.errors import PartDeskError
from desktop_app.domain.keys import fingerprint, public_key_hex
from desktop_app.services.context import ServiceContext, UnitOfWork
from desktop_app.storage.models.core import Site
from desktop_app.storage.models.sync import PeerKey
from desktop_app.storage.plant import plant_public_key


def local_code(ctx: ServiceContext, uow: UnitOfWork) -> str:
    site = uow.session.get(Site, ctx.site_id)
    return site.code if site is not None else ""


def own_key(ctx: ServiceContext, code: str) -> SiteKey:
    try:
        public = public_key_hex(ctx.signing_key())
    except PartDeskError:
        # A PC of a plant that cannot open the plant's key (not enrolled): the public half
        # kept with the plant's wrapped key in the database.
        public = plant_public_key(ctx.db) or ""
        if not public:
            raise
    return SiteKey(ctx.site_id, code, public, fingerprint(public))


def site_keys(ctx: ServiceContext, uow: UnitOfWork, code: str) -> list[SiteKey]:
    """Every key that may vouch for certificates numbered with site `code`: this site's own key
    for its own code (a peer claiming the same code is ignored), otherwise the keys enrolled for
    that code, retired ones included (they vouch for what they signed before retirement)."""
    code = code.strip().upper()
    if not code:
        return []
    if code == local_code(ctx, uow):
        return [own_key(ctx, code)]
    rows = uow.session.execute(select(PeerKey).where(
        PeerKey.code == code, PeerKey.site_id != ctx.site_id).order_by(PeerKey.id)).scalars()
    return [SiteKey(r.site_id, r.code, r.public_key, r.fingerprint, r.retired_at or "")
            for r in rows]
