"""How big a window may grow: never past the screen it is on.

Factory PCs have 1366 × 768 screens; with a 40-pixel taskbar and a title bar, a window has about
1366 × 697 pixels. A dialog that wants more room for a tab grows up to `COMFORTABLE` and never
past the screen's free area (less its frame)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME = QSize(16, 40)  # a window's borders and title bar, outside its size
COMFORTABLE = QSize(1150, 690)  # room enough for the evidence tabs; fits 1366 × 768


def room_for(widget: QWidget) -> QSize:
    """The largest size the window of `widget` can take on its screen."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() - FRAME


def grow_within_screen(window: QWidget, wanted: QSize = COMFORTABLE) -> None:
    """Grow `window` to `wanted` (never shrink it), as far as its screen allows."""
    room = room_for(window)
    window.resize(min(max(window.width(), wanted.width()), room.width()),
                  min(max(window.height(), wanted.height()), room.height()))
