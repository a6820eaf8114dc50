"""Preview before printing (QtPdf), print through the system dialog, save as PDF or Word."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QKeySequence, QPainter, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from window_desk.ui.tasks import TaskRunner


def load_pdf(data: bytes, parent: QWidget | None = None) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over bytes in memory (the buffer must outlive the document)."""
    buffer = QBuffer(parent)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument(parent)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise RuntimeError(f"PDF could not be loaded: {document.error()}")
    return document, buffer


def print_pdf(data: bytes, printer: QPrinter) -> int:
    """Paint every page onto ``printer`` at its resolution; returns the pages printed.

    Runs on a worker thread: it makes its own QPdfDocument there.
    """
    document, _buffer = load_pdf(data)
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("打印机无法开始打印")
    try:
        dpi = printer.resolution()
        copies = 1 if printer.supportsMultipleCopies() else printer.copyCount()
        pages = document.pageCount()
        for copy in range(copies):
            for page in range(pages):
                if copy or page:
                    printer.newPage()
                points = document.pagePointSize(page)
                size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
                image = document.render(page, size)
                target = painter.viewport()
                scaled = size.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(target.x(), target.y(), image.scaled(scaled, Qt.AspectRatioMode.KeepAspectRatio,
                                                                        Qt.TransformationMode.SmoothTransformation))
        return pages * copies
    finally:
        painter.end()


class PreviewDialog(QDialog):
    """Shows a PDF; Ctrl+P prints, Ctrl+S saves the PDF, Ctrl+W saves as Word (when offered)."""

    def __init__(self, pdf: bytes, title: str, tasks: TaskRunner, *, suggested_name: str,
                 word: Callable[[], bytes] | None = None, copies: int = 1, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"预览 — {title}")
        self.pdf = pdf
        self.tasks = tasks
        self.suggested_name = suggested_name
        self.word = word
        self.copies = copies
        self.printed_pages = 0
        self.document, self._buffer = load_pdf(pdf, self)

        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.info = QLabel(f"{title} · 共 {self.document.pageCount()} 页")
        self.print_button = QPushButton("打印… (Ctrl+P)")
        self.print_button.setObjectName("print_button")
        self.save_button = QPushButton("另存为 PDF (Ctrl+S)")
        self.word_button = QPushButton("另存为 Word (Ctrl+W)")
        self.word_button.setVisible(word is not None)
        close = QPushButton("关闭")
        bar = QHBoxLayout()
        bar.addWidget(self.info, 1)
        for b in (self.print_button, self.save_button, self.word_button, close):
            bar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)

        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_pdf)
        self.word_button.clicked.connect(self.save_word)
        close.clicked.connect(self.accept)
        for keys, slot in (("Ctrl+P", self.print_document), ("Ctrl+S", self.save_pdf), ("Ctrl+W", self.save_word)):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        self.resize(900, 1000)

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setCopyCount(self.copies)
        printer.setDocName(self.suggested_name)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.send_to_printer(printer)

    def send_to_printer(self, printer: QPrinter) -> None:
        self.print_button.setEnabled(False)
        self.info.setText("正在打印…")
        data = self.pdf

        def done(pages: int) -> None:
            self.printed_pages = pages
            self.print_button.setEnabled(True)
            self.info.setText(f"已送打印机:{pages} 页")

        def failed(exc: BaseException) -> bool:
            self.print_button.setEnabled(True)
            self.info.setText("打印失败")
            QMessageBox.warning(self, "打印失败", str(exc))
            return True

        # The printer object is kept alive by the closure until the job is done.
        self.tasks.run(lambda: print_pdf(data, printer), on_done=done, on_error=failed, owner=self)

    def save_pdf(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "另存为 PDF", f"{self.suggested_name}.pdf", "PDF (*.pdf)")
        if path:
            self._write(path, lambda: self.pdf)

    def save_word(self) -> None:
        if self.word is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "另存为 Word", f"{self.suggested_name}.docx", "Word (*.docx)")
        if path:
            self._write(path, self.word)

    def _write(self, path: str, produce: Callable[[], bytes]) -> None:
        def write() -> str:
            Path(path).write_bytes(produce())
            return path

        self.tasks.run(write, on_done=lambda p: self.info.setText(f"已保存:{p}"), owner=self)
