"""File formats people exchange with PartDesk (tables). Depends on the domain only."""
