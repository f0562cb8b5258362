"""Setting up a site: never over another site's key."""

from __future__ import annotations

import pytest

from desktop_app.domain.errors import ValidationError
from desktop_app.domain.people import SiteKind
from desktop_app.services.context import ServiceContext
from desktop_app.services.site import SiteService
from tests.conftest import PASSWORD


def test_a_site_is_never_set_up_over_another_sites_key(empty_ctx: ServiceContext) -> None:
    empty_ctx.folder.keys.mkdir(parents=True, exist_ok=True)
    empty_ctx.folder.signing_key.write_bytes(b"the key of the site that was here")
    with pytest.raises(ValidationError) as caught:
        SiteService(empty_ctx).initialise("NEW", "New", SiteKind.PLANT, "boss", "Boss", PASSWORD)
    assert caught.value.message() == (
        f"The data folder {empty_ctx.folder.root} already holds a site's key; a new site is set "
        "up only in a new, empty folder.")
    assert empty_ctx.folder.signing_key.read_bytes() == b"the key of the site that was here"
    assert not empty_ctx.initialised
