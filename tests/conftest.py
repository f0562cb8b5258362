"""Shared fixtures: a fresh migrated data folder per test, people in every role, Qt offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported anywhere
# Only the fonts the project bundles or installs, as on CI (.ci/run sets the same file), so text
# is measured alike on every machine; a FONTCONFIG_FILE already set is respected.
os.environ.setdefault("FONTCONFIG_FILE", os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                      "fonts.conf"))
os.environ.pop("PARTDESK_DATA_DIR", None)
os.environ.pop("PARTDESK_USER", None)
os.environ.pop("PARTDESK_PASSWORD", None)
os.environ.pop("PARTDESK_LANG", None)

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from argon2 import PasswordHasher  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from desktop_app.domain.people import Actor, Role, SiteKind  # noqa: E402
from desktop_app.paths import DataFolder  # noqa: E402
from desktop_app.services.context import ServiceContext, open_context  # noqa: E402

settings.register_profile(
    "partdesk",
    deadline=None,
    max_examples=40,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("partdesk")

# Argon2id still, with small costs: the tests sign in hundreds of times.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct-horse-battery"
ROLES_BY_USER = {
    "admin": Role.ADMINISTRATOR,
    "eng": Role.ENGINEER,
    "insp": Role.INSPECTOR,
    "appr": Role.APPROVER,
    "appr2": Role.APPROVER,
}


@pytest.fixture(autouse=True, scope="session")
def _log_folder_of_the_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The entry points log to a folder of this run, never to the user's log folder."""
    from desktop_app.logs import LOG_DIR_ENV

    previous = os.environ.get(LOG_DIR_ENV)
    os.environ[LOG_DIR_ENV] = str(tmp_path_factory.mktemp("logs"))
    yield
    if previous is None:
        os.environ.pop(LOG_DIR_ENV, None)
    else:
        os.environ[LOG_DIR_ENV] = previous


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    import desktop_app.services.people as people

    monkeypatch.setattr(people, "DEFAULT_HASHER", FAST_HASHER)


@pytest.fixture
def data_folder(tmp_path: Path) -> DataFolder:
    folder = DataFolder(tmp_path / "data")
    folder.root.mkdir()
    return folder


@pytest.fixture
def empty_ctx(data_folder: DataFolder) -> Iterator[ServiceContext]:
    """A migrated database with no site yet (first run)."""
    ctx = open_context(data_folder)
    yield ctx
    ctx.close()


@pytest.fixture
def ctx(empty_ctx: ServiceContext) -> ServiceContext:
    """A set-up site (code TST) with an administrator `admin`."""
    from desktop_app.services.site import SiteService

    SiteService(empty_ctx).initialise(
        "TST", "Test plant", SiteKind.PLANT, "admin", "Ada Admin", PASSWORD
    )
    return empty_ctx


@pytest.fixture
def actors(ctx: ServiceContext) -> dict[str, Actor]:
    """Signed-in actors of every role, by user name (admin, eng, insp, appr, appr2)."""
    from desktop_app.services.people import PeopleService

    people = PeopleService(ctx)
    admin = people.sign_in("admin", PASSWORD)
    result = {"admin": admin}
    for username, role in ROLES_BY_USER.items():
        if username == "admin":
            continue
        people.add_person(admin, username, username.capitalize() + " Person", role, PASSWORD)
        result[username] = people.sign_in(username, PASSWORD)
    return result
