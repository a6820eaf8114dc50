"""The card's 256-byte text (UCS-2 little-endian, space-padded) as a ``CardData``.

Layout (spec/idcard.md): name 0/30 · sex 30/2 · nation 32/4 · birth 36/16 ·
address 52/70 · ID number 122/36 · authority 158/30 · valid from 188/16 ·
valid to 204/16 (YYYYMMDD or 长期) · reserved 220/36, the character at
offset 248 being the card type.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from typing import Any

from window_desk import idnumber, timeutil
from window_desk.cardreader.errors import CardReaderError
from window_desk.cardreader.protocol import PHOTO_LEN, TEXT_LEN

# GB 3304-1991 codes of the nationalities (民族), as cards carry them.
NATIONS: dict[str, str] = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝", "08": "壮",
    "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白", "15": "土家", "16": "哈尼",
    "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤", "22": "畲", "23": "高山", "24": "拉祜",
    "25": "水", "26": "东乡", "27": "纳西", "28": "景颇", "29": "柯尔克孜", "30": "土", "31": "达斡尔",
    "32": "仫佬", "33": "羌", "34": "布朗", "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯",
    "39": "阿昌", "40": "普米", "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克",
    "46": "德昂", "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春",
    "53": "赫哲", "54": "门巴", "55": "珞巴", "56": "基诺",
}
NATION_CODES = {name: code for code, name in NATIONS.items()}
SEXES = {"1": "男", "2": "女"}
SEX_CODES = {"男": "1", "女": "2"}
PERMANENT = "长期"

# (offset, bytes) in the text block
FIELDS: dict[str, tuple[int, int]] = {
    "name": (0, 30),
    "sex": (30, 2),
    "nation": (32, 4),
    "birth_date": (36, 16),
    "address": (52, 70),
    "id_number": (122, 36),
    "authority": (158, 30),
    "valid_from": (188, 16),
    "valid_to": (204, 16),
    "reserved": (220, 36),
}
CARD_TYPE_OFFSET = 248
CARD_TYPES = {" ": "resident", "J": "hmt_residence", "I": "foreigner", "Y": "foreigner"}
CARD_TYPE_LABELS = {"resident": "居民身份证", "hmt_residence": "港澳台居民居住证", "foreigner": "外国人永久居留身份证"}


@dataclass(frozen=True)
class CardData:
    """What one card says. ``valid_to`` is None for a card valid for life (长期)."""

    name: str
    sex: str
    nation: str
    birth_date: date
    address: str
    id_number: str
    authority: str
    valid_from: date
    valid_to: date | None
    card_type: str = "resident"
    photo: bytes = b""

    def expired_on(self, day: date) -> bool:
        return self.valid_to is not None and self.valid_to < day

    @property
    def expired(self) -> bool:
        """The card's validity ended before today (China time)."""
        return self.expired_on(timeutil.today())

    @property
    def warning(self) -> str | None:
        """A Chinese note the desk shows with the card, or None."""
        if self.expired and self.valid_to is not None:
            return f"证件已过有效期（有效期至 {self.valid_to:%Y-%m-%d}），请核对并请申请人及时换领"
        return None

    def to_json(self) -> dict[str, Any]:
        """The shape ``window-desk card read`` prints (photo as base64)."""
        return {
            "name": self.name,
            "sex": self.sex,
            "nation": self.nation,
            "birth_date": self.birth_date.isoformat(),
            "address": self.address,
            "id_number": self.id_number,
            "authority": self.authority,
            "valid_from": self.valid_from.isoformat(),
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "card_type": self.card_type,
            "photo": base64.b64encode(self.photo).decode("ascii"),
            "expired": self.expired,
        }

    def __repr__(self) -> str:  # personal data stays out of logs and tracebacks
        return f"CardData(card_type={self.card_type!r}, photo={len(self.photo)} bytes)"


def _field(text: bytes, name: str) -> str:
    offset, size = FIELDS[name]
    return text[offset:offset + size].decode("utf-16-le", errors="replace").rstrip(" \x00")


def _date(value: str, label: str) -> date:
    try:
        if len(value) != 8 or not value.isdigit():
            raise ValueError(value)
        return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError as exc:
        raise CardReaderError("read_failed", f"卡内{label}无法识别") from exc


def parse_text(text: bytes, photo: bytes = b"", *, today: date | None = None) -> CardData:
    """The card in a 256-byte text block. A number whose check character is wrong is refused
    (``kind`` "checksum"); anything else unreadable is "read_failed"."""
    if len(text) != TEXT_LEN:
        raise CardReaderError("read_failed", f"文字信息长度为 {len(text)} 字节，应为 {TEXT_LEN}")
    card_char = text[CARD_TYPE_OFFSET:CARD_TYPE_OFFSET + 2].decode("utf-16-le", errors="replace")
    card_type = CARD_TYPES.get(card_char)
    if card_type is None:
        raise CardReaderError("read_failed", "无法识别的证件类型")
    if card_type != "resident":
        # Other cards lay out their text differently (spec/idcard.md): no guessing at fields.
        raise CardReaderError("read_failed", f"{CARD_TYPE_LABELS[card_type]}暂不支持读入，请手工录入")
    name = _field(text, "name")
    if not name:
        raise CardReaderError("read_failed", "卡内姓名为空")
    sex_code = _field(text, "sex")
    if sex_code not in SEXES:
        raise CardReaderError("read_failed", "卡内性别无法识别")
    nation_code = _field(text, "nation")
    if nation_code not in NATIONS:
        raise CardReaderError("read_failed", "卡内民族代码无法识别")
    raw_number = _field(text, "id_number")
    check = idnumber.check(raw_number, today=today or timeutil.today())
    if not check.valid or check.id_number is None or len(idnumber.normalize(raw_number)) != 18:
        raise CardReaderError("checksum", "卡内身份证号码未通过校验，拒绝读入（请核对证件，或手工录入）")
    birth = _date(_field(text, "birth_date"), "出生日期")
    if birth != check.birth_date:
        raise CardReaderError("checksum", "卡内出生日期与身份证号码不一致，拒绝读入")
    valid_from = _date(_field(text, "valid_from"), "有效期起始日期")
    to_text = _field(text, "valid_to")
    valid_to = None if to_text == PERMANENT else _date(to_text, "有效期截止日期")
    return CardData(
        name=name,
        sex=SEXES[sex_code],
        nation=NATIONS[nation_code],
        birth_date=birth,
        address=_field(text, "address"),
        id_number=check.id_number,
        authority=_field(text, "authority"),
        valid_from=valid_from,
        valid_to=valid_to,
        card_type=card_type,
        photo=bytes(photo),
    )


def _put(buf: bytearray, name: str, value: str) -> None:
    offset, size = FIELDS[name]
    raw = value.encode("utf-16-le")
    if len(raw) > size:
        raise ValueError(f"{name} too long for the card ({len(raw)} > {size} bytes)")
    buf[offset:offset + len(raw)] = raw


def build_text(card: CardData, *, raw_id_number: str | None = None) -> bytes:
    """The 256-byte block a reader would send for ``card`` (the emulator and tests use it).
    ``raw_id_number`` puts another number on the card (e.g. one with a wrong check character)."""
    buf = bytearray(" ".encode("utf-16-le") * (TEXT_LEN // 2))
    _put(buf, "name", card.name)
    _put(buf, "sex", SEX_CODES[card.sex])
    _put(buf, "nation", NATION_CODES[card.nation])
    _put(buf, "birth_date", f"{card.birth_date:%Y%m%d}")
    _put(buf, "address", card.address)
    _put(buf, "id_number", raw_id_number if raw_id_number is not None else card.id_number)
    _put(buf, "authority", card.authority)
    _put(buf, "valid_from", f"{card.valid_from:%Y%m%d}")
    _put(buf, "valid_to", PERMANENT if card.valid_to is None else f"{card.valid_to:%Y%m%d}")
    type_char = {v: k for k, v in CARD_TYPES.items() if k != "Y"}[card.card_type]
    buf[CARD_TYPE_OFFSET:CARD_TYPE_OFFSET + 2] = type_char.encode("utf-16-le")
    return bytes(buf)


def build_photo(card: CardData) -> bytes:
    """The 1024-byte photo block (zero-padded; the real one is encrypted WLT data)."""
    return card.photo[:PHOTO_LEN].ljust(PHOTO_LEN, b"\x00")
