"""Words the matcher knows: brand spellings, colours, editions, accessories, shop noise.

Kept as data beside the code that reads it; extend a table when the labelled pairs
(tests/fixtures/matching/pairs.jsonl) show a miss.
"""

from __future__ import annotations

import re

# Chinese (and other) brand names -> the canonical latin key brand_key() returns.
BRAND_ALIASES: dict[str, str] = {
    "苹果": "apple", "华为": "huawei", "小米": "xiaomi", "红米": "redmi", "三星": "samsung",
    "索尼": "sony", "荣耀": "honor", "联想": "lenovo", "戴尔": "dell", "惠普": "hp",
    "华硕": "asus", "宏碁": "acer", "微软": "microsoft", "任天堂": "nintendo",
    "佳能": "canon", "尼康": "nikon", "大疆": "dji", "飞利浦": "philips", "博世": "bosch",
    "西门子": "siemens", "松下": "panasonic", "夏普": "sharp", "海尔": "haier",
    "美的": "midea", "格力": "gree", "九阳": "joyoung", "苏泊尔": "supor", "戴森": "dyson",
    "摩飞": "morphyrichards", "德龙": "delonghi", "博朗": "braun", "欧乐b": "oralb",
    "欧乐": "oralb", "oral-b": "oralb", "oralb": "oralb", "高露洁": "colgate",
    "佳洁士": "crest", "舒适达": "sensodyne", "雅诗兰黛": "esteelauder",
    "esteelauder": "esteelauder", "estéelauder": "esteelauder", "兰蔻": "lancome",
    "lancôme": "lancome", "迪奥": "dior", "香奈儿": "chanel", "圣罗兰": "ysl",
    "yvessaintlaurent": "ysl", "阿玛尼": "armani", "纪梵希": "givenchy", "魅可": "mac",
    "欧莱雅": "loreal", "l'oréal": "loreal", "loréal": "loreal", "巴黎欧莱雅": "loreal",
    "资生堂": "shiseido", "娇韵诗": "clarins", "倩碧": "clinique", "海蓝之谜": "lamer",
    "sk-ii": "skii", "skii": "skii", "完美日记": "perfectdiary", "花西子": "florasis",
    "百雀羚": "pechoin", "自然堂": "chando", "珀莱雅": "proya", "薇诺娜": "winona",
    "耐克": "nike", "阿迪达斯": "adidas", "彪马": "puma", "新百伦": "newbalance",
    "安踏": "anta", "李宁": "lining", "特步": "xtep", "优衣库": "uniqlo", "斯凯奇": "skechers",
    "匡威": "converse", "万斯": "vans", "北面": "thenorthface", "始祖鸟": "arcteryx",
    "乐高": "lego", "美泰": "mattel", "孩之宝": "hasbro", "帮宝适": "pampers",
    "花王": "kao", "好奇": "huggies", "雀巢": "nestle", "星巴克": "starbucks",
    "三只松鼠": "threesquirrels", "良品铺子": "bestore", "百草味": "baicaowei",
    "维达": "vinda", "清风": "breeze", "心相印": "hearttex", "洁柔": "cleanwrap",
    "得宝": "tempo", "蓝月亮": "bluemoon", "立白": "liby", "汰渍": "tide", "奥妙": "omo",
    "舒肤佳": "safeguard", "海飞丝": "headshoulders", "飘柔": "rejoice", "潘婷": "pantene",
    "沙宣": "vidalsassoon", "多芬": "dove", "妮维雅": "nivea", "曼秀雷敦": "mentholatum",
    "倍思": "baseus", "绿联": "ugreen", "安克": "anker", "漫步者": "edifier",
    "森海塞尔": "sennheiser", "铁三角": "audiotechnica", "audio-technica": "audiotechnica",
    "jbl": "jbl", "bose": "bose", "博士": "bose", "beats": "beats", "罗技": "logitech",
    "雷蛇": "razer", "海信": "hisense", "tcl": "tcl", "创维": "skyworth", "一加": "oneplus",
    "oppo": "oppo", "vivo": "vivo", "真我": "realme", "魅族": "meizu", "努比亚": "nubia",
    "谷歌": "google", "亚马逊": "amazon", "皇家": "royalcanin", "渴望": "orijen",
    "伊利": "yili", "蒙牛": "mengniu", "农夫山泉": "nongfuspring", "可口可乐": "cocacola",
    "coca-cola": "cocacola", "百事": "pepsi", "费列罗": "ferrero", "德芙": "dove",
    "philips": "philips", "kitchenaid": "kitchenaid", "凯膳怡": "kitchenaid",
    "松下电器": "panasonic", "科沃斯": "ecovacs", "石头": "roborock", "追觅": "dreame",
    "云鲸": "narwal", "添可": "tineco", "小熊": "bear", "膳魔师": "thermos",
    "象印": "zojirushi", "虎牌": "tiger", "乐扣乐扣": "locknlock", "双立人": "zwilling",
    "wmf": "wmf", "酷彩": "lecreuset", "le creuset": "lecreuset", "雷朋": "rayban",
    "ray-ban": "rayban", "卡西欧": "casio", "天梭": "tissot", "浪琴": "longines",
    "施华洛世奇": "swarovski", "潘多拉": "pandora", "蔻驰": "coach", "迈克高仕": "michaelkors",
    "新秀丽": "samsonite", "日默瓦": "rimowa", "ugg": "ugg", "添柏岚": "timberland",
    "马丁博士": "drmartens", "dr.martens": "drmartens", "levi's": "levis", "李维斯": "levis",
}

# (word as it appears in a folded title, canonical colour); longer words first.
_COLOUR_TABLE: dict[str, tuple[str, ...]] = {
    "black": ("黑色", "曜石黑", "暗夜黑", "幻夜黑", "雅黑", "黑", "black", "jet black"),
    "white": ("白色", "珍珠白", "陶瓷白", "雪白", "white"),
    "red": ("红色", "中国红", "red"),
    "blue": ("蓝色", "天蓝", "海蓝", "blue"),
    "navy": ("藏青色", "藏青", "深蓝色", "navy", "midnight blue"),
    "green": ("绿色", "墨绿", "green"),
    "pink": ("粉色", "粉红色", "樱花粉", "pink"),
    "purple": ("紫色", "purple", "violet"),
    "grey": ("灰色", "深空灰", "星空灰", "grey", "gray", "space grey", "space gray"),
    "gold": ("金色", "香槟金", "gold"),
    "rosegold": ("玫瑰金", "rose gold"),
    "silver": ("银色", "silver"),
    "yellow": ("黄色", "yellow"),
    "orange": ("橙色", "orange"),
    "brown": ("棕色", "咖啡色", "brown"),
    "beige": ("米色", "米白色", "杏色", "beige", "cream"),
    "midnight": ("午夜色", "midnight"),
    "starlight": ("星光色", "starlight"),
    "natural": ("原色钛金属", "原色", "natural titanium"),
    "titanium": ("钛金属", "titanium"),
}
COLOURS: list[tuple[str, str]] = sorted(
    ((word, colour) for colour, words in _COLOUR_TABLE.items() for word in words
     if word != "黑"),  # a lone 黑 is too often part of another word (黑科技, 黑头)
    key=lambda pair: len(pair[0]), reverse=True,
)

# Editions, product lines and kinds of item that make a different product.
_EDITION_TABLE: dict[str, tuple[str, ...]] = {
    "pro": ("pro",), "max": ("max",), "plus": ("plus", "+版"), "mini": ("mini",),
    "ultra": ("ultra",), "lite": ("lite",), "air": ("air",), "se": ("se",), "fe": ("fe",),
    "neo": ("neo",), "note": ("note",), "fold": ("fold",), "flip": ("flip",), "turbo": ("turbo",),
    "youth": ("青春版",), "standard": ("标准版", "standard edition"),
    "premium": ("高配版", "尊享版", "旗舰版", "豪华版", "premium edition", "deluxe"),
    "upgraded": ("升级版", "增强版"), "basic": ("基础版", "入门版"),
    "giftset": ("礼盒装", "礼盒", "套装", "gift set", "bundle", "set of"),
    "sample": ("小样", "试用装", "旅行装", "sample", "travel size", "mini size"),
    "refill": ("替换装", "补充装", "替换芯", "refill", "refills"),
    "case": ("手机壳", "保护壳", "保护套", "case", "cover"),
    "protector": ("钢化膜", "贴膜", "保护膜", "screen protector"),
    "charger": ("充电器", "充电头", "charger"),
    "cable": ("数据线", "cable"),
    "strap": ("表带", "腕带", "strap"),
    "brushhead": ("刷头", "brush heads", "brush head", "replacement heads"),
    "filter": ("滤芯", "滤网", "filter"),
    "kids": ("儿童", "童装", "kids", "junior"),
    "women": ("女款", "女士", "女式", "women's", "womens", "women"),
    "men": ("男款", "男士", "男式", "men's", "mens", "men"),
    "wireless": ("无线", "wireless"),
    "wired": ("有线", "wired"),
    "used": ("二手", "翻新", "refurbished", "renewed", "pre-owned"),
}
EDITIONS: list[tuple[str, str]] = sorted(
    ((word, edition) for edition, words in _EDITION_TABLE.items() for word in words),
    key=lambda pair: len(pair[0]), reverse=True,
)

# Shop talk that says nothing about the product.
NOISE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"【[^】]*】"),  # 【官方正品】【顺丰速发】
    re.compile(r"\[[^\]]*(?:offer|sale|deal|free)[^\]]*\]"),
    re.compile(r"20[12]\d\s*(?:年|新款|款|新品|春|夏|秋|冬)"),  # "2024新款": a season, not a model
    # shop talk that would otherwise read as a quantity ("15 包邮" is not 15 packs)
    re.compile("包邮|正品|官方|旗舰店|官网|授权|新款|新品|热卖|现货|顺丰|速发|国行|全网通"
               "|直降|特价|限时|秒杀|爆款|专柜|同款|网红|推荐|原装|自营|百亿补贴"),
)
NOISE_WORDS: frozenset[str] = frozenset({
    "包邮", "正品", "官方", "旗舰店", "旗舰", "官网", "授权", "新款", "新品", "热卖", "现货",
    "顺丰", "速发", "国行", "全网通", "直降", "特价", "限时", "秒杀", "爆款", "专柜", "保证",
    "同款", "网红", "推荐", "原装", "自营", "京东", "天猫", "淘宝", "拼多多", "百亿补贴",
    "支持", "移动", "联通", "电信", "双卡", "双待", "手机", "的", "款", "装", "和", "与",
    "new", "official", "genuine", "free", "delivery", "uk", "stock", "sale", "the", "with",
    "and", "for", "of", "in", "a", "by", "brand", "edition", "version", "latest",
})
