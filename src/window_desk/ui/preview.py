"""Preview before printing (pages drawn by pdfium), print through the system dialog, save as PDF or Word."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRect, QSettings, QSize, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QGuiApplication,
    QImage,
    QKeySequence,
    QPageLayout,
    QPainter,
    QPixmap,
    QShortcut,
)
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

from window_desk.ui.printing import MAX_RASTER_DPI, PrintJob, PrintResult, job_from_printer, send

# The preview's size is remembered per desk (QSettings), within the screen it opens on.
_SIZE_KEY = "preview/size"


class PdfPages:
    """A PDF in memory, rendered page by page with pdfium (thread-safe per instance)."""

    def __init__(self, data: bytes) -> None:
        try:
            self._doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            raise RuntimeError(f"PDF 无法打开：{exc}") from exc

    def pageCount(self) -> int:  # noqa: N802 - the name QPdfDocument used, kept for callers
        return len(self._doc)

    def page_points(self, index: int) -> tuple[float, float]:
        return self._doc[index].get_size()

    def render(self, index: int, dpi: float, *, grayscale: bool = False) -> QImage:
        """The page as an image at ``dpi``, straight from pdfium's buffer (no PIL round trip)."""
        page = self._doc[index]
        bitmap = page.render(scale=dpi / 72, rev_byteorder=True, grayscale=grayscale)
        formats = {"L": QImage.Format.Format_Grayscale8, "RGB": QImage.Format.Format_RGB888,
                   "RGBX": QImage.Format.Format_RGBX8888, "RGBA": QImage.Format.Format_RGBA8888}
        if bitmap.mode not in formats:
            raise RuntimeError(f"PDF 页面格式 {bitmap.mode} 无法显示")
        image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, formats[bitmap.mode])
        return image.copy()  # own the pixels: pdfium's buffer goes with the bitmap

    def close(self) -> None:
        self._doc.close()


def load_pdf(data: bytes) -> PdfPages:
    return PdfPages(data)


def print_pdf(data: bytes, printer: QPrinter) -> int:
    """Paint the pages onto ``printer`` at its resolution (at most MAX_RASTER_DPI), one page rendered at a
    time; returns the pages per copy. Only for printers that take nothing but a raster (Windows GDI).

    Runs on a worker thread: it opens its own document there.
    """
    document = load_pdf(data)
    if document.pageCount():
        width, height = document.page_points(0)
        # The paper turns with the document (the daily register is landscape), and the page is painted
        # onto the whole sheet: the PDF carries its own margins, so it prints at its true size.
        printer.setPageOrientation(QPageLayout.Orientation.Landscape if width > height
                                   else QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        document.close()
        raise RuntimeError("打印机无法开始打印")
    try:
        dpi = min(printer.resolution(), MAX_RASTER_DPI)
        gray = printer.colorMode() == QPrinter.ColorMode.GrayScale  # a quarter of the pixels to send
        copies = 1 if printer.supportsMultipleCopies() else printer.copyCount()
        pages = list(range(document.pageCount()))
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            last = printer.toPage() or printer.fromPage()
            pages = [p for p in pages if printer.fromPage() - 1 <= p <= last - 1]
        first = True
        for _copy in range(copies):
            for page in pages:
                if not first:
                    printer.newPage()
                first = False
                image = document.render(page, dpi, grayscale=gray)
                target = painter.viewport()
                scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(QRect(target.topLeft(), scaled), image)
                del image
        return len(pages)
    finally:
        painter.end()
        document.close()


def _desk_settings() -> QSettings:
    """Window sizes and such, in an INI file in the desk's data folder (not the registry or ~/.config)."""
    from window_desk.paths import data_dir

    return QSettings(str(data_dir() / "desk-ui.ini"), QSettings.Format.IniFormat)


class PreviewDialog(QDialog):
    """Shows a PDF; Ctrl+P prints, Ctrl+S saves the PDF, Ctrl+W saves as Word (when offered)."""

    sig_printed = Signal(object)
    """Emitted with the PrintResult (route, pages, copies, printer) when a print job has been handed over."""

    sig_print_failed = Signal(str)
    """Emitted with the message when a print job failed."""

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
        self.print_jobs = 0  # jobs finished (handed to the print system or written), for callers and tests
        self.last_job: PrintJob | None = None
        self.document = load_pdf(pdf)

        self.view = QScrollArea(self)
        self.view.setObjectName("pdf_view")
        self.view.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        pages = QWidget()
        column = QVBoxLayout(pages)
        dpi = 96 * self.devicePixelRatioF()
        self._page_width = 0
        for index in range(self.document.pageCount()):
            label = QLabel()
            pixmap = QPixmap.fromImage(self.document.render(index, dpi))
            pixmap.setDevicePixelRatio(self.devicePixelRatioF())
            self._page_width = max(self._page_width, round(pixmap.width() / self.devicePixelRatioF()))
            label.setPixmap(pixmap)
            label.setStyleSheet("background: white; border: 1px solid #999;")
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
        self.view.setWidget(pages)

        self.info = QLabel(f"{title} · 共 {self.document.pageCount()} 页")
        self.info.setObjectName("preview_info")
        self.info.setWordWrap(True)
        self.print_button = QPushButton("打印（Ctrl+P）…")
        self.print_button.setObjectName("print_button")
        self.save_button = QPushButton("另存为 PDF（Ctrl+S）")
        self.word_button = QPushButton("另存为 Word（Ctrl+W）")
        self.word_button.setVisible(word is not None)
        close = QPushButton("关闭")
        bar = QHBoxLayout()
        bar.addWidget(self.info, 1)
        for b in (self.print_button, self.save_button, self.word_button, close):
            bar.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)

        self.print_button.clicked.connect(lambda _checked=False: self.print_document())
        self.save_button.clicked.connect(lambda _checked=False: self.save_pdf())
        self.word_button.clicked.connect(lambda _checked=False: self.save_word())
        close.clicked.connect(self.accept)
        for keys, slot in (("Ctrl+P", self.print_document), ("Ctrl+S", self.save_pdf), ("Ctrl+W", self.save_word)):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        self.fit_to_screen()

    # --- size -----------------------------------------------------------------------------------------

    def fit_to_screen(self) -> None:
        """The remembered size (or a page's width and most of the height), never more than the screen's
        available area (taskbar excluded), centred on the screen the dialog opens on."""
        parent = self.parentWidget()
        screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        saved = _desk_settings().value(_SIZE_KEY)
        if isinstance(saved, QSize) and saved.isValid():
            wanted = saved
        else:
            wanted = QSize(self._page_width + 60, round(area.height() * 0.92))
        frame = 40  # title bar and borders the window manager adds
        size = QSize(min(wanted.width(), area.width() - 16), min(wanted.height(), area.height() - frame))
        self.setMaximumSize(area.size())
        self.resize(size)
        self.move(area.x() + (area.width() - size.width()) // 2, area.y() + max(0, (area.height() - frame - size.height()) // 2))

    def done(self, result: int) -> None:  # closing by a button, Esc or the window's ×
        _desk_settings().setValue(_SIZE_KEY, self.size())
        super().done(result)
        self.document.close()  # the pages are drawn; a print job opens its own copy
        # A day at the window opens a hundred previews: free each one's page images when it closes
        # (a print job still running holds its own copy of the PDF and its own callback owner).
        self.deleteLater()

    def closeEvent(self, event: QCloseEvent) -> None:
        _desk_settings().setValue(_SIZE_KEY, self.size())
        super().closeEvent(event)

    # --- printing -------------------------------------------------------------------------------------

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setCopyCount(self.copies)
        printer.setDocName(self.suggested_name)
        printer.setFromTo(1, self.document.pageCount())
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("打印")
        dialog.setMinMax(1, self.document.pageCount())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.send_to_printer(printer)

    def send_to_printer(self, printer: QPrinter) -> None:
        """Hand the document to the printer the dialog chose: the PDF itself to CUPS or a file, a raster
        only for a printer that needs one; on a worker thread either way."""
        job = job_from_printer(printer, title=self.suggested_name, page_count=self.document.pageCount())
        self.last_job = job
        self.print_button.setEnabled(False)
        self.info.setText("正在打印…")
        data = self.pdf
        pages = self.document.pageCount()

        def finished(result: PrintResult) -> None:
            self.printed_pages = result.pages * result.copies
            self.print_jobs += 1
            self.print_button.setEnabled(True)
            if result.route == "file":
                self.info.setText(f"已保存为 PDF：{result.printer}")
            else:
                self.info.setText(f"已送打印机：{result.pages} 页 × {result.copies} 份")
            self.sig_printed.emit(result)

        def failed(exc: BaseException) -> bool:
            self.print_button.setEnabled(True)
            self.info.setText("打印失败")
            self.sig_print_failed.emit(str(exc))
            QMessageBox.warning(self, "打印失败", str(exc))
            return True

        # The printer object is kept alive by the closure until the job is done.
        self.tasks.run(lambda: send(data, job, printer, pages, print_pdf), on_done=finished, on_error=failed,
                       owner=self)

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

        self.tasks.run(write, on_done=lambda p: self.info.setText(f"已保存：{p}"), owner=self)
