"""PySide6 lives here and only here: pages, dialogs, table models, tasks, settings, i18n."""
