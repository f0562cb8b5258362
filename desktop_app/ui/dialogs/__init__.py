"""Dialogs of the PartDesk window."""
