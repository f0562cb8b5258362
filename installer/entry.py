"""Entry point of the frozen application (PyInstaller)."""

from desktop_app.cli import main

raise SystemExit(main())
