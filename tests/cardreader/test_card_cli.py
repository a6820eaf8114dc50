"""``window-desk card read`` in a subprocess, against the reader emulator."""

from __future__ import annotations

import base64
import json
from datetime import date

from tests.conftest import run_cli
from window_desk.actor import Actor
from window_desk.cardreader.emulator import ReaderEmulator, sample_card
from window_desk.services import settings
from window_desk.uow import UnitOfWork


def test_card_read_prints_one_json_object() -> None:
    card = sample_card()
    with ReaderEmulator(card) as reader:
        proc = run_cli("card", "read", "--port", reader.port, "--timeout", "3")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert data == {
        "name": "李秀英", "sex": "女", "nation": "汉", "birth_date": "1949-12-31",
        "address": card.address, "id_number": "11010519491231002X", "authority": "北京市公安局朝阳分局",
        "valid_from": "2015-06-01", "valid_to": None, "card_type": "resident",
        "photo": base64.b64encode(card.photo).decode("ascii"), "expired": False,
    }
    assert base64.b64decode(data["photo"]) == card.photo


def test_no_card_exits_1_with_chinese_message() -> None:
    with ReaderEmulator() as reader:
        proc = run_cli("card", "read", "--port", reader.port, "--timeout", "1")
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "请放卡" in proc.stderr and "Traceback" not in proc.stderr


def test_silent_reader_and_missing_port_exit_1() -> None:
    with ReaderEmulator(sample_card()) as reader:
        reader.mode = "silent"
        proc = run_cli("card", "read", "--port", reader.port, "--timeout", "0.5")
    assert proc.returncode == 1 and "读卡器无应答" in proc.stderr
    proc = run_cli("card", "read", "--port", "/dev/no-such-reader", "--timeout", "0.5")
    assert proc.returncode == 1 and "读卡器未连接" in proc.stderr


def test_expired_card_is_printed_with_a_warning() -> None:
    with ReaderEmulator(sample_card(valid_from=date(2001, 1, 1), valid_to=date(2021, 1, 1))) as reader:
        proc = run_cli("card", "read", "--port", reader.port)
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["expired"] is True
    assert "已过有效期" in proc.stderr


def test_bad_timeout_is_usage_error() -> None:
    for value in ("0", "-1", "abc"):
        proc = run_cli("card", "read", "--port", "/dev/null", "--timeout", value)
        assert proc.returncode == 2, value
        assert "timeout" in proc.stderr


def test_port_from_this_machines_settings(db, db_url) -> None:  # type: ignore[no-untyped-def]
    with ReaderEmulator(sample_card()) as reader:
        with UnitOfWork(db, Actor.cli()) as uow:
            assert settings.set_card_reader_port(uow, reader.port)
        proc = run_cli("--db", db_url, "card", "read", "--timeout", "2")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["id_number"] == "11010519491231002X"
