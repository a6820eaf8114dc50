"""Reading an ID card from the desk, off the GUI thread.

``CardReading.read(owner, on_card, on_error)`` reads the port chosen in 设置 for
this PC (or detects one) on the TaskRunner and calls back on the GUI thread with
a ``CardData`` or a Chinese message （请放卡，读卡失败，读卡器未连接，校验失败…）.
A second request while a read is running is ignored. ``CardReaderControl`` is the
读卡（F2） button and message line a page shows, around one ``CardReading``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from window_desk.cardreader import CardData, CardReaderError, read_card
from window_desk.services import settings
from window_desk.ui.context import DeskContext
from window_desk.ui.pages.base import Page

DESK_TIMEOUT_S = 3.0  # the clerk lays the card down first, then presses F2


class CardReading:
    def __init__(self, ctx: DeskContext, timeout: float = DESK_TIMEOUT_S) -> None:
        self.ctx = ctx
        self.timeout = timeout
        self.busy = False
        # None: the port saved in 设置 for this PC; a string ("" = detect): that port (the settings page's test)
        self.port_override: str | None = None

    def read(self, owner: QWidget, on_card: Callable[[CardData], None], on_error: Callable[[str], None]) -> bool:
        """Start a read; False when one is already running."""
        if self.busy:
            return False
        self.busy = True
        ctx, timeout, override = self.ctx, self.timeout, self.port_override

        def work() -> CardData:
            port = override
            if port is None:
                with ctx.uow(write=False) as uow:
                    port = settings.get_card_reader_port(uow)
            return read_card(port or None, timeout=timeout)

        def done(card: CardData) -> None:
            self.busy = False
            on_card(card)

        def failed(exc: BaseException) -> bool:
            self.busy = False
            if isinstance(exc, CardReaderError):
                on_error(str(exc))
                return True
            on_error("读卡失败：程序内部错误，请手工录入")
            return False  # a bug: the runner's handler reports it too

        ctx.tasks.run(work, on_done=done, on_error=failed, owner=owner)
        return True


class CardReaderControl:
    """The 读卡（F2） button and the message line of a page: a read puts the card in with ``fill``
    (which returns what was done, in Chinese); a card's warning (expired) and every error are shown."""

    def __init__(self, ctx: DeskContext, owner: QWidget, fill: Callable[[CardData], str]) -> None:
        self.owner = owner
        self.fill = fill
        self.reading = CardReading(ctx)
        self.status = QLabel()
        self.status.setObjectName("card_status")
        self.status.setWordWrap(True)
        self.button = QPushButton("读卡（F2）")
        self.button.setObjectName("card_button")
        self.button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.button.clicked.connect(self.read)

    def read(self) -> None:
        if not self.reading.read(self.owner, self._read, self._failed):
            return
        self.status.setStyleSheet("")
        self.status.setText("正在读卡……")

    def _read(self, card: CardData) -> None:
        done = self.fill(card)
        if card.warning:
            self.status.setStyleSheet("color: #8a6d00;")
            self.status.setText(f"{done}。⚠ {card.warning}")
        else:
            self.status.setStyleSheet("color: #1b5e20;")
            self.status.setText(done)

    def _failed(self, message: str) -> None:
        self.status.setStyleSheet("color: #b00020;")
        self.status.setText(f"{message}（也可直接手工录入）")


class CardReaderSettingsBox(QGroupBox):
    """设置 › 读卡器（本机）：自动检测 or one listed port (or a typed one: ``termb:1001``), saved per PC;
    a test read shows whether the reader answers."""

    AUTO_LABEL = "自动检测"

    def __init__(self, page: Page) -> None:
        super().__init__("身份证读卡器（本机）")
        self.page = page
        self.setObjectName("card_reader_box")
        form = QFormLayout(self)
        self.port = QComboBox()
        self.port.setObjectName("card_reader_port")
        self.port.setEditable(True)
        self.port.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.port.setMinimumWidth(320)
        self.port.addItem(self.AUTO_LABEL, "")
        self.refresh_button = QPushButton("刷新端口列表")
        self.refresh_button.setObjectName("card_reader_refresh")
        self.test_button = QPushButton("测试读卡")
        self.test_button.setObjectName("card_reader_test")
        self.save_button = QPushButton("保存读卡器设置")
        self.save_button.setObjectName("card_reader_save")
        buttons = QHBoxLayout()
        for button in (self.refresh_button, self.test_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.message = QLabel("放好身份证后在受理页面按 F2 读卡；端口可选列出的串口，或输入 termb:1001 / sdtapi:1001（Windows 厂商驱动）。")
        self.message.setObjectName("card_reader_message")
        self.message.setWordWrap(True)
        form.addRow("读卡器端口", self.port)
        form.addRow("", buttons)
        form.addRow("", self.message)
        self.reading = CardReading(page.ctx)
        self.refresh_button.clicked.connect(self.refresh)
        self.save_button.clicked.connect(self.save)
        self.test_button.clicked.connect(self.test_read)

    def chosen_port(self) -> str:
        text = self.port.currentText().strip()
        index = self.port.findText(text)
        if index >= 0:
            return str(self.port.itemData(index) or "")
        return "" if text == self.AUTO_LABEL else text

    def refresh(self) -> None:
        ctx = self.page.ctx

        def read() -> tuple[str, list[tuple[str, str]]]:
            from window_desk.cardreader.serial_driver import described_ports

            with ctx.uow(write=False) as uow:
                current = settings.get_card_reader_port(uow)
            return current, described_ports()

        self.page.run_task(read, on_done=self._show)

    def _show(self, data: tuple[str, list[tuple[str, str]]]) -> None:
        current, ports = data
        self.port.clear()
        self.port.addItem(self.AUTO_LABEL, "")
        for device, description in ports:
            self.port.addItem(f"{device}（{description}）" if description else device, device)
        if current and self.port.findData(current) < 0:
            self.port.addItem(current, current)  # chosen earlier, not plugged in now
        self.port.setCurrentIndex(max(0, self.port.findData(current)))

    def save(self) -> None:
        port = self.chosen_port()

        def write() -> bool:
            with self.page.ctx.uow() as uow:
                return settings.set_card_reader_port(uow, port)

        def done(changed: bool) -> None:
            shown = port or self.AUTO_LABEL
            self.message.setText(f"读卡器端口已保存：{shown}" if changed else f"读卡器端口未修改：{shown}")

        self.page.run_task(write, on_done=done)

    def test_read(self) -> None:
        port = self.chosen_port()
        self.message.setText("正在读卡……")
        self.reading.port_override = port
        self.reading.read(self, lambda card: self.message.setText(f"读卡器正常：读到{card.name}的证件"),
                          lambda text: self.message.setText(text))
