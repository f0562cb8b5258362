"""Origin signatures in a package (DESIGN.md, "Trust between sites": origin).

Every revision counts only when a valid batch signature of the site named in its `site_id`
covers it, made with a key enrolled here (a retired key: only for batches signed before its
retirement). The batches are read whole before any revision (they hold rev_ids only: about 70
bytes a revision); each revision is then proven as it streams past, and a batch is verified the
first time a revision it covers is seen (a batch that covers nothing in the package is never
looked at, as before).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from desktop_app.domain.keys import verify_signature
from desktop_app.domain.revisions import Revision
from desktop_app.domain.trust import Batch
from desktop_app.sync import errors as err
from desktop_app.sync import strict_json
from desktop_app.sync.limits import BATCHES, Limits
from desktop_app.sync.members import MemberReader

HEX64 = re.compile(r"[0-9a-f]{64}")
HEX128 = re.compile(r"[0-9a-f]{128}")
BATCH_KEYS = frozenset({"batch_id", "site_id", "public_key", "created_at", "rev_ids", "signature"})


@dataclass(frozen=True, slots=True)
class EnrolledKey:
    """What the caller knows of a signing key: the site's code and whether it is retired."""

    site_code: str
    retired: bool
    retired_at: str = ""  # when the key was retired ("" while in use)


KeyLookup = Callable[[str, str], EnrolledKey | None]  # (site_id, public key hex)


def read_batches(reader: MemberReader, info: zipfile.ZipInfo, entry: dict[str, Any],
                 limits: Limits) -> list[Batch]:
    """Every line is one batch: strict JSON, exactly the expected keys and shapes."""
    batches: list[Batch] = []
    for line_no, line in reader.lines(info, entry, BATCHES):
        try:
            data = strict_json.loads(line, limits.max_depth)
        except strict_json.StrictJsonError as exc:
            raise err.BadJson(member=BATCHES, line=line_no, detail=str(exc)) from exc
        if not isinstance(data, dict) or set(data) != BATCH_KEYS:
            raise err.BadBatch(line=line_no, detail="unexpected keys")
        texts = [data[k] for k in ("batch_id", "site_id", "public_key", "created_at",
                                   "signature")]
        rev_ids = data["rev_ids"]
        if not all(isinstance(t, str) and 0 < len(t) <= 128 for t in texts) \
                or not HEX64.fullmatch(data["public_key"]) \
                or not HEX128.fullmatch(data["signature"]) \
                or not isinstance(rev_ids, list) or not rev_ids \
                or len(rev_ids) > limits.max_revisions \
                or not all(isinstance(r, str) and HEX64.fullmatch(r) for r in rev_ids):
            raise err.BadBatch(line=line_no, detail="a field is missing or of the wrong form")
        batches.append(Batch(data["batch_id"], data["site_id"], data["public_key"],
                             data["created_at"], tuple(rev_ids), data["signature"]))
        if len(batches) > limits.max_batches:
            raise err.TooLarge(member=BATCHES, limit=limits.max_batches)
    return batches


class Origins:
    """Which batches cover which rev_id, and the proof of each revision's origin."""

    def __init__(self, batches: list[Batch], lookup_key: KeyLookup, allow_retired: bool) -> None:
        self._lookup = lookup_key
        self._allow_retired = allow_retired
        self._batches: list[Batch] = []
        # rev_id -> the index of the one batch covering it, or a tuple of several.
        self._cover: dict[str, int | tuple[int, ...]] = {}
        self._checked: set[int] = set()
        seen: set[str] = set()
        for batch in batches:
            if batch.batch_id in seen:  # a repeated batch id: the first one counts
                continue
            seen.add(batch.batch_id)
            index = len(self._batches)
            self._batches.append(batch)
            cover = self._cover
            for rev_id in batch.rev_ids:
                found = cover.setdefault(rev_id, index)
                if found != index:
                    found = found if isinstance(found, tuple) else (found,)
                    if index not in found:
                        cover[rev_id] = (*found, index)

    def _covering(self, rev_id: str) -> tuple[int, ...]:
        found = self._cover.get(rev_id)
        if found is None:
            return ()
        return found if isinstance(found, tuple) else (found,)

    def _check(self, index: int) -> None:
        """The batch's signer is enrolled (retired: signed before), and its signature holds."""
        if index in self._checked:
            return
        batch = self._batches[index]
        key = self._lookup(batch.site_id, batch.public_key)
        site = key.site_code if key else batch.site_id[:8]
        if key is None:
            raise err.BatchSignerUnknown(site=site)
        if key.retired and not self._allow_retired and not (
                key.retired_at and batch.created_at < key.retired_at):
            raise err.BatchSignedAfterRetirement(site=site)
        if not verify_signature(batch.public_key, bytes.fromhex(batch.signature),
                                batch.payload()):
            raise err.BadBatchSignature(site=site)
        self._checked.add(index)

    def prove(self, revision: Revision) -> None:
        """Every batch covering the revision is sound, and one is of the revision's site."""
        covering = self._covering(revision.rev_id)
        for index in covering:
            self._check(index)
        if not any(self._batches[i].site_id == revision.site_id for i in covering):
            raise err.OriginNotProven(rev_id=revision.rev_id[:12], kind=revision.record_type,
                                      record=revision.record_id[:13],
                                      site=revision.site_id[:13])

    def batch_for(self, revision: Revision) -> Batch | None:
        """The verified batch of the revision's own site that covers it (after `prove`)."""
        for index in self._covering(revision.rev_id):
            batch = self._batches[index]
            if batch.site_id == revision.site_id and index in self._checked:
                return batch
        return None

    def used(self) -> list[Batch]:
        """The batches that cover something in the package, in package order."""
        return [self._batches[i] for i in sorted(self._checked)]
