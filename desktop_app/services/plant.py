"""A plant on several PCs: one site, one PostgreSQL database, the site key held once.

- `create` (`partdesk plant init`, the first PC): the database migrated, the plant's site, its
  key wrapped for this PC, its first administrator, and this PC's folder pointed at the URL.
- `invite` (`partdesk plant invite`, an administrator on an enrolled PC): a one-time join code,
  valid for a few days, under which the site key is wrapped once more in the database.
- `join` (`partdesk plant join`, each further PC): the code opens that copy, the PC wraps the key
  for itself with a key of its own (kept in its folder), the invitation is spent, all in one
  transaction; the PC's folder is pointed at the URL and takes the audit head as its anchor.
- `remove` (an administrator): a PC's copy is erased; that PC signs nothing any more.

The code itself is never stored: the database holds its SHA-256 (to find the invitation) and a
copy of the key that only the code opens (Argon2id, AES-GCM). An administrator who runs `invite`
approves the PC that will use the code; the audit log names both.
"""

from __future__ import annotations

import contextlib
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, update

from desktop_app.domain.errors import NotFound, ValidationError
from desktop_app.domain.key_wrap import (
    WrongKey,
    code_kek,
    code_lookup,
    format_join_code,
    new_join_code,
    new_kek,
    new_salt,
    normalise_join_code,
    unwrap_key,
    wrap_key,
)
from desktop_app.domain.keys import fingerprint, public_key_hex
from desktop_app.domain.people import Actor, Permission, SiteKind
from desktop_app.domain.revisions import format_timestamp, uuid7
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.context import ServiceContext
from desktop_app.services.dto import PersonSummary, SiteInfo
from desktop_app.services.site import SiteService
from desktop_app.storage.audit import AnchorFile, SealedHead, seal_is_valid
from desktop_app.storage.models.core import AuditSeal, Site
from desktop_app.storage.models.plant import PlantInvite, PlantPc, PlantSiteKey
from desktop_app.storage.plant import (
    PcIdentity,
    enrol_pc,
    pc_name,
    read_pc_identity,
    write_plant_config,
    write_private_json,
)

DEFAULT_VALID_HOURS = 72
MAX_VALID_HOURS = 24 * 14

_NEEDS_SERVER = QT_TRANSLATE_NOOP(
    "Errors",
    "A plant shares one PostgreSQL database: give its address with --database-url "
    "postgresql+psycopg://USER:PASSWORD@SERVER/DATABASE.",
)
_FOLDER_HAS_SITE = QT_TRANSLATE_NOOP(
    "Errors",
    "The data folder {folder} already holds a site of its own; give this PC's plant folder "
    "with --data-dir (a new, empty folder).",
)
_ALREADY_A_PLANT = QT_TRANSLATE_NOOP(
    "Errors",
    "The database {where} already holds the plant {code}; on this PC run 'partdesk plant join "
    "--database-url URL --code CODE' with a join code from an administrator.",
)
_NO_PLANT = QT_TRANSLATE_NOOP(
    "Errors",
    "The database {where} holds no plant yet; set it up on the first PC with 'partdesk plant "
    "init --database-url URL'.",
)
_NOT_A_CODE = QT_TRANSLATE_NOOP(
    "Errors",
    "This is not a join code: it has 25 letters and digits in five groups, as 'partdesk plant "
    "invite' printed it.",
)
_UNKNOWN_CODE = QT_TRANSLATE_NOOP(
    "Errors",
    "This join code does not open the plant's key in {where}: check it, or ask an "
    "administrator for a new one ('partdesk plant invite').",
)
_USED_CODE = QT_TRANSLATE_NOOP(
    "Errors",
    "This join code was already used on {date}; ask an administrator for a new one "
    "('partdesk plant invite').",
)
_EXPIRED_CODE = QT_TRANSLATE_NOOP(
    "Errors",
    "This join code expired on {date}; ask an administrator for a new one ('partdesk plant "
    "invite').",
)
_ALREADY_ENROLLED = QT_TRANSLATE_NOOP(
    "Errors", "This PC is already enrolled in the plant {code} (PC {pc})."
)
_VALIDITY = QT_TRANSLATE_NOOP(
    "Errors", "A join code is valid for 1 to {most} hours."
)


@dataclass(frozen=True, slots=True)
class JoinCode:
    code: str
    expires_at: str
    site_code: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class PlantPcInfo:
    pc_id: str
    name: str
    enrolled_at: str
    enrolled_by: str
    removed_at: str
    this_pc: bool

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class PlantInfo:
    site_code: str
    site_name: str
    database: str
    fingerprint: str
    pc_id: str  # this PC's, empty when it is not enrolled
    pcs: tuple[PlantPcInfo, ...]

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "pcs": [pc.to_json() for pc in self.pcs]}


def short_pc_id(pc_id: str) -> str:
    """How a PC is named in lists and commands: the random end of its id (its start is a time,
    alike for PCs enrolled the same hour)."""
    return pc_id[-8:]


def _later(moment: str, hours: int) -> str:
    return format_timestamp(datetime.fromisoformat(moment) + timedelta(hours=hours))


class PlantService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    # -- the first PC ----------------------------------------------------------------------

    def create(self, site_code: str, site_name: str, kind: SiteKind, admin_username: str,
               admin_display_name: str, admin_password: str) -> tuple[SiteInfo, PersonSummary]:
        """Set up the plant in the (migrated) database this context opened, and point this
        PC's folder at it."""
        self._require_plant_folder()
        if self._ctx.initialised:
            raise ValidationError(_ALREADY_A_PLANT, where=self._ctx.db.where,
                                  code=SiteService(self._ctx).local_site().code)
        site, admin = SiteService(self._ctx).initialise(
            site_code, site_name, kind, admin_username, admin_display_name, admin_password)
        write_plant_config(self._ctx.folder, self._ctx.db.url, site.code)
        return site, admin

    # -- approving and joining a further PC ------------------------------------------------

    def invite(self, actor: Actor, valid_hours: int = DEFAULT_VALID_HOURS) -> JoinCode:
        """A one-time join code for one more PC (the administrator's approval)."""
        actor.require(Permission.MANAGE_SITES)
        if not 1 <= valid_hours <= MAX_VALID_HOURS:
            raise ValidationError(_VALIDITY, field="valid_hours", most=MAX_VALID_HOURS)
        self._require_server()
        key = self._ctx.signing_key()  # only an enrolled PC holds the key to hand on
        code = normalise_join_code(new_join_code())
        salt = new_salt()
        invite_id = uuid7()
        wrapped = wrap_key(code_kek(code, salt), key, self._ctx.site_id, invite_id)
        now = self._ctx.clock()
        expires = _later(now, valid_hours)
        with self._ctx.unit_of_work() as uow:
            self._erase_expired(uow.session, now)
            uow.session.add(PlantInvite(
                invite_id=invite_id, lookup=code_lookup(code), site_id=self._ctx.site_id,
                salt=salt, wrapped_key=wrapped, created_by=actor.username, created_at=now,
                expires_at=expires, used_at="", used_by_pc=""))
            uow.audit.record(actor.username, "plant.invited", f"invite:{invite_id}",
                             {"expires_at": expires})
            site = uow.session.get(Site, self._ctx.site_id)
            site_code = site.code if site is not None else ""
        return JoinCode(code=format_join_code(code), expires_at=expires, site_code=site_code)

    def join(self, typed_code: str) -> SiteInfo:
        """Enrol this PC with a join code: its own copy of the site key, in one transaction."""
        self._require_plant_folder()
        code = normalise_join_code(typed_code)
        if not code:
            raise ValidationError(_NOT_A_CODE, field="code")
        ctx = self._ctx
        if not ctx.initialised:
            raise ValidationError(_NO_PLANT, where=ctx.db.where)
        held = read_pc_identity(ctx.folder.plant_pc_key)
        if held is not None and self._opens(held):
            raise ValidationError(_ALREADY_ENROLLED, code=SiteService(ctx).local_site().code,
                                  pc=short_pc_id(held.pc_id))
        invite, key = self._open_invitation(code)
        identity = PcIdentity(uuid7(), invite.site_id, new_kek())
        anchor = AnchorFile(ctx.folder.audit_anchor)
        # As at the first set-up: this PC's key file first, removed again when the transaction
        # fails, so a refused join leaves nothing that looks like an enrolment.
        write_private_json(ctx.folder.plant_pc_key, identity.to_json())
        ctx.forget_site()
        ctx._key = key
        try:
            with ctx.unit_of_work() as uow:
                spent = uow.session.get(PlantInvite, invite.invite_id)
                if spent is None or spent.used_at:  # another PC used it a moment ago
                    raise ValidationError(_USED_CODE, field="code", date=ctx.clock()[:10])
                now = ctx.clock()
                spent.used_at, spent.used_by_pc, spent.wrapped_key = now, identity.pc_id, b""
                name = pc_name()
                enrol_pc(uow.session, key, identity, name, invite.created_by, now)
                self._take_anchor(uow.session, key, anchor)
                uow.audit.record(invite.created_by, "plant.pc_joined", f"pc:{identity.pc_id}",
                                 {"name": name, "invite": invite.invite_id})
        except BaseException:
            ctx.forget_site()
            with contextlib.suppress(OSError):
                ctx.folder.plant_pc_key.unlink()
            raise
        site = SiteService(ctx).local_site()
        write_plant_config(ctx.folder, ctx.db.url, site.code)
        return site

    def remove(self, actor: Actor, pc_id: str) -> PlantPcInfo:
        """Erase a PC's copy of the site key (a PC retired, lost or stolen)."""
        actor.require(Permission.MANAGE_SITES)
        self._require_server()
        with self._ctx.unit_of_work() as uow:
            wanted = pc_id.strip().lower()
            rows = uow.session.execute(select(PlantPc).where(
                PlantPc.pc_id.endswith(wanted), PlantPc.removed_at == "")).scalars().all()
            if len(rows) != 1 or len(wanted) < 8:
                raise NotFound(what="PC", key=pc_id.strip()[:36])
            row = rows[0]
            row.removed_at, row.removed_by, row.wrapped_key = (self._ctx.clock(),
                                                               actor.username, b"")
            uow.audit.record(actor.username, "plant.pc_removed", f"pc:{row.pc_id}",
                             {"name": row.name})
            return self._pc_info(row, self._this_pc_id())

    # -- what the plant looks like ---------------------------------------------------------

    def status(self) -> PlantInfo:
        self._require_server()
        this = self._this_pc_id()
        with self._ctx.db.reading() as conn:
            plant = conn.execute(select(PlantSiteKey.site_id, PlantSiteKey.public_key)).first()
            if plant is None:
                raise ValidationError(_NO_PLANT, where=self._ctx.db.where)
            site = conn.execute(select(Site.code, Site.name).where(
                Site.id == plant.site_id)).first()
            pcs = conn.execute(select(PlantPc).order_by(PlantPc.enrolled_at)).all()
        infos = tuple(PlantPcInfo(pc_id=r.pc_id, name=r.name, enrolled_at=r.enrolled_at,
                                  enrolled_by=r.enrolled_by, removed_at=r.removed_at,
                                  this_pc=r.pc_id == this) for r in pcs)
        return PlantInfo(site_code=site.code if site else "", site_name=site.name if site else "",
                         database=self._ctx.db.where, fingerprint=fingerprint(plant.public_key),
                         pc_id=this if any(p.this_pc and not p.removed_at for p in infos) else "",
                         pcs=infos)

    # -- helpers ---------------------------------------------------------------------------

    @staticmethod
    def require_database_url() -> None:
        """The sentence for a plant command given no database address."""
        raise ValidationError(_NEEDS_SERVER, field="database_url")

    def _require_server(self) -> None:
        if self._ctx.db.is_sqlite:
            self.require_database_url()

    def _require_plant_folder(self) -> None:
        self._require_server()
        if self._ctx.folder.database.exists() or self._ctx.folder.signing_key.exists():
            raise ValidationError(_FOLDER_HAS_SITE, folder=str(self._ctx.folder.root))

    def _this_pc_id(self) -> str:
        identity = read_pc_identity(self._ctx.folder.plant_pc_key)
        return identity.pc_id if identity is not None else ""

    def _opens(self, identity: PcIdentity) -> bool:
        """Does this PC's key file still open its copy of the site key?"""
        from desktop_app.domain.errors import PartDeskError

        self._ctx.forget_site()
        try:
            return self._ctx.signer() is not None
        except PartDeskError:
            return False
        finally:
            self._ctx.forget_site()

    def _open_invitation(self, code: str) -> tuple[Any, Ed25519PrivateKey]:
        """The invitation (a row of `plant_invites`) and the site key its code opens."""
        now = self._ctx.clock()
        with self._ctx.db.reading() as conn:
            invite = conn.execute(select(PlantInvite).where(
                PlantInvite.lookup == code_lookup(code))).first()
            public = conn.execute(select(PlantSiteKey.public_key).where(
                PlantSiteKey.site_id == self._ctx.site_id)).scalar()
        if invite is None or public is None:
            raise ValidationError(_UNKNOWN_CODE, field="code", where=self._ctx.db.where)
        row = invite
        if row.used_at:
            raise ValidationError(_USED_CODE, field="code", date=row.used_at[:10])
        if row.expires_at <= now or not row.wrapped_key:
            raise ValidationError(_EXPIRED_CODE, field="code", date=row.expires_at[:10])
        try:
            key = unwrap_key(code_kek(code, bytes(row.salt)), bytes(row.wrapped_key),
                             row.site_id, row.invite_id)
            if public_key_hex(key) != public or row.site_id != self._ctx.site_id:
                raise WrongKey("another key")
        except WrongKey as exc:
            raise ValidationError(_UNKNOWN_CODE, field="code",
                                  where=self._ctx.db.where) from exc
        return row, key

    @staticmethod
    def _erase_expired(session: Any, now: str) -> None:
        session.execute(update(PlantInvite).where(
            PlantInvite.used_at == "", PlantInvite.expires_at <= now,
            PlantInvite.wrapped_key != b"").values(wrapped_key=b""))

    @staticmethod
    def _take_anchor(session: Any, key: Ed25519PrivateKey, anchor: AnchorFile) -> None:
        """This PC's anchor starts at the plant's latest sealed head (when it verifies with the
        plant's key), so the audit log's growth is witnessed from this PC on."""
        seal = session.execute(select(AuditSeal).order_by(AuditSeal.seq.desc()).limit(1)
                               ).scalars().first()
        if seal is not None and seal_is_valid(key.public_key(), seal.seq, seal.hash,
                                              seal.signature):
            anchor.write(SealedHead(seq=seal.seq, hash=seal.hash, signature=seal.signature))

    @staticmethod
    def _pc_info(row: PlantPc, this: str) -> PlantPcInfo:
        return PlantPcInfo(pc_id=row.pc_id, name=row.name, enrolled_at=row.enrolled_at,
                           enrolled_by=row.enrolled_by, removed_at=row.removed_at,
                           this_pc=row.pc_id == this)
