"""A SAM card reader on a pseudo-terminal, for tests and demonstrations (POSIX only).

    with ReaderEmulator() as reader:
        reader.place(card)                 # a CardData lying on the reader
        read_card(reader.port)             # the real serial driver, end to end

Behaviours, settable at any time (the emulator thread reads them per request):

- ``place(card)`` / ``remove()``: the card on the reader (none: find answers 80H);
- ``fail[command] = status``: answer ``"find"``, ``"select"``, ``"read"`` or ``"sam"`` with that SW3;
- ``delay``: seconds to wait before each answer (a slow reader);
- ``line_rate``: bytes per second on the wire (11520 is 115200 baud 8N1; None: as fast as the pty goes);
- ``mode``: ``"normal"``, ``"silent"`` (never answers), ``"garbage"`` (answers noise),
  ``"bad_checksum"`` (answers with a wrong CHK), ``"unplug_mid_read"`` (sends part of the read
  answer, then the device disappears).

``requests`` lists every (CMD, PARA) received, in order.
"""

from __future__ import annotations

import os
import random
import select
import threading
import time
import tty
from typing import Any

from window_desk.cardreader import protocol
from window_desk.cardreader.card import CardData, build_photo, build_text

COMMANDS = {protocol.FIND: "find", protocol.SELECT: "select", protocol.READ: "read", protocol.SAM_STATUS: "sam"}
MODES = frozenset({"normal", "silent", "garbage", "bad_checksum", "unplug_mid_read"})


class ReaderEmulator:
    def __init__(self, card: CardData | None = None) -> None:
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        self.port = os.ttyname(self._slave)
        self.fail: dict[str, int] = {}
        self.delay = 0.0
        self.line_rate: float | None = None
        self.mode = "normal"
        self.requests: list[tuple[int, int]] = []
        self.unplugged = threading.Event()
        self._text: bytes | None = None
        self._photo = b""
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._serve, name="reader-emulator", daemon=True)
        if card is not None:
            self.place(card)
        self._thread.start()

    # --- what lies on the reader
    def place(self, card: CardData, *, raw_id_number: str | None = None) -> None:
        """Lay ``card`` on the reader; ``raw_id_number`` writes another number into its text."""
        with self._lock:
            self._text = build_text(card, raw_id_number=raw_id_number)
            self._photo = build_photo(card)

    def place_text(self, text: bytes, photo: bytes = b"\x00" * protocol.PHOTO_LEN) -> None:
        with self._lock:
            self._text, self._photo = text, photo

    def remove(self) -> None:
        with self._lock:
            self._text = None

    # --- lifecycle
    def __enter__(self) -> ReaderEmulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._unplug()

    def _unplug(self) -> None:
        with self._lock:
            for fd in (self._master, self._slave):
                if fd >= 0:
                    try:
                        os.close(fd)
                    except OSError:
                        pass
            self._master = self._slave = -1
        self.unplugged.set()

    # --- the device
    def _serve(self) -> None:
        parser = protocol.FrameParser()
        while not self._stop.is_set() and self._master >= 0:
            try:
                ready, _, _ = select.select([self._master], [], [], 0.05)
                if not ready:
                    continue
                data = os.read(self._master, 4096)
            except OSError:
                return
            if not data:
                continue
            parser.feed(data)
            while (frame := parser.next_frame()) is not None:
                self._answer(frame)
                if self._master < 0:
                    return

    def _write(self, data: bytes) -> None:
        step = 64 if self.line_rate else len(data) or 1
        for i in range(0, len(data), step):
            try:
                os.write(self._master, data[i:i + step])
            except OSError:
                return
            if self.line_rate:
                time.sleep(len(data[i:i + step]) / self.line_rate)

    def _answer(self, frame: bytes) -> None:
        try:
            payload = protocol.decode(frame)
        except protocol.FrameError as exc:
            status = protocol.CHECKSUM_ERROR if exc.checksum else protocol.LENGTH_ERROR
            self._write(protocol.response(status))
            return
        command = (payload[0], payload[1]) if len(payload) >= 2 else (0, 0)
        self.requests.append(command)
        name = COMMANDS.get(command)
        if self.mode == "silent":
            return
        if self.delay:
            time.sleep(self.delay)
        if self.mode == "garbage":
            self._write(bytes(random.Random(len(self.requests)).randrange(256) for _ in range(64)))
            return
        answer = self._response_for(name)
        if self.mode == "bad_checksum":
            answer = answer[:-1] + bytes([answer[-1] ^ 0xFF])
        if self.mode == "unplug_mid_read" and name == "read":
            self._write(answer[: len(answer) // 3])
            time.sleep(0.05)
            self._unplug()
            return
        self._write(answer)

    def _response_for(self, name: str | None) -> bytes:
        if name is None:
            return protocol.response(protocol.BAD_COMMAND)
        if name in self.fail:
            return protocol.response(self.fail[name])
        with self._lock:
            text, photo = self._text, self._photo
        if name == "sam":
            return protocol.response(protocol.OK)
        if text is None:
            return protocol.response(protocol.FIND_FAILED if name == "find" else protocol.SELECT_FAILED
                                     if name == "select" else protocol.READ_FAILED)
        if name == "find":
            return protocol.response(protocol.CARD_FOUND)
        if name == "select":
            return protocol.response(protocol.OK)
        lengths = len(text).to_bytes(2, "big") + len(photo).to_bytes(2, "big")
        return protocol.response(protocol.OK, lengths + text + photo)


def sample_card(**changes: Any) -> CardData:
    """A made-up resident card (valid number, valid for life unless changed)."""
    from datetime import date

    values: dict[str, Any] = {
        "name": "李秀英", "sex": "女", "nation": "汉", "birth_date": date(1949, 12, 31),
        "address": "北京市朝阳区示范街道幸福里小区3号楼2单元101号", "id_number": "11010519491231002X",
        "authority": "北京市公安局朝阳分局", "valid_from": date(2015, 6, 1), "valid_to": None,
        "photo": bytes(range(256)) * 4,
    }
    values.update(changes)
    return CardData(**values)
