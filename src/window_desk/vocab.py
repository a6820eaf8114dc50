"""Controlled vocabularies: the code name (glossary.md) and the Chinese the desk shows.

Each mapping is ordered as a clerk expects to see it in a drop-down.
"""

from __future__ import annotations

ROLES = {"clerk": "窗口受理员", "supervisor": "审核人", "admin": "系统管理员"}

INQUIRY_CHANNELS = {
    "window": "窗口来访",
    "phone_12345": "12345热线",
    "phone_12349": "12349热线",
    "phone_other": "其他来电",
    "village_assistant": "村（社区）协理员上报",
    "department": "部门转来",
    "active_discovery": "主动发现",
    "online": "网上申请",
    "other": "其他",
}

INQUIRY_OUTCOMES = {
    "accepted": "当场受理",
    "one_time_notice": "一次性告知",
    "to_window": "转窗口",
    "to_department": "转部门",
    "answered": "咨询答复",
}

AREAS = {"urban": "城市", "rural": "农村"}

RELATIONS = {
    "self": "本人",
    "spouse": "配偶",
    "child": "子女",
    "parent": "父母",
    "grandparent": "祖父母/外祖父母",
    "grandchild": "孙子女/外孙子女",
    "sibling": "兄弟姐妹",
    "other": "其他",
}

CAPACITY = {"full": "完全", "partial": "部分", "none": "无"}
LABOR_CAPACITY = {"full": "有劳动能力", "partial": "部分丧失劳动能力", "none": "无劳动能力"}
SELF_CARE = {"full": "全自理", "partial": "半失能", "none": "全失能"}

DISABILITY_KINDS = {
    "physical": "肢体",
    "visual": "视力",
    "hearing": "听力",
    "speech": "言语",
    "intellectual": "智力",
    "mental": "精神",
    "multiple": "多重",
}
DISABILITY_GRADES = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}

HEALTH = {"healthy": "健康", "chronic": "慢性病", "serious": "重病"}

SCHOOLING = {
    "preschool": "学前教育",
    "compulsory": "义务教育",
    "high_school": "高中阶段",
    "higher": "高等教育",
}

INCOME_KINDS = {
    "wage": "工资性收入",
    "business": "经营净收入",
    "property": "财产净收入",
    "transfer": "转移净收入",
    "other": "其他收入",
    "exempt": "豁免收入",
}

ASSET_KINDS = {
    "deposits": "存款及有价证券",
    "non_essential_vehicles": "非生活必需机动车辆（辆）",
    "extra_houses": "生活必需以外的房产（套）",
}

RIGID_EXPENSES = {"medical": "医疗", "education": "教育", "care": "照料护理", "housing": "住房"}

HOUSING = {"adequate": "住房有保障", "none": "无房", "dangerous": "危房"}

EVENTS = {
    "disaster": "自然灾害",
    "accident": "意外事故",
    "serious_illness": "重大疾病",
    "public_health": "突发公共卫生事件",
    "fire": "火灾",
    "breadwinner_death": "家庭主要劳动力死亡",
    "homeless": "生活无着（流浪乞讨）",
    "legal_dispute": "法律纠纷",
}

BENEFITS = {
    "dibao": "最低生活保障",
    "tekun": "特困人员救助供养",
    "low_income": "低收入家庭",
}

MEASURES = {
    "dibao": "最低生活保障",
    "dibao_single": "单人保",
    "dibao_taper": "低保渐退",
    "tekun": "特困人员救助供养",
    "low_income": "低收入家庭认定",
    "temp_expenditure": "支出型临时救助",
    "temp_emergency": "急难型临时救助",
    "social_work": "社会工作服务",
    "vagrant": "流浪乞讨人员救助",
    "medical": "医疗救助",
    "education": "教育救助",
    "housing": "住房救助",
    "employment": "就业救助",
    "disaster": "受灾人员救助",
    "disability_subsidy": "困难残疾人生活补贴",
    "child_welfare": "困境儿童保障",
    "legal_aid": "法律援助",
    "charity": "慈善救助",
    "observation": "救助观察",
}

TIERS = {
    "dibao": "低保",
    "tekun": "特困",
    "low_income": "低收入",
    "expenditure": "支出型困难",
    "emergency": "急难",
    "observation": "救助观察",
    "none": "无",
}

FLAGS = {"dynamic_monitoring": "纳入低收入人口动态监测", "zero_employment": "零就业家庭"}

CASE_STATUSES = {
    "draft": "录入中",
    "accepted": "已受理",
    "missing_materials": "一次性告知",
    "rejected": "不予受理",
    "closed": "已办结",
    "withdrawn": "已撤回",
}

REFERRAL_STATUSES = {
    "sent": "已转出",
    "received": "已签收",
    "done": "已办结",
    "returned": "已退回",
    "cancelled": "已撤销",
}

# Materials commonly handed in at the window ("一证一书" plus supporting papers); code → printed name.
MATERIALS = {
    "id_card": "居民身份证",
    "hukou": "户口簿",
    "authorization": "家庭经济状况核对授权书",
    "application": "社会救助申请书",
    "income_proof": "收入情况证明",
    "medical": "医院诊断证明及医疗费用票据",
    "disability_card": "残疾人证",
    "school": "在学证明及教育费用票据",
    "disaster": "受灾、事故情况证明",
    "housing": "住房情况证明",
}
