"""Second-generation ID card readers (no Qt here).

``read_card(port, timeout)`` is the one entry point: it returns a ``CardData``
or raises ``CardReaderError`` with a ``kind`` and a Chinese message.

``port`` is a serial device (``/dev/ttyUSB0``, ``COM3``), a vendor driver
(``termb:1001``, ``sdtapi:1001`` — Windows only), or None to look for a reader:
every serial port is asked for its SAM status, then the vendor DLLs present
are tried.
"""

from __future__ import annotations

import time

from window_desk.cardreader.card import NATIONS, CardData, parse_text
from window_desk.cardreader.errors import KINDS, CardReaderError

__all__ = ["KINDS", "NATIONS", "CardData", "CardReaderError", "parse_text", "read_card"]


def read_card(port: str | None = None, timeout: float = 5.0) -> CardData:
    """Read the card lying on the reader (find → select → read) within ``timeout`` seconds."""
    from window_desk.cardreader import serial_driver, windows_driver

    if timeout <= 0:
        raise ValueError("timeout must be positive")
    start = time.monotonic()
    if port is None or not port.strip():
        port = serial_driver.detect_port(timeout=min(timeout, serial_driver.PROBE_TIMEOUT_S))
        if port is None:
            dlls = windows_driver.available()
            if not dlls:
                raise CardReaderError("not_connected", "未检测到身份证读卡器，请检查连接线，或在“设置”中选择端口")
            port = dlls[0].removesuffix(".dll")
    port = port.strip()
    if windows_driver.is_dll_port(port):
        return windows_driver.driver_for(port).read_card()
    remaining = max(0.1, timeout - (time.monotonic() - start))
    with serial_driver.SerialReader(port, timeout=remaining) as reader:
        return reader.read_card()
