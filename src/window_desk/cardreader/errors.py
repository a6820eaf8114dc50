"""The one error every card-reader driver raises."""

from __future__ import annotations

from window_desk.errors import UserError

# kind → what the clerk is told (the message may add a detail after it)
KINDS: dict[str, str] = {
    "no_card": "请放卡",
    "read_failed": "读卡失败",
    "not_connected": "读卡器未连接",
    "checksum": "校验失败",
    "timeout": "读卡器无应答",
}


class CardReaderError(UserError):
    """Reading a card did not give a usable card. ``kind`` is one of ``KINDS``;
    ``str()`` is a Chinese message for the clerk (never containing card data)."""

    def __init__(self, kind: str, detail: str = "") -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown card reader error kind {kind!r}")
        message = KINDS[kind] + (f"：{detail}" if detail else "")
        super().__init__(message)
        self.kind = kind
        self.detail = detail
