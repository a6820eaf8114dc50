"""Preview before printing (pages drawn by pdfium), print through the system dialog, save as PDF or Word."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from window_desk.ui.tasks import TaskRunner

# Printers that take a raster (Windows GDI) need no more than this to print text sharply;
# 1200 dpi made one A4 page take ~16 s.
MAX_RASTER_DPI = 600


class PdfPages:
    """A PDF in memory, rendered page by page with pdfium (thread-safe per instance)."""

    def __init__(self, data: bytes) -> None:
        try:
            self._doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise RuntimeError(f"PDF 无法打开:{exc}") from exc

    def pageCount(self) -> int:  # noqa: N802 - the name QPdfDocument used, kept for callers
        return len(self._doc)

    def page_points(self, index: int) -> tuple[float, float]:
        return self._doc[index].get_size()

    def render(self, index: int, dpi: float) -> QImage:
        page = self._doc[index]
        bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
        pil = bitmap.to_pil().convert("RGBA")
        image = QImage(pil.tobytes("raw", "RGBA"), pil.width, pil.height, QImage.Format.Format_RGBA8888)
        return image.copy()  # own the pixels: the PIL buffer goes away

    def close(self) -> None:
        self._doc.close()


def load_pdf(data: bytes) -> PdfPages:
    return PdfPages(data)


def print_pdf(data: bytes, printer: QPrinter) -> int:
    """Paint every page onto ``printer`` at its resolution (at most MAX_RASTER_DPI); returns the pages printed.

    Runs on a worker thread: it opens its own document there.
    """
    document = load_pdf(data)
    painter = QPainter()
    if not painter.begin(printer):
        raise RuntimeError("打印机无法开始打印")
    try:
        dpi = min(printer.resolution(), MAX_RASTER_DPI)
        copies = 1 if printer.supportsMultipleCopies() else printer.copyCount()
        pages = document.pageCount()
        for copy in range(copies):
            for page in range(pages):
                if copy or page:
                    printer.newPage()
                image = document.render(page, dpi)
                target = painter.viewport()
                scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(target.x(), target.y(), image.scaled(scaled, Qt.AspectRatioMode.KeepAspectRatio,
                                                                        Qt.TransformationMode.SmoothTransformation))
        return pages * copies
    finally:
        painter.end()
        document.close()


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
        self.document = load_pdf(pdf)

        self.view = QScrollArea(self)
        self.view.setObjectName("pdf_view")
        self.view.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        pages = QWidget()
        column = QVBoxLayout(pages)
        dpi = 96 * self.devicePixelRatioF()
        for index in range(self.document.pageCount()):
            label = QLabel()
            pixmap = QPixmap.fromImage(self.document.render(index, dpi))
            pixmap.setDevicePixelRatio(self.devicePixelRatioF())
            label.setPixmap(pixmap)
            label.setStyleSheet("background: white; border: 1px solid #999;")
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        self.view.setWidget(pages)

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
