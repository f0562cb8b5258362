"""PartDesk: parts, evidence and certification for automotive localisation, offline first."""

__version__ = "0.1.0"
