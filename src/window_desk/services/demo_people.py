"""Synthetic people for demo-data: names (with the odd 生僻字), valid ID numbers, birth dates.

Shared by every demo generator (cases, inquiries, rosters) so none of them imports another.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from window_desk import idnumber

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鑫斌宇浩凯婷雪慧建国志强文博淑珍桂芝"
# 生僻字 appear now and then, as they do at a real window.
RARE = ["䶮", "堃", "喆", "赟", "犇", "龑", "𠈌", "𡒄", "𣲗", "𨭉", "𪚥"]
REGIONS = ["110105", "110108", "320102", "330106", "420102", "440305", "510104", "610113", "230102", "530102"]
STREETS = ["幸福路", "建设街", "人民路", "解放路", "和平里", "胜利街", "新华路", "光明巷"]
def _name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    if rng.random() < 0.03:
        given = rng.choice(RARE) + given[:1]
    return rng.choice(SURNAMES) + given


def _id_number(rng: random.Random, birth: date, sex: str, used: set[str]) -> str:
    while True:
        seq = rng.randrange(0, 100)
        order = rng.randrange(0, 5) * 2 + (1 if sex == "男" else 0)
        body = f"{rng.choice(REGIONS)}{birth.year:04d}{birth.month:02d}{birth.day:02d}{seq:02d}{order}"  # no strftime: bulk
        number = body + idnumber.check_char(body)
        if number not in used:
            used.add(number)
            return number


def _birth(rng: random.Random, on: date, age_from: int, age_to: int) -> date:
    return on - timedelta(days=rng.randrange(age_from * 365 + 1, age_to * 365 + 300))
