"""Why a package is refused: one sentence each, translated by the UI and the CLI."""

from __future__ import annotations

from desktop_app.domain.errors import PartDeskError
from desktop_app.domain.text import QT_TRANSLATE_NOOP


class PackageRejected(PartDeskError):
    """A package that fails a check; nothing of it is applied."""

    exit_code = 9
    template = QT_TRANSLATE_NOOP("Errors", "The package was refused.")


class NotAPackage(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "{name} is not a complete PartDesk package (damaged or truncated: {detail}).")


class ForbiddenMember(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "The package holds a file with a forbidden name ({member}); it was refused.")


class SymlinkMember(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "The package holds a link or special file ({member}); it was refused.")


class DuplicateMember(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "The package holds the file {member} twice; it was refused.")


class EncryptedMember(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "The package holds an encrypted or unusually compressed file ({member}).")


class TooManyMembers(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "The package holds {count} files, above the limit of {limit}.")


class TooLarge(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "{member} in the package is larger than allowed ({limit} bytes); it was refused.")


class CompressionBomb(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "{member} in the package expands far beyond its compressed size (a compression "
                  "bomb); it was refused.")


class SizeMismatch(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "{member} in the package is not the size its headers or manifest say.")


class MissingMember(PackageRejected):
    template = QT_TRANSLATE_NOOP("Errors", "The package lacks {member}.")


class UnlistedMember(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "The package holds {member}, which its signed manifest does not list.")


class BadJson(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "{member} in the package is not valid strict JSON (line {line}: {detail}).")


class UnsupportedFormat(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "The package is not a PartDesk sync package of a supported format ({detail}).")


class NewerSchema(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "The package was made by a newer PartDesk (data version {version}, this one "
                  "reads up to {supported}); update PartDesk first.")


class UnknownSigner(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "The package is signed by site {site}, whose key is not enrolled here.")


class RetiredSigner(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "The package is signed with the retired key of site {site}; new packages from "
                  "it are refused.")


class BadSignature(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "The package signature does not match its manifest; it was altered or forged.")


class HashMismatch(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "{member} in the package does not match its hash; it was altered.")


class BadRevision(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "Revision on line {line} of the package is refused: {detail}")


class MissingBlob(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "Revision {rev_id} refers to file {sha} that the package does not carry.")


class BadManifest(PackageRejected):
    template = QT_TRANSLATE_NOOP("Errors", "The package manifest is malformed ({detail}).")


class PackageTooLarge(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "{name} is larger than the largest package accepted ({limit} bytes).")


# -- trust between sites ------------------------------------------------------------------------


class BadBatch(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "A signed batch in the package is malformed (line {line}: {detail}).")


class BatchSignerUnknown(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "The package relays work signed by site {site}, whose key is not enrolled "
                  "here; enrol that site first.")


class BatchSignedAfterRetirement(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "The package holds work signed with the key of site {site} after that key "
                  "was retired.")


class BadBatchSignature(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "The signature of site {site} on a batch of the package does not match; the "
                  "batch was altered or forged.")


class OriginNotProven(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "Revision {rev_id} ({kind} {record}) claims to come from site {site}, but no "
                  "signature of that site covers it.")


class OutOfScope(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "Site {site} may not write {kind} records here ({kind} {record}); the "
                  "package was refused.")


class LocalAuthority(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "Site {site} tried to change {kind} {record}, which only its own site may "
                  "change; the package was refused.")


class ForeignAuthor(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "Revision {rev_id} of site {site} names {person}, a person of another site, "
                  "as its author or signer; the package was refused.")


class RecordCreatedTwice(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "Site {site} claims to have created {kind} {record}, which already exists; "
                  "the package was refused.")


class BadRecordFields(PackageRejected):
    template = QT_TRANSLATE_NOOP(
        "Errors", "The package holds an invalid revision of site {site}: {detail}")
