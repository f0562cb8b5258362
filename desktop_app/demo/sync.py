"""Demo step (last): the carmaker's site, Jetour (JTR), enrolled with its real key, and real
packages exchanged both ways, so that the sync page and the dashboard show a site status.

The Jetour site is initialised in a temporary data folder, the two sites enrol each other's
keys (the fingerprints are checked exactly as people would), the demo site sends its package,
Jetour imports it and sends its own back, which the demo site imports. The temporary folder is
removed afterwards; its public key stays enrolled here.

The real approval flow: Massar prepares, submits and reviews the submission of JX7-2804011;
Jetour's SQE manager (zhang.min) approves it at Jetour's site, where Jetour's certificate is
issued and sealed with Jetour's key; the decision comes back in Jetour's package.

Who may write what: Massar (a supplier) hosts Jetour's resident SQE, li.wei, who decides and signs
at Massar; the programme's roadmap and reference lists are kept there too. Jetour's administrator
therefore enrols Massar with a scope wider than a supplier's default: its own supplier work plus
the decisions, e-signatures, certificates, reference lists and roadmap written at Massar
(`MSR_SCOPE_AT_JTR`). Massar enrols Jetour with the carmaker's default scope.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.demo.certification import JTR_DECIDES
from desktop_app.domain.certification import Action
from desktop_app.domain.people import Role, SiteKind
from desktop_app.domain.trust import CARMAKER_SCOPE, SUPPLIER_SCOPE
from desktop_app.paths import DataFolder
from desktop_app.services.certification_decisions import DecisionService
from desktop_app.services.context import ServiceContext, open_context
from desktop_app.services.people import PeopleService
from desktop_app.services.site import SiteService
from desktop_app.services.sync import SyncService
from desktop_app.services.sync_keys import SiteKeyService

if TYPE_CHECKING:
    from desktop_app.demo import Demo

PEER_CODE = "JTR"
PEER_NAME = "Jetour Automobile — Supplier Quality, Wuhu"
PEER_PASSWORD = "Jetour-SQE-2026!"
# What Jetour trusts Massar to write (see the module's docstring).
MSR_SCOPE_AT_JTR = SUPPLIER_SCOPE | CARMAKER_SCOPE

PEER_PEOPLE = (
    ("zhang.min", "Zhang Min (张敏)", Role.APPROVER, "Jetour SQE manager, localisation programme"),
    ("chen.jie", "Chen Jie (陈杰)", Role.ENGINEER, "Jetour body-in-white engineer"),
)


def _decide_at_jetour(demo: Demo, peer: ServiceContext) -> str:
    """Jetour's SQE manager approves, at Jetour's site, the submission Massar sent for review;
    the decision, her e-signature and Jetour's certificate travel back in Jetour's package."""
    submissions = demo.refs.get("certification", {}).get("submissions", {})
    sid = next(iter(submissions.get(JTR_DECIDES, ())), "")
    if not sid:
        return ""
    approver = PeopleService(peer).sign_in("zhang.min", PEER_PASSWORD)
    detail = DecisionService(peer).decide(approver, sid, Action.APPROVE, PEER_PASSWORD)
    return detail.decisions[-1].certificate_number


def build(demo: Demo) -> None:
    ctx = demo.ctx
    admin = demo.actor("admin")
    here = SyncService(ctx)
    here_keys = SiteKeyService(ctx)
    work = Path(tempfile.mkdtemp(prefix="partdesk-demo-peer-"))
    try:
        peer_folder = DataFolder(work / "jetour")
        peer_folder.root.mkdir()
        peer = open_context(peer_folder)
        try:
            SiteService(peer).initialise(PEER_CODE, PEER_NAME, SiteKind.CARMAKER, "admin",
                                         "Jetour PartDesk administrator", PEER_PASSWORD)
            people = PeopleService(peer)
            peer_admin = people.sign_in("admin", PEER_PASSWORD)
            for username, name, role, title in PEER_PEOPLE:
                people.add_person(peer_admin, username, name, role, PEER_PASSWORD,
                                  email=f"{username}@jetour.example", title=title)
            peer_keys = SiteKeyService(peer)
            # Each side writes its key file; the other enrols it with the fingerprint it was told.
            theirs = peer_keys.write_key_file(work / "JTR.partdesk-key")
            here_keys.enrol(admin, theirs.path, theirs.fingerprint)
            ours = here_keys.write_key_file(work / "MSR.partdesk-key")
            peer_keys.enrol(peer_admin, ours.path, ours.fingerprint,
                            scope_types=sorted(MSR_SCOPE_AT_JTR))

            ctx.folder.exports.mkdir(parents=True, exist_ok=True)
            sent = here.export_package(admin, ctx.folder.exports / "MSR-to-JTR-0001.partdesk",
                                       to_site=PEER_CODE)
            SyncService(peer).import_package(peer_admin, sent.path)
            decided = _decide_at_jetour(demo, peer)
            reply = SyncService(peer).export_package(
                peer_admin, work / "JTR-to-MSR-0001.partdesk", to_site="MSR")
            received = here.import_package(admin, reply.path)
        finally:
            peer.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    demo.refs["peer_site_id"] = received.preview.sender_site_id
    demo.summary["sync"] = (
        f"{PEER_CODE} — {PEER_NAME} enrolled (fingerprint {theirs.fingerprint}); "
        f"package {sent.sequence} sent ({sent.revisions} revisions, {sent.blobs} files), "
        f"package {received.preview.sequence} received ({received.preview.new} new revisions"
        f"{', with Jetour approval ' + decided if decided else ''})")
