"""Demo step 1: the supplier site, its key pair and people in every role."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.domain.people import Role, SiteKind
from desktop_app.services.people import PeopleService
from desktop_app.services.site import SiteService

if TYPE_CHECKING:
    from desktop_app.demo import Demo

# Used when PARTDESK_PASSWORD is not set; the README lists them.
DEMO_PASSWORDS = {
    "admin": "Admin-2026!",
    "k.benali": "Engineer-2026!",
    "s.haddad": "Engineer-2026!",
    "n.mansouri": "Inspector-2026!",
    "li.wei": "Approver-2026!",
    "a.cherif": "Approver-2026!",
}

PEOPLE = (
    ("k.benali", "Karim Benali", Role.ENGINEER, "Ingénieur méthodes, emboutissage"),
    ("s.haddad", "Samira Haddad", Role.ENGINEER, "Ingénieure qualité fournisseurs"),
    ("n.mansouri", "Nadir Mansouri", Role.INSPECTOR, "Contrôleur qualité, laboratoire"),
    ("li.wei", "Li Wei (李伟)", Role.APPROVER, "Jetour SQE, resident supplier quality engineer"),
    ("a.cherif", "Amina Cherif", Role.APPROVER, "Responsable qualité Massar"),
)


def build(demo: Demo) -> None:
    site, admin = SiteService(demo.ctx).initialise(
        "MSR",
        "Massar Composants Automobiles — Rouiba",
        SiteKind.SUPPLIER,
        "admin",
        "Administrateur PartDesk",
        demo.passwords["admin"],
    )
    people = PeopleService(demo.ctx)
    admin_actor = people.sign_in("admin", demo.passwords["admin"])
    demo.actors["admin"] = admin_actor
    for username, name, role, title in PEOPLE:
        people.add_person(
            admin_actor,
            username,
            name,
            role,
            demo.passwords[username],
            email=f"{username}@massar.example",
            title=title,
        )
        demo.actors[username] = people.actor_for(username)
    demo.refs["site"] = site
    demo.summary["site"] = f"{site.code} — {site.name}"
    demo.summary["people"] = ", ".join(f"{u} ({a.role})" for u, a in demo.actors.items())
