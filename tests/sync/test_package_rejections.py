"""Every bad package of the issue: refused with one sentence, quarantined with the reason, and
the receiving database file byte-for-byte unchanged."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import pytest

from desktop_app.domain.revisions import Revision
from desktop_app.services.sync import SyncService
from desktop_app.sync import errors as err
from desktop_app.sync.limits import Limits
from tests.sync.crafting import (
    Member,
    manifest_of,
    read_members,
    refused,
    revision_lines,
    signed_package,
    write_zip,
)
from tests.sync.sites import SiteUnderTest, make_site

BLOB = b"%PDF-1.4 test report bytes\n" * 50


@pytest.fixture
def good(pair: tuple[SiteUnderTest, SiteUnderTest], outbox: Path) -> Path:
    """A real package from A with a record that points at a file."""
    a, _ = pair
    sha = a.ctx.blobs.put_bytes(BLOB).sha256
    a.create({"title": "report", "blob_sha256": sha})
    return a.export(outbox, to="BBB")


def _revisions(site: SiteUnderTest) -> list[Revision]:
    with site.ctx.unit_of_work() as uow:
        return [r for rid in site.records() for r in uow.records.history(rid)]


def test_the_good_package_is_accepted(pair, good):
    _, b = pair
    summary = b.sync.import_package(b.engineer, good)
    assert summary.applied and summary.preview.new_blobs == 1
    (sha,) = b.ctx.blobs.all_hashes()
    assert b.ctx.blobs.open(sha).read() == BLOB


def test_tampered_blob_bytes(pair, good, outbox):
    _, b = pair
    members = read_members(good)
    for m in members:
        if m.name.startswith("blobs/"):
            m.data = m.data.replace(b"test", b"TEST")
    refused(b, write_zip(outbox / "tampered-blob.zip", members), err.HashMismatch)


def test_tampered_manifest(pair, good, outbox):
    _, b = pair
    members = read_members(good)
    for m in members:
        if m.name == "manifest.json":
            m.data = m.data.replace(b'"sequence":1', b'"sequence":9')
    refused(b, write_zip(outbox / "tampered-manifest.zip", members), err.BadSignature)


def test_unknown_key(pair, outbox, tmp_path):
    _, b = pair
    stranger = make_site(tmp_path / "other", "CCC")
    try:
        stranger.create({"title": "from a stranger"})
        package = stranger.export(outbox)
    finally:
        stranger.ctx.close()
    assert "CCC" in refused(b, package, err.UnknownSigner)


def test_retired_key(pair, good):
    _, b = pair
    b.keys.retire(b.admin, "AAA")
    assert "AAA" in refused(b, good, err.RetiredSigner)


@pytest.mark.parametrize("name", [
    "../evil.txt", "blobs/../../evil", "/etc/passwd", "C:/Windows/evil.dll", "C:evil",
    "\\\\server\\share\\evil", "blobs\\" + "a" * 64, "revisions.ndjson/", "blobs/" + "A" * 64,
])
def test_forbidden_member_names(pair, good, outbox, name):
    _, b = pair
    members = read_members(good) + [Member(name, b"x")]
    refused(b, write_zip(outbox / "names.zip", members), err.ForbiddenMember)


def test_symlink_member(pair, good, outbox):
    _, b = pair
    members = read_members(good)
    for m in members:
        if m.name.startswith("blobs/"):
            m.data = b"/etc/passwd"
            m.external_attr = 0o120777 << 16
    refused(b, write_zip(outbox / "link.zip", members), err.SymlinkMember)


def test_duplicate_member_names(pair, good, outbox):
    _, b = pair
    members = read_members(good)
    members.append(Member("revisions.ndjson", b"{}\n"))
    refused(b, write_zip(outbox / "dup.zip", members), err.DuplicateMember)


def test_encrypted_member(pair, good, outbox):
    _, b = pair
    package = write_zip(outbox / "encrypted.zip", read_members(good))
    data = bytearray(package.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = data.find(signature)  # the first member, in its local and central headers
        data[pos + offset] |= 0x1
    package.write_bytes(bytes(data))
    refused(b, package, err.EncryptedMember)


def test_compression_bomb_by_ratio(pair, outbox):
    a, b = pair
    zeros = b"\0" * (3 * 1024 * 1024)
    sha = __import__("hashlib").sha256(zeros).hexdigest()
    line = revision_lines([Revision.create(
        record_type="note", record_id="01000000-0000-7000-8000-000000000001", parents=(),
        site_id=a.ctx.site_id, lamport=1, author="x", fields={"blob_sha256": sha})])
    package = signed_package(a, outbox / "bomb.zip", line)
    members = read_members(package) + [Member(f"blobs/{sha}", zeros)]
    refused(b, write_zip(outbox / "bomb2.zip", members), err.CompressionBomb)


def _patch_central_size(path: Path, member: str, new_size: int) -> None:
    """Make the central directory lie about a member's uncompressed size."""
    data = bytearray(path.read_bytes())
    needle = member.encode()
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46:pos + 46 + name_len]) == needle:
            struct.pack_into("<I", data, pos + 24, new_size)
        pos += 4
    path.write_bytes(bytes(data))


def test_sizes_that_lie_in_the_headers(pair, good, outbox):
    _, b = pair
    members = read_members(good)
    lying = write_zip(outbox / "lying.zip", members)
    _patch_central_size(lying, "revisions.ndjson", 10)
    refused(b, lying, err.PackageRejected)


def test_bomb_enforced_while_reading_even_when_headers_lie(pair, outbox):
    """The headers claim a modest size; the reader stops at the cap on the bytes it decompresses."""
    a, b = pair
    tight = SyncService(b.ctx, Limits(max_member_bytes=2 * 1024 * 1024, max_ratio=5))
    lines = revision_lines([Revision.create(
        record_type="note", record_id="01000000-0000-7000-8000-000000000002", parents=(),
        site_id=a.ctx.site_id, lamport=1, author="x", fields={"text": "x" * 3_000_000})])
    package = signed_package(a, outbox / "big.zip", lines)
    _patch_central_size(package, "revisions.ndjson", 1000)
    refused(b, package, err.PackageRejected, service=tight)


def test_too_many_members(pair, good, outbox):
    _, b = pair
    tight = SyncService(b.ctx, Limits(max_members=5))
    members = read_members(good) + [Member(f"blobs/{i:064x}", b"x") for i in range(5)]
    refused(b, write_zip(outbox / "many.zip", members), err.TooManyMembers, service=tight)


def test_newer_schema(pair, outbox):
    a, b = pair
    package = signed_package(a, outbox / "newer.zip", [], schema_version=99)
    assert "99" in refused(b, package, err.NewerSchema)


def test_revision_whose_id_does_not_match(pair, outbox):
    a, b = pair
    good = _revisions(a)[0].to_dict()
    good["reason"] = "altered after signing"
    line = json.dumps(good, sort_keys=True, separators=(",", ":")).encode()
    refused(b, signed_package(a, outbox / "rev.zip", [line]), err.BadRevision)


def test_referenced_blob_missing(pair, outbox):
    a, b = pair
    line = revision_lines([Revision.create(
        record_type="note", record_id="01000000-0000-7000-8000-000000000003", parents=(),
        site_id=a.ctx.site_id, lamport=1, author="x", fields={"report_blob_sha256": "b" * 64})])
    refused(b, signed_package(a, outbox / "noblob.zip", line), err.MissingBlob)


def _one_line(a: SiteUnderTest) -> bytes:
    return revision_lines(_revisions(a)[:1])[0]


def test_non_utf8(pair, outbox):
    a, b = pair
    line = _one_line(a).replace(b'"reason":"', b'"reason":"\xff\xfe')
    refused(b, signed_package(a, outbox / "latin.zip", [line]), err.BadJson)


def test_nan(pair, outbox):
    a, b = pair
    line = _one_line(a).replace(b'"lamport":1', b'"lamport":NaN')
    refused(b, signed_package(a, outbox / "nan.zip", [line]), err.BadJson)


def test_duplicate_keys(pair, outbox):
    a, b = pair
    line = _one_line(a).replace(b'{"author"', b'{"author":"someone else","author"')
    refused(b, signed_package(a, outbox / "dupkey.zip", [line]), err.BadJson)


def test_deeply_nested_json(pair, outbox):
    a, b = pair
    deep = b"[" * 100_000 + b"]" * 100_000
    line = _one_line(a).replace(b'"fields":{', b'"fields":{"deep":' + deep + b",")
    refused(b, signed_package(a, outbox / "deep.zip", [line]), err.BadJson)


def test_manifest_with_nan_and_duplicate_keys(pair, outbox):
    a, b = pair
    raw = b'{"format":"partdesk-sync","format":"other","sequence":NaN}'
    refused(b, signed_package(a, outbox / "badmanifest.zip", [], manifest_bytes=raw),
            err.BadJson)


def test_member_not_listed_in_the_signed_manifest(pair, outbox):
    a, b = pair
    package = signed_package(a, outbox / "extra.zip", [],
                             extra=[Member("blobs/" + "c" * 64, b"smuggled")])
    refused(b, package, err.UnlistedMember)


def test_not_a_zip_at_all(pair, outbox):
    _, b = pair
    junk = outbox / "junk.partdesk"
    junk.write_bytes(b"MZ\x90\x00 this is a program, not a package")
    refused(b, junk, err.NotAPackage)


def test_manifest_lists_what_the_zip_lacks(pair, good, outbox):
    _, b = pair
    members = [m for m in read_members(good) if not m.name.startswith("blobs/")]
    refused(b, write_zip(outbox / "lacking.zip", members), err.MissingMember)
    assert manifest_of(good)["counts"]["blobs"] == 1


def test_a_normal_zip_file_is_not_a_package(pair, outbox):
    _, b = pair
    z = outbox / "photos.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("holiday.jpg", b"\xff\xd8\xff")
    refused(b, z, err.ForbiddenMember)
