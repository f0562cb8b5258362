"""Site keys: write this site's public key file, enrol another site's after checking its
fingerprint out of band, retire a key. Enrolment and retirement are written to the audit log."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop_app.domain.errors import NotFound, StorageError, ValidationError
from desktop_app.domain.keys import (
    fingerprint,
    load_public_key,
    normalise_fingerprint,
    public_key_hex,
)
from desktop_app.domain.people import Actor, Permission, SiteKind, check_site_code
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.domain.trust import default_scope
from desktop_app.services.context import ServiceContext
from desktop_app.services.site import SiteService
from desktop_app.services.sync_dto import PeerKeyInfo, SiteKeyFile, SiteScope
from desktop_app.services.sync_trust import all_record_types, peer_scope
from desktop_app.storage.models.sync import PeerKey
from desktop_app.storage.models.trust import PeerScope
from desktop_app.sync import strict_json
from desktop_app.sync.package import EnrolledKey

KEY_FORMAT = "partdesk-site-key"
MAX_KEY_FILE = 64 * 1024


def _info(row: PeerKey) -> PeerKeyInfo:
    return PeerKeyInfo(site_id=row.site_id, code=row.code, name=row.name, kind=row.kind,
                       fingerprint=row.fingerprint, enrolled_by=row.enrolled_by,
                       enrolled_at=row.enrolled_at, retired_at=row.retired_at)


def _check_types(types: Iterable[str]) -> None:
    unknown = sorted(set(types) - set(all_record_types()))
    if unknown:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "{kinds}: no such kind of record a site may be allowed to write."),
            field="scope", kinds=", ".join(unknown)[:200])


def _bad_key_file(name: str, detail: str) -> ValidationError:
    return ValidationError(QT_TRANSLATE_NOOP(
        "Errors", "{name} is not a PartDesk site key file ({detail})."), name=name, detail=detail)


class SiteKeyService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx
        self._cache: dict[tuple[str, str], EnrolledKey | None] = {}

    def write_key_file(self, out_path: Path) -> SiteKeyFile:
        """This site's public key (never the private one) with its identity."""
        site = SiteService(self._ctx).local_site()
        public = public_key_hex(self._ctx.signing_key())
        data = {"format": KEY_FORMAT, "version": 1, "site_id": site.site_id, "code": site.code,
                "name": site.name, "kind": str(site.kind), "public_key": public,
                "fingerprint": fingerprint(public)}
        out_path = Path(out_path)
        tmp = out_path.with_name(f".{out_path.name}.partial")
        try:
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                           encoding="utf-8")
            os.replace(tmp, out_path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise StorageError(QT_TRANSLATE_NOOP(
                "Errors", "The key file {path} cannot be written ({detail})."),
                path=str(out_path), detail=exc.strerror or type(exc).__name__) from exc
        return SiteKeyFile(path=out_path, code=site.code, fingerprint=fingerprint(public))

    def read_key_file(self, path: Path) -> dict[str, str]:
        path = Path(path)
        try:
            with open(path, "rb") as fh:
                raw = fh.read(MAX_KEY_FILE + 1)
        except OSError as exc:
            raise StorageError(QT_TRANSLATE_NOOP(
                "Errors", "The file {name} cannot be read ({detail})."),
                name=path.name, detail=exc.strerror or type(exc).__name__) from exc
        if len(raw) > MAX_KEY_FILE:
            raise _bad_key_file(path.name, "too large")
        try:
            data = strict_json.loads(raw.strip(), max_depth=4)
        except strict_json.StrictJsonError as exc:
            raise _bad_key_file(path.name, str(exc)) from exc
        if not isinstance(data, dict) or data.get("format") != KEY_FORMAT:
            raise _bad_key_file(path.name, "wrong format")
        fields = {}
        for key in ("site_id", "code", "name", "kind", "public_key"):
            value = data.get(key)
            if not isinstance(value, str) or not value.strip() or len(value) > 200:
                raise _bad_key_file(path.name, key)
            fields[key] = value.strip()
        load_public_key(fields["public_key"])
        fields["code"] = check_site_code(fields["code"])
        if fields["kind"] not in {k.value for k in SiteKind}:
            raise _bad_key_file(path.name, "kind")
        return fields

    def enrol(self, actor: Actor, path: Path, confirmed_fingerprint: str,
              scope_types: Iterable[str] | None = None) -> PeerKeyInfo:
        """Enrol the key in `path` if its fingerprint is the one read out by the other site.
        `scope_types`: the record types the site may author here (default: its kind's)."""
        actor.require(Permission.MANAGE_SITES)
        fields = self.read_key_file(path)
        actual = fingerprint(fields["public_key"])
        if normalise_fingerprint(confirmed_fingerprint) != actual:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "The fingerprint you typed does not match the key in {name}; do not "
                          "enrol it and check with the other site."),
                field="fingerprint", name=Path(path).name)
        if fields["site_id"] == self._ctx.site_id:
            raise ValidationError(QT_TRANSLATE_NOOP(
                "Errors", "{name} is this site's own key."), name=Path(path).name)
        with self._ctx.unit_of_work() as uow:
            existing = uow.session.execute(select(PeerKey).where(
                PeerKey.site_id == fields["site_id"],
                PeerKey.public_key == fields["public_key"])).scalar_one_or_none()
            if existing is not None:
                raise ValidationError(QT_TRANSLATE_NOOP(
                    "Errors", "This key of site {code} is already enrolled (retired: {retired})."),
                    code=existing.code, retired=existing.retired_at or "no")
            now = self._ctx.clock()
            # A new key replaces the site's key in use: the old one is retired.
            for old in uow.session.execute(select(PeerKey).where(
                    PeerKey.site_id == fields["site_id"], PeerKey.retired_at == "")).scalars():
                old.retired_at, old.retired_by = now, actor.username
            row = PeerKey(site_id=fields["site_id"], code=fields["code"], name=fields["name"],
                          kind=fields["kind"], public_key=fields["public_key"],
                          fingerprint=actual, enrolled_by=actor.username, enrolled_at=now,
                          retired_by="", retired_at="")
            uow.session.add(row)
            scope = uow.session.get(PeerScope, fields["site_id"])
            if scope is None:  # a new key of a known site keeps what the administrator chose
                types = sorted(scope_types if scope_types is not None
                               else default_scope(fields["kind"]))
                _check_types(types)
                uow.session.add(PeerScope(site_id=fields["site_id"],
                                          record_types=json.dumps(types), changed_by=actor.username,
                                          changed_at=now))
            else:
                types = sorted(json.loads(scope.record_types))
            uow.audit.record(actor.username, "site.enrolled", f"site:{fields['site_id']}",
                             {"code": fields["code"], "fingerprint": actual, "scope": types})
            uow.session.flush()
            return _info(row)

    def scope(self, code: str) -> SiteScope:
        """What an enrolled site may author here."""
        with self._ctx.unit_of_work() as uow:
            row = self._key_row(uow.session, code)
            return SiteScope(site_id=row.site_id, code=row.code, kind=row.kind,
                             record_types=tuple(sorted(peer_scope(uow.session, row.site_id))),
                             defaults=tuple(sorted(default_scope(row.kind))))

    def set_scope(self, actor: Actor, code: str, record_types: Iterable[str]) -> SiteScope:
        actor.require(Permission.MANAGE_SITES)
        types = sorted(set(record_types))
        _check_types(types)
        with self._ctx.unit_of_work() as uow:
            row = self._key_row(uow.session, code)
            scope = uow.session.get(PeerScope, row.site_id)
            if scope is None:
                scope = PeerScope(site_id=row.site_id)
                uow.session.add(scope)
            scope.record_types = json.dumps(types)
            scope.changed_by, scope.changed_at = actor.username, self._ctx.clock()
            uow.audit.record(actor.username, "site.scope", f"site:{row.site_id}",
                             {"code": row.code, "scope": types})
        return self.scope(code)

    @staticmethod
    def _key_row(session: Session, code: str) -> PeerKey:
        wanted = code.strip().upper()
        row = session.execute(select(PeerKey).where(PeerKey.code == wanted)
                              .order_by(PeerKey.id.desc())).scalars().first()
        if row is None:
            raise NotFound(what="Enrolled site", key=wanted)
        return row

    def retire(self, actor: Actor, code: str) -> PeerKeyInfo:
        """New packages signed by the site's key are refused from now on; old ones stay
        verifiable for display."""
        actor.require(Permission.MANAGE_SITES)
        wanted = code.strip().upper()
        with self._ctx.unit_of_work() as uow:
            rows = uow.session.execute(select(PeerKey).where(
                PeerKey.code == wanted, PeerKey.retired_at == "")).scalars().all()
            if not rows:
                raise NotFound(what="Enrolled site", key=wanted)
            now = self._ctx.clock()
            for row in rows:
                row.retired_at, row.retired_by = now, actor.username
                uow.audit.record(actor.username, "site.retired", f"site:{row.site_id}",
                                 {"code": row.code, "fingerprint": row.fingerprint})
            return _info(rows[-1])

    def keys(self) -> list[PeerKeyInfo]:
        with self._ctx.unit_of_work() as uow:
            return [_info(r) for r in uow.session.execute(
                select(PeerKey).order_by(PeerKey.code, PeerKey.id)).scalars()]

    def lookup(self, site_id: str, public_key: str) -> EnrolledKey | None:
        """The one key registry: this site's own key, and the keys an administrator enrolled
        after confirming their fingerprints. A key that arrived in a package is never here."""
        cache_key = (site_id, public_key)
        if cache_key not in self._cache:
            self._cache[cache_key] = self._lookup(site_id, public_key)
        return self._cache[cache_key]

    def _lookup(self, site_id: str, public_key: str) -> EnrolledKey | None:
        if site_id == self._ctx.site_id:
            own = public_key_hex(self._ctx.signing_key())
            if public_key == own:
                return EnrolledKey(site_code=SiteService(self._ctx).local_site().code,
                                   retired=False)
            return None
        with self._ctx.db.engine.connect() as conn:
            row = conn.execute(select(PeerKey.code, PeerKey.retired_at).where(
                PeerKey.site_id == site_id, PeerKey.public_key == public_key)).first()
        if row is None:
            return None
        return EnrolledKey(site_code=row[0], retired=bool(row[1]), retired_at=row[1] or "")
