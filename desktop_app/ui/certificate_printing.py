"""Print a certificate PDF through Qt's print dialog (pages rendered with QtPdf), or save it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from desktop_app.ui.i18n import tr

PRINT_DPI = 300


def pdf_document(pdf: bytes, parent: QWidget | None = None) -> tuple[QPdfDocument, QBuffer]:
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    return document, buffer


def print_pdf(printer: QPrinter, pdf: bytes) -> int:
    """Render every page of `pdf` onto `printer`, scaled to the page; returns pages printed."""
    document, buffer = pdf_document(pdf)
    count = document.pageCount()
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        for page in range(count):
            if page:
                printer.newPage()
            target = painter.viewport()
            points = document.pagePointSize(page)
            scale = min(target.width() / points.width(), target.height() / points.height())
            size = QSize(int(points.width() * scale), int(points.height() * scale))
            image = document.render(page, QSize(int(points.width() * PRINT_DPI / 72),
                                                int(points.height() * PRINT_DPI / 72)))
            painter.drawImage(QRect(0, 0, size.width(), size.height()), image)
    finally:
        painter.end()
        document.close()
        buffer.close()
    return count


def ask_and_print(parent: QWidget, pdf: bytes, title: str) -> bool:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(tr("Certification", "Print {title}").format(title=title))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return print_pdf(printer, pdf) > 0


def ask_save_path(parent: QWidget, suggested: str) -> Path | None:
    """Where to save a certificate (the caller writes it on the task runner)."""
    path, _ = QFileDialog.getSaveFileName(parent, tr("Certification", "Save certificate"),
                                          suggested, tr("Certification", "PDF files (*.pdf)"))
    return Path(path) if path else None
