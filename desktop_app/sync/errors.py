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
