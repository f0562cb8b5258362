"""Pages of the main window. Each area adds its page factory to PAGES (in navigation order)."""
