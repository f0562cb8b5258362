"""The console program of the frozen application (`partdesk`): the command line, and the window
when no command is given."""

from desktop_app.cli import main

raise SystemExit(main())
