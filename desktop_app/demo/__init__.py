"""`partdesk demo`: a realistic demonstration data folder, built through the real services.

Each area adds a step module to STEPS with a `build(demo: Demo) -> None` function; steps run in
order and may use what earlier steps left in `demo.refs`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.people import Actor
from desktop_app.domain.text import QT_TRANSLATE_NOOP
from desktop_app.services.context import ServiceContext

STEPS = (
    "desktop_app.demo.people",
    "desktop_app.demo.parts",
    "desktop_app.demo.evidence",
    "desktop_app.demo.msa",
    "desktop_app.demo.certification",
    "desktop_app.demo.roadmap",
    "desktop_app.demo.sync",
)


@dataclass
class Demo:
    ctx: ServiceContext
    passwords: dict[str, str]
    actors: dict[str, Actor] = field(default_factory=dict)  # by username
    refs: dict[str, Any] = field(default_factory=dict)  # what steps share
    summary: dict[str, Any] = field(default_factory=dict)

    def actor(self, username: str) -> Actor:
        return self.actors[username]


def build_demo(ctx: ServiceContext, password: str | None = None) -> dict[str, Any]:
    if ctx.initialised:
        raise ValidationError(QT_TRANSLATE_NOOP(
            "Errors", "The demo needs an empty data folder; this one is already set up."))
    from desktop_app.demo.people import DEMO_PASSWORDS

    passwords = {user: password or default for user, default in DEMO_PASSWORDS.items()}
    demo = Demo(ctx=ctx, passwords=passwords)
    for name in STEPS:
        importlib.import_module(name).build(demo)
    demo.summary["data_dir"] = str(ctx.folder.root)
    return demo.summary
