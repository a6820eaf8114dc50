"""Optional vendor drivers on Windows: ``termb.dll`` (CVR_… API) and ``sdtapi.dll`` (SDT_… API).

Importable everywhere: the DLL is loaded only by ``load()``, only on Windows and
only where the file exists. The drivers take the loaded library as an object,
so their logic is tested on any system with a stand-in library.

Ports: 1–16 are serial (COM1–COM16), 1001–1016 USB, as the vendors number them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from window_desk import idnumber, timeutil
from window_desk.cardreader.card import NATION_CODES, NATIONS, PERMANENT, CardData, parse_text
from window_desk.cardreader.errors import CardReaderError

DLL_NAMES = ("termb.dll", "sdtapi.dll")
USB_PORTS = range(1001, 1017)
SERIAL_PORTS = range(1, 17)
SDT_OK, SDT_FOUND = 0x90, 0x9F


def dll_dirs() -> list[Path]:
    """Where vendor DLLs are looked for: WINDOW_DESK_CARD_DLL_DIR, the program's folder, the working folder."""
    dirs = []
    if os.environ.get("WINDOW_DESK_CARD_DLL_DIR"):
        dirs.append(Path(os.environ["WINDOW_DESK_CARD_DLL_DIR"]))
    dirs += [Path(sys.executable).parent, Path.cwd()]
    return dirs


def find_dll(name: str) -> Path | None:
    for folder in dll_dirs():
        candidate = folder / name
        if candidate.is_file():
            return candidate
    found = ctypes.util.find_library(name.removesuffix(".dll"))
    return Path(found) if found else None


def available() -> list[str]:
    """The vendor DLLs that can be loaded here (always empty off Windows)."""
    if os.name != "nt":
        return []
    return [name for name in DLL_NAMES if find_dll(name) is not None]


def load(name: str) -> Any:
    """The vendor library (stdcall) — CardReaderError "not_connected" where it cannot be loaded."""
    if os.name != "nt":
        raise CardReaderError("not_connected", f"{name} 只能在 Windows 上使用")
    path = find_dll(name)
    if path is None:
        raise CardReaderError("not_connected", f"未找到读卡器驱动 {name}")
    try:
        return ctypes.WinDLL(str(path))  # type: ignore[attr-defined]
    except OSError as exc:
        raise CardReaderError("not_connected", f"无法加载读卡器驱动 {name}") from exc


def _gbk(raw: bytes) -> str:
    return raw.split(b"\x00", 1)[0].decode("gbk", errors="replace").strip()


def _date_text(value: str, label: str) -> date:
    digits = re.sub(r"\D", "", value)
    try:
        if len(digits) != 8:
            raise ValueError(value)
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError as exc:
        raise CardReaderError("read_failed", f"卡内{label}无法识别") from exc


class TermbDriver:
    """华视 termb.dll: CVR_InitComm → CVR_Authenticate → CVR_Read_Content → GetPeople…"""

    def __init__(self, lib: Any, port: int = 1001) -> None:
        self.lib = lib
        self.port = port

    def _text(self, function: str) -> str:
        buf = ctypes.create_string_buffer(256)
        length = ctypes.c_int(256)
        if getattr(self.lib, function)(buf, ctypes.byref(length)) != 1:
            raise CardReaderError("read_failed", "读取证件信息失败")
        return _gbk(buf.raw[: max(0, min(length.value, 256))] if length.value else buf.raw)

    def read_card(self) -> CardData:
        lib = self.lib
        if lib.CVR_InitComm(self.port) != 1:
            raise CardReaderError("not_connected", f"读卡器端口 {self.port} 打开失败")
        try:
            if lib.CVR_Authenticate() != 1:
                raise CardReaderError("no_card", "读卡器上没有身份证，请将身份证放在读卡器上")
            if lib.CVR_Read_Content(1) != 1:
                raise CardReaderError("read_failed", "读取证件内容失败")
            number = idnumber.check(self._text("GetPeopleIDCode"), today=timeutil.today())
            if not number.valid or number.id_number is None:
                raise CardReaderError("checksum", "卡内身份证号码未通过校验，拒绝读入（请核对证件，或手工录入）")
            nation = self._text("GetPeopleNation").removesuffix("族")
            if nation not in NATION_CODES:
                nation = NATIONS.get(nation.zfill(2), nation)
            end = self._text("GetEndDate")
            return CardData(
                name=self._text("GetPeopleName"),
                sex=self._text("GetPeopleSex"),
                nation=nation,
                birth_date=_date_text(self._text("GetPeopleBirthday"), "出生日期"),
                address=self._text("GetPeopleAddress"),
                id_number=number.id_number,
                authority=self._text("GetDepartment"),
                valid_from=_date_text(self._text("GetStartDate"), "有效期起始日期"),
                valid_to=None if PERMANENT in end else _date_text(end, "有效期截止日期"),
            )
        finally:
            lib.CVR_CloseComm()


class SdtapiDriver:
    """sdtapi.dll: SDT_OpenPort → SDT_StartFindIDCard → SDT_SelectIDCard → SDT_ReadBaseMsg.
    SDT_ReadBaseMsg gives the same 256-byte text and 1024-byte photo as the SAM read."""

    def __init__(self, lib: Any, port: int = 1001) -> None:
        self.lib = lib
        self.port = port

    def read_card(self) -> CardData:
        lib, port = self.lib, self.port
        if lib.SDT_OpenPort(port) != SDT_OK:
            raise CardReaderError("not_connected", f"读卡器端口 {port} 打开失败")
        try:
            manage = ctypes.create_string_buffer(8)
            if lib.SDT_StartFindIDCard(port, manage, 0) != SDT_FOUND:
                raise CardReaderError("no_card", "读卡器上没有身份证，请将身份证放在读卡器上")
            if lib.SDT_SelectIDCard(port, manage, 0) != SDT_OK:
                raise CardReaderError("read_failed", "选卡失败")
            text, photo = ctypes.create_string_buffer(256), ctypes.create_string_buffer(1024)
            text_len, photo_len = ctypes.c_uint(0), ctypes.c_uint(0)
            status = lib.SDT_ReadBaseMsg(port, text, ctypes.byref(text_len), photo, ctypes.byref(photo_len), 0)
            if status != SDT_OK:
                raise CardReaderError("read_failed", f"读取证件内容失败（状态码 {status & 0xFF:02X}H）")
            return parse_text(text.raw[: text_len.value], photo.raw[: photo_len.value])
        finally:
            lib.SDT_ClosePort(port)


def parse_port(spec: str) -> tuple[str, int]:
    """``termb:1001`` / ``sdtapi:1`` / ``termb`` (USB 1001) → (dll name, port number)."""
    name, _, number = spec.partition(":")
    dll = f"{name.lower()}.dll"
    if dll not in DLL_NAMES:
        raise CardReaderError("not_connected", f"未知的读卡器驱动 {name}")
    try:
        port = int(number) if number else USB_PORTS[0]
    except ValueError as exc:
        raise CardReaderError("not_connected", f"读卡器端口号 {number} 无效") from exc
    if port not in USB_PORTS and port not in SERIAL_PORTS:
        raise CardReaderError("not_connected", f"读卡器端口号 {port} 无效（串口 1–16，USB 1001–1016）")
    return dll, port


def driver_for(spec: str, lib: Any | None = None) -> TermbDriver | SdtapiDriver:
    dll, port = parse_port(spec)
    loaded = lib if lib is not None else load(dll)
    return TermbDriver(loaded, port) if dll == "termb.dll" else SdtapiDriver(loaded, port)


def is_dll_port(spec: str) -> bool:
    return spec.partition(":")[0].lower() + ".dll" in DLL_NAMES
