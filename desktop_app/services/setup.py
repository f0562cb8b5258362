"""What a new site still has to set up, in the order it is done: the first-run checklist.

After `partdesk init` the only account is an administrator, who may not register parts. The
checklist says what comes next, step by step:

1. people: someone who registers parts (an engineer) besides the administrator;
2. reference data: at least one supplier and one vehicle model;
3. parts: the first part registered;
4. site key: this site's public key saved for the other sites (they check its fingerprint);
5. other sites: at least one other site's key enrolled, so packages can be exchanged.

Each step is read from the data (never ticked by hand) except the site key, which leaves no
record of its own: saving it from the window records the day here (`record_key_shared`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import func, select

from desktop_app.domain.people import Actor, Permission, Role
from desktop_app.services.context import ServiceContext
from desktop_app.storage.models.core import KeyValue, Person
from desktop_app.storage.models.parts import Part, Supplier, VehicleModel
from desktop_app.storage.models.sync import PeerKey

KEY_SHARED = "setup/site_key_shared_at"


class SetupStepKind(StrEnum):
    PEOPLE = "people"
    REFERENCE_DATA = "reference_data"
    PARTS = "parts"
    SITE_KEY = "site_key"
    PEERS = "peers"


# Who may do each step (the UI names the role when the person signed in may not).
STEP_PERMISSIONS = {
    SetupStepKind.PEOPLE: Permission.MANAGE_PEOPLE,
    SetupStepKind.REFERENCE_DATA: Permission.EDIT_REFERENCE_DATA,
    SetupStepKind.PARTS: Permission.EDIT_PARTS,
    SetupStepKind.SITE_KEY: Permission.VIEW,
    SetupStepKind.PEERS: Permission.MANAGE_SITES,
}


@dataclass(frozen=True, slots=True)
class SetupStep:
    kind: SetupStepKind
    done: bool
    count: int  # what there is today: engineers, suppliers and models, parts, enrolled sites


@dataclass(frozen=True, slots=True)
class SetupChecklist:
    steps: tuple[SetupStep, ...]

    @property
    def complete(self) -> bool:
        return all(s.done for s in self.steps)

    @property
    def next_step(self) -> SetupStep | None:
        return next((s for s in self.steps if not s.done), None)

    def step(self, kind: SetupStepKind) -> SetupStep:
        return next(s for s in self.steps if s.kind is kind)


class SetupService:
    def __init__(self, ctx: ServiceContext) -> None:
        self._ctx = ctx

    def checklist(self, actor: Actor | None) -> SetupChecklist:
        if actor is not None:
            actor.require(Permission.VIEW)
        with self._ctx.unit_of_work() as uow:
            session = uow.session

            def count(stmt) -> int:
                return int(session.execute(stmt).scalar_one())

            engineers = count(select(func.count()).select_from(Person).where(
                Person.role == str(Role.ENGINEER), Person.active.is_(True)))
            suppliers = count(select(func.count()).select_from(Supplier))
            models = count(select(func.count()).select_from(VehicleModel))
            parts = count(select(func.count()).select_from(select(Part.id).limit(1).subquery()))
            peers = count(select(func.count()).select_from(PeerKey).where(
                PeerKey.retired_at == "", PeerKey.site_id != self._ctx.site_id))
            shared = session.get(KeyValue, KEY_SHARED) is not None
        return SetupChecklist((
            SetupStep(SetupStepKind.PEOPLE, engineers > 0, engineers),
            SetupStep(SetupStepKind.REFERENCE_DATA, suppliers > 0 and models > 0,
                      suppliers + models),
            SetupStep(SetupStepKind.PARTS, parts > 0, parts),
            SetupStep(SetupStepKind.SITE_KEY, shared or peers > 0, int(shared)),
            SetupStep(SetupStepKind.PEERS, peers > 0, peers),
        ))

    def record_key_shared(self) -> None:
        """This site's public key was saved for the other sites (the site-key step is done)."""
        with self._ctx.unit_of_work() as uow:
            row = uow.session.get(KeyValue, KEY_SHARED)
            if row is None:
                uow.session.add(KeyValue(key=KEY_SHARED, value=self._ctx.clock()))
