"""Printed documents (reportlab). Depends on the domain only: services pass frozen data."""
