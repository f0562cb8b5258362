"""Small reusable widgets of the PartDesk window."""
