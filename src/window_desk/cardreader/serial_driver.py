"""Serial / USB-CDC readers speaking the SAM protocol, on pyserial (115200 8N1).

One read is find → select → read, each a request frame and one answer frame,
all within one overall deadline. The port is opened for the read and closed
after it, so a reader plugged into another socket is found on the next read.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

import serial
from serial.tools import list_ports

from window_desk.cardreader import protocol
from window_desk.cardreader.card import CardData, parse_text
from window_desk.cardreader.errors import CardReaderError

log = logging.getLogger(__name__)

BAUDRATE = 115200
POLL_S = 0.02  # pyserial read timeout inside the deadline loop
PROBE_TIMEOUT_S = 0.5  # per port, when looking for a reader
FIND_TRIES = 2  # readers often miss a card just laid down on the first find

# SW3 of a failed read → (kind, detail)
_READ_FAILURES: dict[int, str] = {
    protocol.FIND_FAILED: "no_card",
    protocol.SELECT_FAILED: "read_failed",
    protocol.READ_FAILED: "read_failed",
    protocol.UNKNOWN_CARD: "read_failed",
    protocol.NO_CONTENT: "read_failed",
    protocol.CHECKSUM_ERROR: "checksum",
    protocol.LENGTH_ERROR: "read_failed",
    protocol.BAD_COMMAND: "read_failed",
    protocol.UNAUTHORISED: "read_failed",
    0x31: "read_failed",
    0x32: "read_failed",
    0x33: "read_failed",
    protocol.SAM_SELF_TEST_FAILED: "read_failed",
    protocol.SAM_NOT_AUTHORISED: "read_failed",
}


def status_error(status: int) -> CardReaderError:
    """The error for a reader status that is not success."""
    kind = _READ_FAILURES.get(status, "read_failed")
    if kind == "no_card":
        return CardReaderError("no_card", "读卡器上没有身份证，请将身份证放在读卡器上")
    text = protocol.STATUS_TEXT.get(status, "未知状态")
    return CardReaderError(kind, f"{text}（状态码 {status:02X}H）")


class SerialReader:
    """One open port. Use as a context manager; every method honours ``deadline``
    (a ``time.monotonic()`` value) and raises ``CardReaderError``."""

    def __init__(self, port: str, *, timeout: float = 5.0) -> None:
        self.port = port
        self.deadline = time.monotonic() + timeout
        try:
            self._serial = serial.Serial(
                port, BAUDRATE, bytesize=serial.EIGHTBITS, parity=serial.PARITY_NONE,
                stopbits=serial.STOPBITS_ONE, timeout=POLL_S, write_timeout=max(timeout, 0.1),
            )
        except (serial.SerialException, OSError, ValueError) as exc:
            raise CardReaderError("not_connected", f"无法打开端口 {port}") from exc

    def __enter__(self) -> SerialReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        try:
            self._serial.close()
        except (serial.SerialException, OSError):
            pass

    def transact(self, command: tuple[int, int]) -> protocol.Response:
        """Send one request and wait for its answer until the deadline."""
        try:
            self._serial.reset_input_buffer()
            self._serial.write(protocol.request(command))
            self._serial.flush()
        except serial.SerialTimeoutException as exc:
            raise CardReaderError("timeout", "读卡器不接收命令") from exc
        except (serial.SerialException, OSError) as exc:
            raise CardReaderError("not_connected", "读卡器已断开") from exc
        parser = protocol.FrameParser()
        received = 0
        while True:
            frame = parser.next_frame()
            if frame is not None:
                try:
                    return protocol.Response.from_payload(protocol.decode(frame))
                except protocol.FrameError as exc:
                    if exc.checksum:
                        raise CardReaderError("checksum", "读卡器应答的数据校验和不符，请重新读卡") from exc
                    raise CardReaderError("read_failed", "读卡器应答格式错误") from exc
            if time.monotonic() >= self.deadline:
                if received == 0:
                    raise CardReaderError("timeout", f"端口 {self.port} 上的读卡器在限定时间内没有应答")
                parser.next_frame()  # drop what is surely noise
                if not parser.in_frame():
                    raise CardReaderError("read_failed", "读卡器应答无法识别（端口上可能不是身份证读卡器）")
                raise CardReaderError("timeout", "读卡器应答不完整，请重新读卡")
            try:
                chunk = self._serial.read(max(1, self._serial.in_waiting or 1))
            except (serial.SerialException, OSError) as exc:
                raise CardReaderError("not_connected", "读卡器在读卡中途断开") from exc
            if chunk:
                received += len(chunk)
                parser.feed(chunk)

    def sam_status(self) -> bool:
        return self.transact(protocol.SAM_STATUS).status == protocol.OK

    def find(self) -> None:
        for attempt in range(FIND_TRIES):
            status = self.transact(protocol.FIND).status
            if status == protocol.CARD_FOUND:
                return
            if status != protocol.FIND_FAILED or attempt == FIND_TRIES - 1:
                raise status_error(status)
            time.sleep(0.05)

    def select(self) -> None:
        status = self.transact(protocol.SELECT).status
        if status != protocol.OK:
            raise status_error(status)

    def read(self) -> CardData:
        answer = self.transact(protocol.READ)
        if answer.status != protocol.OK:
            raise status_error(answer.status)
        data = answer.data
        if len(data) < 4:
            raise CardReaderError("read_failed", "读卡器应答中没有证件信息")
        text_len = int.from_bytes(data[0:2], "big")
        photo_len = int.from_bytes(data[2:4], "big")
        if text_len != protocol.TEXT_LEN or len(data) != 4 + text_len + photo_len:
            raise CardReaderError("read_failed", "读卡器应答中的证件信息长度不符")
        return parse_text(data[4:4 + text_len], data[4 + text_len:])

    def read_card(self) -> CardData:
        self.find()
        self.select()
        return self.read()


def candidate_ports() -> list[str]:
    """Serial ports the system lists, USB ones first (desk readers are USB-serial)."""
    ports = list(list_ports.comports())
    ports.sort(key=lambda p: (p.vid is None, p.device))
    return [p.device for p in ports]


def described_ports() -> list[tuple[str, str]]:
    """(device, description) of every serial port the system lists, for the settings page."""
    ports = sorted(list_ports.comports(), key=lambda p: (p.vid is None, p.device))
    return [(p.device, p.description if p.description and p.description != "n/a" else "") for p in ports]


def probe(port: str, timeout: float = PROBE_TIMEOUT_S) -> bool:
    """True when a SAM reader answers its status request on ``port``."""
    try:
        with SerialReader(port, timeout=timeout) as reader:
            return reader.sam_status()
    except CardReaderError:
        return False


def detect_port(candidates: Iterable[str] | None = None, timeout: float = PROBE_TIMEOUT_S) -> str | None:
    """The first port whose device answers the SAM status request, or None."""
    for port in candidate_ports() if candidates is None else candidates:
        if probe(port, timeout):
            log.info("card reader found on %s", port)
            return port
    return None
