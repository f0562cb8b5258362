"""Plain Python: dataclasses, enums, rules, errors and calculations. No Qt, no SQLAlchemy."""
