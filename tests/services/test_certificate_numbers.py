"""Human numbers carry this site's code, and are never invented when it cannot be read."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from desktop_app.domain.errors import StorageError
from desktop_app.storage.models.core import Site
from tests.services.certification_fixtures import Services, make_part


def test_submission_numbers_carry_the_site_code(ctx, actors) -> None:
    svc = Services(ctx)
    part = make_part(svc, actors)
    detail = svc.cert.create_submission(actors["eng"], part["part_id"])
    assert detail.summary.number.startswith("SUB-TST-")


def test_without_the_site_record_no_number_is_made_up(ctx, actors) -> None:
    svc = Services(ctx)
    part = make_part(svc, actors)
    with ctx.unit_of_work() as uow:
        uow.session.execute(delete(Site).where(Site.id == ctx.site_id))
    with pytest.raises(StorageError, match="site record is missing"):
        svc.cert.create_submission(actors["eng"], part["part_id"])
