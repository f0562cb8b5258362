"""Preview of an attached file inside the application: images with QPixmap, PDFs with QtPdf.

The bytes shown are the verified bytes of the blob store (the service checks the hash); other
types show a sentence and can be opened with the system's viewer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget


class AttachmentPreviewWidget(QWidget):
    MESSAGE, IMAGE, PDF = 0, 1, 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attachment_preview")
        self._pixmap: QPixmap | None = None
        self._message_key = "none"
        self._build_ui()
        self.retranslate_ui()

    def _build_ui(self) -> None:
        self.stack = QStackedWidget()
        self.message = QLabel(objectName="preview_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.image = QLabel(objectName="preview_image")
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.image)
        self.pdf_document = QPdfDocument(self)
        self.pdf_view = QPdfView(objectName="preview_pdf")
        self.pdf_view.setDocument(self.pdf_document)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        for widget in (self.message, scroll, self.pdf_view):
            self.stack.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

    def retranslate_ui(self) -> None:
        if self._message_key == "none":
            self.message.setText(self.tr("Choose a file to preview it."))
        elif self._message_key == "unsupported":
            self.message.setText(self.tr(
                "No preview for this type of file; open it with the system's viewer."))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)

    @property
    def mode(self) -> int:
        return self.stack.currentIndex()

    def show_nothing(self) -> None:
        self._message_key = "none"
        self.retranslate_ui()
        self.pdf_document.close()
        self.stack.setCurrentIndex(self.MESSAGE)

    def show_unsupported(self) -> None:
        self._message_key = "unsupported"
        self.retranslate_ui()
        self.stack.setCurrentIndex(self.MESSAGE)

    def show_text(self, text: str) -> None:
        """A sentence instead of a preview (e.g. why the file cannot be shown)."""
        self._message_key = "text"
        self.message.setText(text)
        self.stack.setCurrentIndex(self.MESSAGE)

    def show_image(self, data: bytes) -> bool:
        image = QImage.fromData(data)
        if image.isNull():
            self.show_unsupported()
            return False
        self._pixmap = QPixmap.fromImage(image)
        self._scale()
        self.stack.setCurrentIndex(self.IMAGE)
        return True

    def show_pdf(self, path: Path) -> bool:
        self.pdf_document.close()
        error = self.pdf_document.load(str(path))
        if error != QPdfDocument.Error.None_ or self.pdf_document.pageCount() == 0:
            self.show_text(self.tr("This PDF cannot be shown; open it with the system's "
                                   "viewer."))
            return False
        self.stack.setCurrentIndex(self.PDF)
        return True

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._scale()

    def _scale(self) -> None:
        if self._pixmap is None:
            return
        size = self.size().shrunkBy(self.contentsMargins()) * 0.98
        if self._pixmap.width() > size.width() or self._pixmap.height() > size.height():
            self.image.setPixmap(self._pixmap.scaled(
                size, Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation))
        else:
            self.image.setPixmap(self._pixmap)
