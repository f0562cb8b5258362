"""The windowed program of the frozen application (`partdeskw`, no console on Windows): the
window only. The Start menu and desktop shortcuts open this one."""

from desktop_app.app import gui_main

raise SystemExit(gui_main())
