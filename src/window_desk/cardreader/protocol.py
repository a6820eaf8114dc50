"""The SAM frame format of spec/idcard.md, both directions.

    AA AA AA 96 69 | LEN_H LEN_L | payload | CHK

LEN (big-endian) counts payload + CHK; CHK is the XOR of every byte from LEN_H
to the byte before CHK. A request payload is CMD PARA [data]; a response
payload is SW1 SW2 SW3 [data], SW3 being the status.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

PREAMBLE = bytes.fromhex("AAAAAA9669")
MAX_LEN = 0x0FFF  # a read answers 0x0508; anything far beyond it is noise, not a frame

# (CMD, PARA) of the requests the driver sends
FIND = (0x20, 0x01)
SELECT = (0x20, 0x02)
READ = (0x30, 0x01)
SAM_STATUS = (0x11, 0xFF)

# SW3 statuses
OK = 0x90
CARD_FOUND = 0x9F
FIND_FAILED = 0x80
SELECT_FAILED = 0x81
READ_FAILED = 0x41
UNKNOWN_CARD = 0x40
NO_CONTENT = 0x91
CHECKSUM_ERROR = 0x10
LENGTH_ERROR = 0x11
BAD_COMMAND = 0x21
UNAUTHORISED = 0x23
AUTH_FAILED = (0x31, 0x32, 0x33)
SAM_SELF_TEST_FAILED = 0x60
SAM_NOT_AUTHORISED = 0x66

STATUS_TEXT: dict[int, str] = {
    OK: "操作成功",
    CARD_FOUND: "找到卡",
    FIND_FAILED: "未找到卡",
    SELECT_FAILED: "选卡失败",
    READ_FAILED: "读卡失败",
    UNKNOWN_CARD: "无法识别的卡类型",
    NO_CONTENT: "卡中无此项内容",
    CHECKSUM_ERROR: "读卡器收到的数据校验和错",
    LENGTH_ERROR: "读卡器收到的数据长度错",
    BAD_COMMAND: "读卡器不支持此命令",
    UNAUTHORISED: "越权操作",
    0x31: "卡认证安全模块失败",
    0x32: "安全模块认证卡失败",
    0x33: "信息验证错误",
    SAM_SELF_TEST_FAILED: "安全模块自检失败",
    SAM_NOT_AUTHORISED: "安全模块没有经过授权",
}

TEXT_LEN = 256
PHOTO_LEN = 1024


class FrameError(ValueError):
    """Bytes that are not a well-formed frame; ``checksum`` tells a bad CHK from other damage."""

    def __init__(self, message: str, *, checksum: bool = False) -> None:
        super().__init__(message)
        self.checksum = checksum


def xor(data: bytes) -> int:
    return reduce(lambda a, b: a ^ b, data, 0)


def encode(payload: bytes) -> bytes:
    """One frame around ``payload``."""
    length = len(payload) + 1
    if length > 0xFFFF:
        raise ValueError("payload too long for a SAM frame")
    body = length.to_bytes(2, "big") + payload
    return PREAMBLE + body + bytes([xor(body)])


def request(command: tuple[int, int], data: bytes = b"") -> bytes:
    return encode(bytes(command) + data)


def response(status: int, data: bytes = b"") -> bytes:
    """A reader's answer: SW1 SW2 are 00 00 in every reader we know."""
    return encode(bytes([0x00, 0x00, status]) + data)


def decode(frame: bytes) -> bytes:
    """The payload of exactly one frame; FrameError if it is not one."""
    if not frame.startswith(PREAMBLE):
        raise FrameError("帧头错误")
    if len(frame) < len(PREAMBLE) + 3:
        raise FrameError("帧过短")
    length = int.from_bytes(frame[5:7], "big")
    if length < 1 or len(frame) != len(PREAMBLE) + 2 + length:
        raise FrameError("帧长度错误")
    body, chk = frame[5:-1], frame[-1]
    if xor(body) != chk:
        raise FrameError("帧校验和错误", checksum=True)
    return frame[7:-1]


@dataclass(frozen=True)
class Response:
    sw1: int
    sw2: int
    status: int
    data: bytes

    @classmethod
    def from_payload(cls, payload: bytes) -> Response:
        if len(payload) < 3:
            raise FrameError("应答过短")
        return cls(payload[0], payload[1], payload[2], payload[3:])


class FrameParser:
    """Incremental parser for a byte stream: feed bytes, take complete frames.

    Bytes before a preamble are skipped (counted in ``skipped``); a length
    beyond MAX_LEN means the preamble was noise and the search goes on.
    """

    def __init__(self) -> None:
        self._buf = bytearray()
        self.skipped = 0

    def feed(self, data: bytes) -> None:
        self._buf += data

    def pending(self) -> int:
        return len(self._buf)

    def in_frame(self) -> bool:
        """True when the bytes kept begin a frame (a preamble was seen), False for noise only."""
        return self._buf.startswith(PREAMBLE)

    def next_frame(self) -> bytes | None:
        """A complete frame (still to be checked with ``decode``), or None if more bytes are needed."""
        while True:
            start = self._buf.find(PREAMBLE)
            if start < 0:
                keep = len(PREAMBLE) - 1  # the tail may be the start of a preamble
                drop = max(0, len(self._buf) - keep)
                self.skipped += drop
                del self._buf[:drop]
                return None
            if start:
                self.skipped += start
                del self._buf[:start]
            if len(self._buf) < len(PREAMBLE) + 2:
                return None
            length = int.from_bytes(self._buf[5:7], "big")
            if length < 1 or length > MAX_LEN:
                self.skipped += 1
                del self._buf[:1]
                continue
            total = len(PREAMBLE) + 2 + length
            if len(self._buf) < total:
                return None
            frame = bytes(self._buf[:total])
            del self._buf[:total]
            return frame
