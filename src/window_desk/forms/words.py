"""Chinese words a line may not break inside: a small lexicon and the segmentation of a Han run.

Chinese has no spaces, so a line may break between any two characters — but not inside a word a
reader takes in at once: 慢性病 / 糖尿病, a measure's name, a county or a village of an address.
``segment(run)`` cuts a run of Han characters into words by forward maximum matching against
``LEXICON`` (the desk's own vocabularies — every Chinese label of ``vocab``, the glossary's terms —
and the words papers are made of: illnesses, kinships, jobs, offices), and, where no word is known,
an address part that ends in an administrative or street suffix (示范县, 杨庄村, 幸福路); anything
else stays one character a unit. ``linebreak.atoms`` adds the rest: a date, a number, a short
parenthesised term are one unit; a number and the measure word after it (18号, 3组, 60日) are glued.

No dictionary download and no third-party segmenter: the lexicon is small, known and ours, and a
word it lacks only means a line may break inside that word, as it could before.
"""

from __future__ import annotations

import re
from functools import lru_cache

from window_desk import vocab

# Terms of spec/glossary.md (the Chinese column), as the papers print them.
GLOSSARY = (
    "一门受理", "协同办理", "窗口受理员", "分管领导", "审核人", "首问负责制", "首问责任人", "来访", "来电", "上报",
    "登记", "转办", "转介", "一证一书", "居民身份证", "授权书", "申请家庭", "共同生活", "家庭成员", "综合评估",
    "救助措施", "最低生活保障", "低保", "特困人员", "救助供养", "特困", "低收入家庭", "低收入", "支出型困难",
    "支出型", "临时救助", "急难型", "急难", "先行救助", "备用金", "单人保", "渐退", "刚性支出", "就业成本",
    "扣减", "收入豁免", "专项救助", "医疗", "教育", "住房", "就业", "受灾", "台账", "个案", "每日台账",
    "受理通知书", "不予受理", "告知书", "一次性告知", "转介单", "回执", "主动发现", "重点人群", "花名册",
    "巡查记录", "救助观察", "协理员", "办理时限", "工作日", "行政区划代码",
)

# Words the papers are made of, beyond the vocabularies: health, work, kin, offices, the letters' prose.
COMMON = (
    # health (健康状况)
    "健康", "慢性病", "重病", "大病", "糖尿病", "高血压", "心脏病", "冠心病", "尿毒症", "透析", "规律透析",
    "脑梗", "脑梗塞", "脑出血", "中风", "偏瘫", "瘫痪", "癌症", "肺癌", "胃癌", "肝癌", "乳腺癌", "白血病",
    "肾衰竭", "肝硬化", "精神分裂症", "抑郁症", "癫痫", "残疾", "肢体残疾", "智力残疾", "精神残疾",
    "视力残疾", "听力残疾", "失能", "半失能", "全失能", "卧床", "长期卧床", "住院", "化疗", "手术", "康复",
    # work (就业状况)
    "无业", "失业", "务农", "务工", "外出务工", "灵活就业", "个体", "退休", "在校", "学生", "在校学生",
    "高职", "中职", "初中", "高中", "小学", "大学", "学前", "幼儿园", "待业", "打零工", "零工", "无劳动能力",
    # kin (关系)
    "本人", "配偶", "丈夫", "妻子", "儿子", "女儿", "子女", "父亲", "母亲", "父母", "祖父", "祖母", "外祖父",
    "外祖母", "孙子", "孙女", "外孙", "外孙女", "兄弟", "姐妹", "哥哥", "弟弟", "姐姐", "妹妹", "儿媳", "女婿",
    "监护人",
    # offices and departments (转介单位、接收单位)
    "人民政府", "民政局", "民政所", "民政办", "医疗保障局", "医保局", "教育局", "人力资源和社会保障局",
    "人社局", "住房和城乡建设局", "住建局", "残疾人联合会", "残联", "应急管理局", "司法局", "司法所",
    "卫生健康委员会", "卫健委", "妇女联合会", "妇联", "总工会", "红十字会", "慈善总会", "派出所", "公安局",
    "法律援助中心", "救助管理站", "社会工作站", "乡镇", "街道", "社区", "居委会", "村委会", "办事处",
    "人民法院", "行政复议", "行政诉讼",
    # the letters' words
    "申请", "申请人", "申请书", "材料", "齐全", "不齐", "受理", "办理", "办结", "结果", "经办人", "联系人",
    "联系电话", "公民身份号码", "身份证", "户口簿", "诊断证明", "医疗费用", "票据", "收入", "证明", "家庭",
    "困难", "生活", "基本生活", "救助", "社会救助", "规定", "依据", "本机关", "审查", "补齐", "送交",
    "签名", "指印", "盖章", "日期", "时间", "住址", "地址", "姓名", "性别", "金额", "发放", "领取", "审批",
    "事由", "诉求", "答复", "来访人", "说明", "意见", "同意", "反馈", "签收", "接收单位", "转出单位",
    "电话", "手机", "提出", "决定", "予以", "单元", "号楼", "号院", "门牌",
)

# An address part without a lexicon word: two to five characters ending in an administrative or
# street suffix (GB/T 2260 levels, then village, group, street and house).
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,5}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|县|旗|区|镇|乡|"
                    r"街道|社区|村|屯|庄|组|路|街|道|巷|弄|胡同|里|苑|园|小区|公寓|大厦)")
_SUFFIX_CHARS = frozenset("省市州盟县旗区镇乡村屯庄组路街巷弄里苑园")
_SPLIT = re.compile(r"[/（）()、，；：\s]+")


def _vocab_words() -> set[str]:
    words: set[str] = set()
    for value in vars(vocab).values():
        if not isinstance(value, dict):
            continue
        for label in value.values():
            if isinstance(label, str):
                words.add(label)
                words.update(_SPLIT.split(label))
    return words


LEXICON: frozenset[str] = frozenset(w for w in (_vocab_words() | set(GLOSSARY) | set(COMMON)) if len(w) >= 2)
_MAX = max(len(w) for w in LEXICON)
# first character → the lengths of the lexicon's words that start with it, longest first
_LENGTHS: dict[str, tuple[int, ...]] = {}
for _w in LEXICON:
    _LENGTHS[_w[0]] = tuple(sorted({*_LENGTHS.get(_w[0], ()), len(_w)}, reverse=True))


@lru_cache(maxsize=4096)
def segment(run: str) -> tuple[str, ...]:
    """A run of Han characters as words: the longest lexicon word at each place, else an address
    part (示范县), else one character."""
    out: list[str] = []
    i, n = 0, len(run)
    while i < n:
        word = ""
        for length in _LENGTHS.get(run[i], ()):
            if i + length <= n and run[i:i + length] in LEXICON:
                word = run[i:i + length]
                break
        if not word and n - i >= 2:
            m = _PLACE.match(run, i)
            if m and m.end() - i >= 2:
                end = m.end()
                while end < n and end - i < 6 and run[end] in _SUFFIX_CHARS:  # 杨庄 + 村
                    end += 1
                word = run[i:end]
        out.append(word or run[i])
        i += len(out[-1])
    return tuple(out)


__all__ = ["COMMON", "GLOSSARY", "LEXICON", "segment"]
