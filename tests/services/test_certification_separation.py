"""No sequence of actions lets anyone approve their own work (hypothesis state machine).

People change roles, prepare, link evidence they recorded, submit, review and decide in any
order; after every step, every granting decision in the database was signed by someone who
neither prepared the submission (as of the revision the signature covers) nor produced any of
its linked evidence, and never by an administrator.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import select

from desktop_app.domain.certification import GRANTING, Action, SubmissionKind
from desktop_app.domain.certification_checks import RESULT_ELEMENTS, required_elements
from desktop_app.domain.errors import PartDeskError
from desktop_app.domain.parts import PartDraft
from desktop_app.domain.people import Role, SiteKind
from desktop_app.paths import DataFolder
from desktop_app.services.certification import CertificationService
from desktop_app.services.certification_decisions import DecisionService
from desktop_app.services.context import open_context
from desktop_app.services.parts import PartService
from desktop_app.services.people import PeopleService
from desktop_app.services.site import SiteService
from desktop_app.storage.models.certification import Decision
from desktop_app.storage.models.core import Person
from tests.conftest import PASSWORD

PEOPLE = ("eng", "insp", "appr", "appr2", "eng2")
START_ROLES = {"eng": Role.ENGINEER, "insp": Role.INSPECTOR, "appr": Role.APPROVER,
               "appr2": Role.APPROVER, "eng2": Role.ENGINEER}
people = st.sampled_from(PEOPLE)
GRANTED: list[int] = []  # approvals granted per run: the test must not be vacuous


class SeparationOfDuties(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.tmp = Path(tempfile.mkdtemp(prefix="partdesk-sod-"))
        folder = DataFolder(self.tmp / "data")
        folder.root.mkdir()
        self.ctx = open_context(folder)
        SiteService(self.ctx).initialise("SOD", "Plant", SiteKind.PLANT, "admin", "Admin",
                                         PASSWORD)
        self.people = PeopleService(self.ctx)
        admin = self.people.sign_in("admin", PASSWORD)
        self.admin = admin
        for name, role in START_ROLES.items():
            self.people.add_person(admin, name, name.title(), role, PASSWORD)
        self.cert = CertificationService(self.ctx)
        self.decisions = DecisionService(self.ctx, self.cert, self.people)
        eng = self.actor("eng")
        self.part_id = PartService(self.ctx).register_part(eng, PartDraft(
            part_number="P-1", revision="A", designation="Bracket")).part_id
        self.submissions: list[str] = []

    def teardown(self) -> None:
        with self.ctx.unit_of_work() as uow:
            GRANTED.append(len(uow.session.execute(select(Decision.id).where(
                Decision.action.in_([str(a) for a in GRANTING]))).all()))
        self.ctx.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def actor(self, name: str):
        return self.people.actor_for(name)

    def attempt(self, fn) -> None:
        # Refused is allowed; what matters is what got written.
        with contextlib.suppress(PartDeskError):
            fn()

    @rule(who=people, role=st.sampled_from([Role.ENGINEER, Role.INSPECTOR, Role.APPROVER]))
    def change_role(self, who, role):
        with self.ctx.unit_of_work() as uow:
            user_id = uow.session.execute(select(Person.id).where(
                Person.username == who)).scalar_one()
        self.people.change_role(self.admin, user_id, role)

    @rule(who=people)
    def prepare(self, who):
        def go():
            actor = self.actor(who)
            sid = self.cert.create_submission(actor, self.part_id).summary.submission_id
            # The results of the samples are evidence the preparer produced; the rest N/A.
            with self.ctx.unit_of_work() as uow:
                report = uow.records.create("test_report", {
                    "part_id": self.part_id, "number": f"TR-{who}-0", "title": "Results"},
                    actor, reason="recorded")
            for code in required_elements(SubmissionKind.PPAP, 3, {}, False):
                if code in RESULT_ELEMENTS:
                    self.cert.link_evidence(actor, sid, code, [report.record_id])
                else:
                    self.cert.mark_not_applicable(actor, sid, code, "n/a")
            self.submissions.append(sid)
        self.attempt(go)

    @precondition(lambda self: self.submissions)
    @rule(who=people, index=st.integers(0, 20), data=st.data())
    def link_own_evidence(self, who, index, data):
        sid = self.submissions[index % len(self.submissions)]
        with self.ctx.unit_of_work() as uow:
            report = uow.records.create("test_report", {
                "part_id": self.part_id, "number": f"TR-{who}", "title": "Report"},
                self.actor(who), reason="recorded")
        preparer = data.draw(people)
        self.attempt(lambda: self.cert.link_evidence(self.actor(preparer), sid, "10",
                                                     [report.record_id]))

    @precondition(lambda self: self.submissions)
    @rule(who=people, index=st.integers(0, 20),
          action=st.sampled_from([Action.SUBMIT, Action.START_REVIEW, Action.REOPEN]))
    def move(self, who, index, action):
        sid = self.submissions[index % len(self.submissions)]
        fn = {Action.SUBMIT: self.cert.submit, Action.START_REVIEW: self.cert.start_review,
              Action.REOPEN: self.cert.reopen}[action]
        self.attempt(lambda: fn(self.actor(who), sid))

    @precondition(lambda self: self.submissions)
    @rule(who=st.sampled_from((*PEOPLE, "admin")), index=st.integers(0, 20),
          action=st.sampled_from(sorted(GRANTING | {Action.REJECT, Action.SUSPEND})))
    def decide(self, who, index, action):
        sid = self.submissions[index % len(self.submissions)]
        self.attempt(lambda: self.decisions.decide(
            self.actor(who), sid, action, PASSWORD, reason="because",
            valid_until=date(2099, 1, 1), action_plan="plan"))

    @rule(preparer=people, reviewer=people, approver=people)
    def walk(self, preparer, reviewer, approver):
        """The whole path in one step, with whoever is drawn: most draws are refused."""
        before = len(self.submissions)
        self.prepare(preparer)
        if len(self.submissions) == before:
            return
        sid = self.submissions[-1]
        self.attempt(lambda: self.cert.submit(self.actor(preparer), sid))
        self.attempt(lambda: self.cert.start_review(self.actor(reviewer), sid))
        self.attempt(lambda: self.decisions.decide(self.actor(approver), sid, Action.APPROVE,
                                                   PASSWORD))

    @rule(data=st.data())
    def walk_by_role(self, data):
        """The path with people whose current role allows each step (approvals do happen)."""
        def holding(role: Role) -> list[str]:
            return [p for p in PEOPLE if self.actor(p).role is role]

        preparers = holding(Role.ENGINEER) + holding(Role.INSPECTOR)
        reviewers = holding(Role.INSPECTOR) + holding(Role.APPROVER)
        approvers = holding(Role.APPROVER)
        if preparers and reviewers and approvers:
            self.walk(data.draw(st.sampled_from(preparers)), data.draw(st.sampled_from(
                reviewers)), data.draw(st.sampled_from(approvers)))

    @invariant()
    def nobody_approved_their_own_work(self):
        with self.ctx.unit_of_work() as uow:
            granted = uow.session.execute(select(Decision).where(
                Decision.action.in_([str(a) for a in GRANTING]))).scalars().all()
            for decision in granted:
                covered = uow.records.revision(decision.submission_rev_id)
                assert covered is not None
                prepared = set(covered.fields.get("prepared_by", ()))
                history_authors = {r.author for r in uow.records.history(decision.submission_id)
                                   if r.reason in ("submission created", "submit", "reopen")
                                   or r.reason.startswith(("evidence", "element", "submission"))}
                linked = [e for entry in (covered.fields.get("elements") or {}).values()
                          for e in entry.get("evidence", ())]
                producers = {r.author for eid in linked for r in uow.records.history(eid)}
                signer = decision.decided_by
                assert signer not in prepared | history_authors, "approved own submission"
                assert signer not in producers, "approved own evidence"
                person = uow.session.get(Person, signer)
                assert person is not None and person.username != "admin"


@pytest.mark.slow
def test_no_sequence_of_actions_lets_anyone_approve_their_own_work():
    GRANTED.clear()
    run_state_machine_as_test(SeparationOfDuties, settings=settings(
        max_examples=10, stateful_step_count=12, deadline=None))
    assert sum(GRANTED) > 0  # some legitimate approvals did happen along the way
