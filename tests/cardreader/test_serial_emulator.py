"""The real serial driver, end to end, against the pseudo-terminal reader emulator."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import pytest

from window_desk.cardreader import protocol, read_card, serial_driver
from window_desk.cardreader.emulator import ReaderEmulator, sample_card
from window_desk.cardreader.errors import CardReaderError


@pytest.fixture
def reader() -> Iterator[ReaderEmulator]:
    with ReaderEmulator(sample_card()) as emulator:
        yield emulator


def failure(port: str, timeout: float = 1.0) -> CardReaderError:
    with pytest.raises(CardReaderError) as err:
        read_card(port, timeout=timeout)
    return err.value


def test_good_card(reader: ReaderEmulator) -> None:
    card = read_card(reader.port, timeout=2)
    assert card == sample_card()
    assert len(card.photo) == 1024
    assert reader.requests == [protocol.FIND, protocol.SELECT, protocol.READ]


def test_reads_again_on_the_same_port(reader: ReaderEmulator) -> None:
    first = read_card(reader.port, timeout=2)
    reader.place(sample_card(name="王小明", id_number="440524198001010013", sex="男",
                             birth_date=date(1980, 1, 1), valid_to=date(2036, 1, 1)))
    second = read_card(reader.port, timeout=2)
    assert first.name == "李秀英" and second.name == "王小明" and second.valid_to == date(2036, 1, 1)


def test_no_card(reader: ReaderEmulator) -> None:
    reader.remove()
    err = failure(reader.port)
    assert err.kind == "no_card" and str(err).startswith("请放卡")
    assert reader.requests == [protocol.FIND] * serial_driver.FIND_TRIES


@pytest.mark.parametrize(("command", "status", "kind"), [
    ("find", 0x80, "no_card"),
    ("select", 0x81, "read_failed"),
    ("read", 0x41, "read_failed"),
    ("read", 0x40, "read_failed"),
    ("read", 0x91, "read_failed"),
    ("read", 0x10, "checksum"),
    ("read", 0x11, "read_failed"),
    ("find", 0x21, "read_failed"),
    ("read", 0x23, "read_failed"),
    ("read", 0x31, "read_failed"),
    ("read", 0x32, "read_failed"),
    ("read", 0x33, "read_failed"),
    ("find", 0x60, "read_failed"),
    ("find", 0x66, "read_failed"),
])
def test_each_error_status(reader: ReaderEmulator, command: str, status: int, kind: str) -> None:
    reader.fail[command] = status
    err = failure(reader.port)
    assert err.kind == kind
    if kind != "no_card":
        assert f"{status:02X}H" in str(err) and protocol.STATUS_TEXT[status] in str(err)


def test_card_with_wrong_check_digit_is_refused(reader: ReaderEmulator) -> None:
    reader.place(sample_card(), raw_id_number="110105194912310021")
    err = failure(reader.port)
    assert err.kind == "checksum" and "拒绝读入" in str(err)


def test_expired_card_reads_but_is_flagged(reader: ReaderEmulator) -> None:
    reader.place(sample_card(valid_from=date(2000, 3, 1), valid_to=date(2020, 3, 1)))
    card = read_card(reader.port, timeout=2)
    assert card.expired and "已过有效期" in (card.warning or "")


def test_silent_reader_times_out_on_time(reader: ReaderEmulator) -> None:
    reader.mode = "silent"
    start = time.monotonic()
    err = failure(reader.port, timeout=0.6)
    elapsed = time.monotonic() - start
    assert err.kind == "timeout"
    assert 0.55 <= elapsed < 1.5


def test_slow_reader_within_the_timeout(reader: ReaderEmulator) -> None:
    reader.delay = 0.15
    assert read_card(reader.port, timeout=3).id_number == "11010519491231002X"


def test_slow_reader_beyond_the_timeout(reader: ReaderEmulator) -> None:
    reader.delay = 0.4
    err = failure(reader.port, timeout=0.6)  # find and select alone take 0.8 s
    assert err.kind == "timeout"


def test_garbage_answer(reader: ReaderEmulator) -> None:
    reader.mode = "garbage"
    err = failure(reader.port, timeout=0.5)
    assert err.kind == "read_failed" and "无法识别" in str(err)


def test_bad_checksum_answer(reader: ReaderEmulator) -> None:
    reader.mode = "bad_checksum"
    assert failure(reader.port).kind == "checksum"


def test_unplugged_mid_read(reader: ReaderEmulator) -> None:
    reader.mode = "unplug_mid_read"
    err = failure(reader.port, timeout=2)
    # The driver can see the closed line before the emulator thread marks itself unplugged.
    assert reader.unplugged.wait(2)
    assert err.kind == "not_connected" and "断开" in str(err)
    assert failure(reader.port).kind == "not_connected"  # the device is gone


def test_port_that_does_not_exist(tmp_path) -> None:  # type: ignore[no-untyped-def]
    err = failure(str(tmp_path / "ttyNOPE"))
    assert err.kind == "not_connected" and str(err).startswith("读卡器未连接")


def test_detect_port_finds_the_reader_among_others(reader: ReaderEmulator, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with ReaderEmulator() as mute:
        mute.mode = "silent"
        ports = [str(tmp_path / "missing"), mute.port, reader.port]
        assert serial_driver.detect_port(ports, timeout=0.3) == reader.port
        assert serial_driver.detect_port(ports[:2], timeout=0.3) is None


def test_auto_detection_through_read_card(reader: ReaderEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(serial_driver, "candidate_ports", lambda: ["/dev/null-not-a-tty", reader.port])
    assert read_card(None, timeout=2).name == "李秀英"
    monkeypatch.setattr(serial_driver, "candidate_ports", lambda: [])
    err = failure(None)  # type: ignore[arg-type]
    assert err.kind == "not_connected"
