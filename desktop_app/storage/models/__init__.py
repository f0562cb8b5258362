"""Every ORM model, so that `Base.metadata` is complete (Alembic compares against it).

Each area keeps its tables in its own module; add the module here when you create it.
"""

from desktop_app.storage.models import (
    certification,  # noqa: F401
    core,  # noqa: F401
    evidence,  # noqa: F401
    laboratories,  # noqa: F401
    msa,  # noqa: F401
    parts,  # noqa: F401
    plant,  # noqa: F401
    roadmap,  # noqa: F401
    sync,  # noqa: F401
    trust,  # noqa: F401
)
from desktop_app.storage.models.base import Base

__all__ = ["Base"]
