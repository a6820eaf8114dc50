"""Reading an ID card from the desk, off the GUI thread.

``CardReading.read(owner, on_card, on_error)`` reads the port chosen in 设置 for
this PC (or detects one) on the TaskRunner and calls back on the GUI thread with
a ``CardData`` or a Chinese message (请放卡, 读卡失败, 读卡器未连接, 校验失败…).
A second request while a read is running is ignored.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from window_desk.cardreader import CardData, CardReaderError, read_card
from window_desk.services import settings
from window_desk.ui.context import DeskContext

DESK_TIMEOUT_S = 3.0  # the clerk lays the card down first, then presses F2


class CardReading:
    def __init__(self, ctx: DeskContext, timeout: float = DESK_TIMEOUT_S) -> None:
        self.ctx = ctx
        self.timeout = timeout
        self.busy = False

    def read(self, owner: QWidget, on_card: Callable[[CardData], None], on_error: Callable[[str], None]) -> bool:
        """Start a read; False when one is already running."""
        if self.busy:
            return False
        self.busy = True
        ctx, timeout = self.ctx, self.timeout

        def work() -> CardData:
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
            on_error("读卡失败:程序内部错误,请手工录入")
            return False  # a bug: the runner's handler reports it too

        ctx.tasks.run(work, on_done=done, on_error=failed, owner=owner)
        return True
