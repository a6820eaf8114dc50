"""SAM frames, the card's text block, the nation table, the vendor drivers (with stand-in DLLs)."""

from __future__ import annotations

import ctypes
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from window_desk.cardreader import protocol, windows_driver
from window_desk.cardreader.card import NATIONS, build_photo, build_text, parse_text
from window_desk.cardreader.emulator import sample_card
from window_desk.cardreader.errors import CardReaderError


def test_request_frames_are_those_of_the_spec() -> None:
    assert protocol.request(protocol.FIND).hex(" ") == "aa aa aa 96 69 00 03 20 01 22"
    assert protocol.request(protocol.SELECT).hex(" ") == "aa aa aa 96 69 00 03 20 02 21"
    assert protocol.request(protocol.READ).hex(" ") == "aa aa aa 96 69 00 03 30 01 32"
    assert protocol.request(protocol.SAM_STATUS).hex(" ") == "aa aa aa 96 69 00 03 11 ff ed"


def test_read_answer_is_1295_bytes_with_len_0508() -> None:
    card = sample_card()
    text, photo = build_text(card), build_photo(card)
    frame = protocol.response(protocol.OK, b"\x01\x00\x04\x00" + text + photo)
    assert len(frame) == 1295
    assert frame[5:7] == b"\x05\x08"
    answer = protocol.Response.from_payload(protocol.decode(frame))
    assert answer.status == 0x90 and answer.data[4:260] == text


@given(st.binary(min_size=0, max_size=2000))
def test_encode_decode_round_trip(payload: bytes) -> None:
    assert protocol.decode(protocol.encode(payload)) == payload


@given(st.binary(min_size=1, max_size=300), st.integers(min_value=0), st.integers(min_value=1, max_value=255))
def test_any_flipped_byte_is_caught(payload: bytes, where: int, flip: int) -> None:
    frame = bytearray(protocol.encode(payload))
    i = 5 + where % (len(frame) - 5)  # somewhere in LEN, payload or CHK
    frame[i] ^= flip
    with pytest.raises(protocol.FrameError):
        protocol.decode(bytes(frame))


def test_parser_skips_noise_and_splits_a_stream() -> None:
    a, b = protocol.response(0x9F), protocol.response(0x90, b"xyz")
    stream = b"\x00\xaa\xaa\x13" + a + b"\xaa\xaa\xaa\x96\x69\xff\xff" + b
    parser = protocol.FrameParser()
    frames = []
    for i in range(len(stream)):  # byte by byte, as a slow line delivers them
        parser.feed(stream[i:i + 1])
        while (f := parser.next_frame()) is not None:
            frames.append(f)
    assert frames == [a, b]
    assert parser.skipped == 4 + 7


def test_text_block_round_trip() -> None:
    card = sample_card(valid_to=date(2035, 6, 1))
    text = build_text(card)
    assert len(text) == 256
    assert text[0:6].decode("utf-16-le") == "李秀英"
    assert text[248:250] == b" \x00"
    assert parse_text(text, card.photo) == card


def test_permanent_card_has_no_valid_to() -> None:
    card = parse_text(build_text(sample_card()), b"")
    assert card.valid_to is None and not card.expired and card.warning is None
    assert card.to_json()["valid_to"] is None


def test_expired_card_is_flagged() -> None:
    card = parse_text(build_text(sample_card(valid_from=date(2005, 1, 1), valid_to=date(2025, 1, 1))), b"")
    assert card.expired
    assert card.expired_on(date(2025, 1, 2)) and not card.expired_on(date(2025, 1, 1))
    assert card.warning is not None and "已过有效期" in card.warning and "2025-01-01" in card.warning
    assert card.to_json()["expired"] is True


def test_wrong_check_digit_is_refused() -> None:
    text = build_text(sample_card(), raw_id_number="110105194912310021")
    with pytest.raises(CardReaderError) as err:
        parse_text(text, b"")
    assert err.value.kind == "checksum" and "校验" in str(err.value)


def test_birth_date_disagreeing_with_number_is_refused() -> None:
    with pytest.raises(CardReaderError) as err:
        parse_text(build_text(sample_card(birth_date=date(1949, 12, 30))), b"")
    assert err.value.kind == "checksum"


def test_nation_table_is_gb3304() -> None:
    assert len(NATIONS) == 56
    assert list(NATIONS) == [f"{i:02d}" for i in range(1, 57)]
    assert (NATIONS["01"], NATIONS["03"], NATIONS["08"], NATIONS["56"]) == ("汉", "回", "壮", "基诺")
    assert len(set(NATIONS.values())) == 56


@pytest.mark.parametrize("nation", ["蒙古", "维吾尔", "柯尔克孜", "基诺"])
def test_every_nation_reads_back(nation: str) -> None:
    assert parse_text(build_text(sample_card(nation=nation)), b"").nation == nation


def test_unknown_nation_code_and_foreign_card_types() -> None:
    text = bytearray(build_text(sample_card()))
    text[32:36] = "99".encode("utf-16-le")
    with pytest.raises(CardReaderError, match="民族"):
        parse_text(bytes(text), b"")
    for char in ("J", "I"):
        other = bytearray(build_text(sample_card()))
        other[248:250] = char.encode("utf-16-le")
        with pytest.raises(CardReaderError, match="手工录入") as err:
            parse_text(bytes(other), b"")
        assert err.value.kind == "read_failed"


def test_card_data_repr_keeps_personal_data_out() -> None:
    card = sample_card()
    assert card.name not in repr(card) and card.id_number not in repr(card)


def test_error_kinds_have_chinese_messages() -> None:
    expected = {"no_card": "请放卡", "read_failed": "读卡失败", "not_connected": "读卡器未连接", "checksum": "校验失败"}
    for kind, text in expected.items():
        assert str(CardReaderError(kind)).startswith(text)
    with pytest.raises(ValueError):
        CardReaderError("whatever")


# --- vendor drivers, with stand-in libraries (the real DLLs exist only on Windows readers' PCs)

class FakeTermb:
    def __init__(self, fields: dict[str, str], *, authenticate: int = 1, init: int = 1) -> None:
        self.fields = fields
        self.auth = authenticate
        self.init = init
        self.closed = False

    def CVR_InitComm(self, port: int) -> int:  # noqa: N802 — the vendor's names
        self.port = port
        return self.init

    def CVR_Authenticate(self) -> int:  # noqa: N802
        return self.auth

    def CVR_Read_Content(self, active: int) -> int:  # noqa: N802
        return 1

    def CVR_CloseComm(self) -> int:  # noqa: N802
        self.closed = True
        return 1

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        if name not in self.fields:
            raise AttributeError(name)
        raw = self.fields[name].encode("gbk")

        def get(buf, length_ref) -> int:  # type: ignore[no-untyped-def]
            ctypes.memmove(buf, raw, len(raw))
            length_ref._obj.value = len(raw)
            return 1

        return get


TERMB_FIELDS = {
    "GetPeopleName": "李秀英", "GetPeopleSex": "女", "GetPeopleNation": "汉", "GetPeopleBirthday": "1949-12-31",
    "GetPeopleAddress": "北京市朝阳区示范街道幸福里小区3号楼2单元101号", "GetPeopleIDCode": "11010519491231002X",
    "GetDepartment": "北京市公安局朝阳分局", "GetStartDate": "2015.06.01", "GetEndDate": "长期",
}


def test_termb_driver_reads_the_fields() -> None:
    lib = FakeTermb(TERMB_FIELDS)
    card = windows_driver.driver_for("termb:1001", lib=lib).read_card()
    assert card == replace(sample_card(), photo=b"")
    assert lib.port == 1001 and lib.closed


def test_termb_driver_errors() -> None:
    with pytest.raises(CardReaderError) as err:
        windows_driver.TermbDriver(FakeTermb(TERMB_FIELDS, authenticate=0)).read_card()
    assert err.value.kind == "no_card"
    with pytest.raises(CardReaderError) as err:
        windows_driver.TermbDriver(FakeTermb(TERMB_FIELDS, init=0)).read_card()
    assert err.value.kind == "not_connected"
    bad = dict(TERMB_FIELDS, GetPeopleIDCode="110105194912310021")
    with pytest.raises(CardReaderError) as err:
        windows_driver.TermbDriver(FakeTermb(bad)).read_card()
    assert err.value.kind == "checksum"


class FakeSdtapi:
    def __init__(self, text: bytes, photo: bytes, find: int = 0x9F) -> None:
        self.text, self.photo, self.find = text, photo, find
        self.closed = False

    def SDT_OpenPort(self, port: int) -> int:  # noqa: N802
        return 0x90

    def SDT_StartFindIDCard(self, port: int, manage, open_: int) -> int:  # type: ignore[no-untyped-def]  # noqa: N802
        return self.find

    def SDT_SelectIDCard(self, port: int, manage, open_: int) -> int:  # type: ignore[no-untyped-def]  # noqa: N802
        return 0x90

    def SDT_ReadBaseMsg(self, port, text, text_len, photo, photo_len, open_) -> int:  # type: ignore[no-untyped-def]  # noqa: N802
        ctypes.memmove(text, self.text, len(self.text))
        ctypes.memmove(photo, self.photo, len(self.photo))
        text_len._obj.value, photo_len._obj.value = len(self.text), len(self.photo)
        return 0x90

    def SDT_ClosePort(self, port: int) -> int:  # noqa: N802
        self.closed = True
        return 0x90


def test_sdtapi_driver_reads_the_sam_text() -> None:
    card = sample_card()
    lib = FakeSdtapi(build_text(card), build_photo(card))
    assert windows_driver.driver_for("sdtapi:1001", lib=lib).read_card() == card
    assert lib.closed
    with pytest.raises(CardReaderError) as err:
        windows_driver.SdtapiDriver(FakeSdtapi(b"", b"", find=0x80)).read_card()
    assert err.value.kind == "no_card"


def test_dll_ports_and_loading_off_windows() -> None:
    assert windows_driver.parse_port("termb") == ("termb.dll", 1001)
    assert windows_driver.parse_port("SDTAPI:3") == ("sdtapi.dll", 3)
    assert windows_driver.is_dll_port("termb:1001") and not windows_driver.is_dll_port("/dev/ttyUSB0")
    for bad in ("termb:0", "termb:x", "other:1"):
        with pytest.raises(CardReaderError):
            windows_driver.parse_port(bad)
    if windows_driver.os.name != "nt":
        assert windows_driver.available() == []
        with pytest.raises(CardReaderError) as err:
            windows_driver.load("termb.dll")
        assert err.value.kind == "not_connected"
