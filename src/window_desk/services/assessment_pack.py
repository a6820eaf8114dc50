"""Format 4 of a stored assessment: the compact input and the proposal as one deflated blob.

The two JSON documents repeat the same keys and codes in every row ("supporter_capable", "member_ids",
"区医保局" …), so they are deflated against a fixed preset dictionary of those words: about 200 bytes
instead of about 870 (measured on demo data, docs/performance.md). The dictionary is part of the format:
changing a byte of it would make every format-4 row unreadable, so it is pinned by its hash in the tests;
a new dictionary means a new format number.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

# Common fragments of the canonical JSON, the most common last (deflate reaches back from the end).
ZDICT_V1 = (
    '{"code":"dibao","member_ids":["{"code":"dibao_single","member_ids":["'
    '{"code":"dibao_taper","member_ids":["{"code":"tekun","member_ids":["'
    '{"code":"low_income","member_ids":["{"code":"temp_expenditure","member_ids":["'
    '{"code":"temp_emergency","member_ids":["{"code":"social_work","member_ids":["'
    '{"code":"vagrant","member_ids":["{"code":"medical","member_ids":["'
    '{"code":"education","member_ids":["{"code":"housing","member_ids":["'
    '{"code":"employment","member_ids":["{"code":"disaster","member_ids":["'
    '{"code":"disability_subsidy","member_ids":["{"code":"child_welfare","member_ids":["'
    '{"code":"legal_aid","member_ids":["{"code":"charity","member_ids":["'
    '{"code":"observation","member_ids":["","department":"区医保局","due_date":"20'
    '","department":"区教体局","due_date":"20","department":"区住建局","due_date":"20'
    '","department":"区人社局","due_date":"20","department":"区应急局","due_date":"20'
    '","department":"区残联","due_date":"20","department":"区民政局","due_date":"20'
    '","department":"区司法局","due_date":"20","department":"区慈善会","due_date":"20'
    '","department":"乡镇(街道)社工站","due_date":"20","department":"救助管理站","due_date":"20"disaster",'
    '"accident","serious_illness","public_health","fire","breadwinner_death","homeless",'
    '"legal_dispute","dibao","tekun","low_income","disability":{"grade":1,"kind":"physical"},'
    '"disability":{"grade":1,"kind":"visual"},"disability":{"grade":1,"kind":"hearing"},'
    '"disability":{"grade":1,"kind":"speech"},"disability":{"grade":1,"kind":"intellectual"},'
    '"disability":{"grade":1,"kind":"mental"},"disability":{"grade":1,"kind":"multiple"},'
    '"schooling":"preschool","schooling":"compulsory","schooling":"high_school",'
    '"schooling":"higher","housing":"adequate","housing":"none","housing":"dangerous",'
    '"assets":{"deposits":""non_essential_vehicles":1,"extra_houses":1,'
    '"rigid_expenses":{"care":""education":""housing":""medical":""placement":"dispersed",'
    '"placement":"centralized","flags":["dynamic_monitoring","zero_employment"]'
    '"calendar_note":""amount":""prepay":""monthly_amount":".00"},.00","income":{"business":"'
    '"exempt":""other":""property":""transfer":""wage":""health":"chronic","health":"serious",'
    '"labor_capacity":"partial","labor_capacity":"none","self_care":"partial",'
    '"self_care":"none","lacks_capacity":true,"employed":true,"supporter_capable":true,'
    '"relation":"self","relation":"spouse","relation":"child","relation":"parent",'
    '"relation":"grandparent","relation":"grandchild","relation":"sibling","relation":"other",'
    '{"i":{"application_date":"20"area":"rural","area":"urban","members":[{"id_number":"'
    '","name":""relation":"self","supporter_capable":true'
    '},"p":{"measures":[{"code":"dibao","monthly_amount":"","due_date":"20"]}').encode("utf-8")
ZDICT_V1_SHA256 = "a94d983ee4c3483414c3e7c8d8b69c1424ab47e4ec4c0ce6b1d1ff4fb581c912"
# Raw deflate (no header or checksum: the audit entry holds the input's hash) with an 8 KB window: the
# dictionary and a record fit in it, and setting up a 32 KB window costs eight times as long per row.
_WBITS = -13
# Keys in the order the row was built (compact_input and proposal are deterministic): no sort needed.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def pack(stored_input: dict[str, Any], proposal: dict[str, Any]) -> bytes:
    """The blob of one assessment: compact JSON ``{"i": input, "p": proposal}``, deflated."""
    text = _ENCODE({"i": stored_input, "p": proposal})
    squeeze = zlib.compressobj(9, zlib.DEFLATED, _WBITS, 8, zlib.Z_DEFAULT_STRATEGY, ZDICT_V1)
    return squeeze.compress(text.encode("utf-8")) + squeeze.flush()


def unpack(blob: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """The compact input and the proposal of a format-4 blob."""
    inflate = zlib.decompressobj(_WBITS, ZDICT_V1)
    both = json.loads((inflate.decompress(bytes(blob)) + inflate.flush()).decode("utf-8"))
    return both["i"], both["p"]
