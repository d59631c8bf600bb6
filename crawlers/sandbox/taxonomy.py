"""Brands, product lines and categories the sandbox catalog is built from.

The data is hand-written so that titles, shops and categories read like a real
Taobao Union feed; the generator in ``catalog.py`` only combines these pieces.
Prices are whole yuan ranges; the generator adds realistic ".90"/".99" tails.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Brand:
    name: str  # as it appears in titles and shop names
    latin: str  # drawn on product images (Pillow's default font has no CJK glyphs)

    @property
    def initials(self) -> str:
        words = [w for w in self.latin.replace("&", " ").replace("-", " ").split() if w]
        if len(words) == 1:
            return words[0][:2].upper()
        return "".join(w[0] for w in words[:3]).upper()


@dataclass(frozen=True, slots=True)
class Product:
    noun: str
    low: int  # yuan
    high: int  # yuan
    attributes: tuple[str, ...]
    specs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Category:
    key: str  # latin key: selects the shape on drawn images
    name: str  # the site's own wording
    taobao_name: str  # Taobao's `category_name`
    commission: tuple[int, int]  # commission_rate range in 1/10000
    shop_word: str  # used for small Taobao (C-shop) names
    brands: tuple[Brand, ...]
    products: tuple[Product, ...]


def _b(name: str, latin: str) -> Brand:
    return Brand(name, latin)


def _p(noun: str, low: int, high: int, attributes: str, specs: str) -> Product:
    return Product(noun, low, high, tuple(attributes.split()), tuple(specs.split()))


# One product line per row reads better than the formatter's one-value-per-line layout.
# fmt: off
CATEGORIES: tuple[Category, ...] = (
    Category(
        "beauty", "美妆", "彩妆/香水/美妆工具", (800, 2500), "美妆小铺",
        (_b("完美日记", "Perfect Diary"), _b("花西子", "Florasis"),
         _b("卡姿兰", "Carslan"), _b("兰蔻", "Lancome")),
        (_p("小细跟口红", 79, 320, "哑光唇膏 丝绒雾面 滋润显白 持久不沾杯", "V04 #196 M01 3.5g"),
         _p("气垫粉底液", 129, 520, "遮瑕持久 控油保湿 轻薄服帖", "15g 01亮白 02自然 正装+替换装"),
         _p("眼影盘", 69, 460, "大地色 哑光珠光 新手易上色", "9色 12色 16色"),
         _p("定妆散粉", 59, 380, "控油持妆 柔焦磨皮 不卡粉", "8g 10g 01透明色"),
         _p("睫毛膏", 49, 260, "纤长浓密 防水不晕染 卷翘定型", "8g 黑色 棕色")),
    ),
    Category(
        "skincare", "护肤", "美容护肤/美体/精油", (1000, 3000), "护肤馆",
        (_b("珀莱雅", "PROYA"), _b("薇诺娜", "Winona"),
         _b("欧莱雅", "L'Oreal Paris"), _b("自然堂", "Chando")),
        (_p("精华液", 199, 899, "抗皱紧致 修护舒缓 淡纹提亮", "30ml 50ml 双支装"),
         _p("面霜", 129, 680, "保湿补水 舒敏修护 清爽不油腻", "50g 30g+15g"),
         _p("洁面乳", 39, 159, "氨基酸 温和清洁 控油", "120g 150ml"),
         _p("防晒霜", 69, 269, "SPF50+ 清爽隔离 户外防水", "40ml 50ml"),
         _p("补水面膜", 49, 199, "玻尿酸 修护 提亮肤色", "10片 25片")),
    ),
    Category(
        "digital", "数码", "3C数码配件", (150, 700), "数码",
        (_b("小米", "Xiaomi"), _b("华为", "HUAWEI"), _b("绿联", "UGREEN"),
         _b("倍思", "Baseus"), _b("安克", "Anker")),
        (_p("蓝牙耳机", 99, 1299, "主动降噪 真无线 半入耳式", "白色 黑色 运动版"),
         _p("充电宝", 59, 299, "22.5W快充 超薄便携 自带线", "10000mAh 20000mAh"),
         _p("氮化镓充电器", 49, 199, "65W 多口快充 折叠插脚", "2C1A 单口"),
         _p("数据线", 19, 79, "Type-C 编织耐用 100W快充", "1m 2m 两条装"),
         _p("智能手环", 149, 499, "心率血氧监测 超长续航 NFC", "标准版 NFC版")),
    ),
    Category(
        "snacks", "食品零食", "零食/坚果/特产", (300, 1500), "零食铺",
        (_b("三只松鼠", "Three Squirrels"), _b("良品铺子", "Bestore"),
         _b("百草味", "Be&Cheery"), _b("卫龙", "WeiLong")),
        (_p("每日坚果", 49, 169, "混合果仁 孕妇零食 独立小包", "750g/30袋 500g/20袋"),
         _p("猪肉脯", 29, 89, "靖江风味 蜜汁 高蛋白", "200g 500g"),
         _p("辣条", 9, 49, "大面筋 麻辣 办公室零食", "106g*10包 整箱"),
         _p("夏威夷果", 29, 99, "奶油味 送开果器 饱满", "500g 2罐装"),
         _p("牛肉干", 39, 129, "手撕 风干 五香", "250g 500g")),
    ),
    Category(
        "cleaning", "个护清洁", "洗护清洁剂/卫生巾/纸/香薰", (200, 1200), "日用百货",
        (_b("维达", "Vinda"), _b("清风", "Breeze"),
         _b("蓝月亮", "Bluemoon"), _b("舒肤佳", "Safeguard")),
        (_p("超韧抽纸", 29, 99, "3层130抽 母婴适用 柔软亲肤", "*24包整箱 *18包"),
         _p("洗衣液", 39, 129, "深层洁净 亲肤 持久留香", "3kg 4kg*2瓶"),
         _p("沐浴露", 29, 89, "纯白清香 抑菌 长效保湿", "720ml 1L*2瓶"),
         _p("卷纸", 39, 89, "4层加厚 无芯", "27卷 10卷*3提"),
         _p("洗手液", 19, 59, "泡沫 抑菌99.9%", "500ml 补充装")),
    ),
    Category(
        "pets", "宠物", "宠物/宠物食品及用品", (500, 2000), "萌宠馆",
        (_b("ACANA爱肯拿", "ACANA"), _b("皇家", "Royal Canin"),
         _b("麦富迪", "Myfoodie"), _b("伯纳天纯", "Pure&Natural")),
        (_p("无谷全价成犬粮", 199, 899, "农场盛宴 鸡肉味 美毛", "2kg 5.4kg 11.4kg"),
         _p("全价猫粮", 89, 599, "室内成猫 幼猫 鱼肉配方", "2kg 4.5kg"),
         _p("猫条", 29, 79, "营养增肥 鸡肉金枪鱼", "15g*50支 15g*20支"),
         _p("冻干零食", 49, 199, "鸡胸肉 三文鱼", "500g 250g"),
         _p("豆腐猫砂", 39, 129, "除臭结团 可冲厕所", "2.5kg*4包 6L")),
    ),
    Category(
        "apparel", "服饰", "女装/女士精品", (500, 2000), "服饰",
        (_b("优衣库", "UNIQLO"), _b("太平鸟", "PEACEBIRD"),
         _b("波司登", "Bosideng"), _b("森马", "Semir")),
        (_p("轻薄羽绒服", 399, 1599, "中长款 连帽 保暖", "S M L 黑色"),
         _p("针织开衫", 99, 399, "宽松 慵懒风 短款", "米白 雾霾蓝 M"),
         _p("连衣裙", 129, 599, "法式 收腰 碎花", "S M L"),
         _p("牛仔裤", 99, 399, "高腰直筒 阔腿 显瘦", "25 26 27 28"),
         _p("卫衣", 79, 299, "宽松 加绒 圆领", "M L XL")),
    ),
    Category(
        "sports", "运动户外", "运动/瑜伽/健身/球迷用品", (300, 1200), "运动户外",
        (_b("李宁", "LI-NING"), _b("安踏", "ANTA"),
         _b("特步", "XTEP"), _b("迪卡侬", "Decathlon")),
        (_p("跑步鞋", 199, 899, "减震回弹 透气 轻量", "40 41 42 43"),
         _p("篮球鞋", 299, 1299, "高帮 耐磨 实战", "42 43 44"),
         _p("速干T恤", 59, 199, "冰丝 透气 短袖", "M L XL"),
         _p("瑜伽垫", 39, 199, "加厚 防滑 TPE", "6mm 8mm 183cm"),
         _p("双肩包", 79, 299, "大容量 防泼水 通勤", "20L 30L")),
    ),
    Category(
        "home", "家居", "床上用品", (400, 1500), "家居生活馆",
        (_b("富安娜", "Fuanna"), _b("水星家纺", "Mercury"),
         _b("罗莱家纺", "Luolai"), _b("梦洁", "Mendale")),
        (_p("纯棉四件套", 199, 999, "60支长绒棉 磨毛 简约", "1.5m床 1.8m床"),
         _p("蚕丝被", 399, 1999, "桑蚕丝 春秋被 冬被", "200x230cm 220x240cm"),
         _p("乳胶枕", 99, 399, "泰国天然 护颈 透气", "一对装 单只"),
         _p("夏凉被", 99, 399, "可水洗 空调被", "150x200cm 200x230cm"),
         _p("纯棉毛巾", 29, 99, "A类 吸水 不掉毛", "3条装 5条装")),
    ),
    Category(
        "baby", "母婴", "尿片/洗护/喂哺/推车床", (300, 1500), "母婴店",
        (_b("帮宝适", "Pampers"), _b("好奇", "Huggies"),
         _b("贝亲", "Pigeon"), _b("babycare", "babycare")),
        (_p("纸尿裤", 99, 299, "一级帮 超薄透气 干爽", "NB84片 S76片 M58片 L46片"),
         _p("拉拉裤", 99, 259, "成长裤 夜用 柔软", "L36片 XL32片"),
         _p("宽口径奶瓶", 59, 199, "玻璃 PPSU 防胀气", "160ml 240ml"),
         _p("婴儿湿巾", 29, 89, "手口专用 加厚", "80抽*6包 80抽*12包"),
         _p("婴儿洗发沐浴露", 39, 129, "二合一 无泪配方", "200ml 500ml")),
    ),
    Category(
        "appliances", "家电", "厨房电器", (200, 900), "电器",
        (_b("美的", "Midea"), _b("九阳", "Joyoung"),
         _b("苏泊尔", "SUPOR"), _b("小熊", "Bear")),
        (_p("电饭煲", 199, 899, "IH电磁加热 智能预约 家用", "3L 4L 5L"),
         _p("空气炸锅", 199, 599, "无油 可视 大容量", "5L 6.5L"),
         _p("破壁机", 299, 1299, "低音 加热 多功能", "1.75L 1.5L"),
         _p("电热水壶", 79, 269, "304不锈钢 恒温 保温", "1.5L 1.7L"),
         _p("豆浆机", 199, 599, "免滤 预约 全自动", "1.2L 1.3L")),
    ),
    Category(
        "drinks", "饮料冲调", "咖啡/麦片/冲饮", (300, 1200), "冲饮",
        (_b("雀巢", "Nestle"), _b("三顿半", "Saturnbird"),
         _b("桂格", "QUAKER"), _b("立顿", "Lipton")),
        (_p("速溶咖啡", 39, 199, "1+2原味 美式黑咖啡 提神", "48条 100条"),
         _p("冷萃咖啡粉", 69, 259, "超即溶 精品 冷热双泡", "24颗 12颗"),
         _p("燕麦片", 29, 99, "即食 无添加蔗糖 早餐", "1kg 1.5kg"),
         _p("红茶包", 29, 79, "黄牌精选 奶茶原料", "100包 200包"),
         _p("咖啡豆", 59, 199, "中度烘焙 意式拼配", "454g 250g")),
    ),
)

CATEGORY_BY_TAOBAO_NAME: dict[str, Category] = {c.taobao_name: c for c in CATEGORIES}

# Nicknames for small Taobao (C-shop) sellers; combined with Category.shop_word.
SHOP_NICKS: tuple[str, ...] = (
    "小鹿", "阿杰", "橙子", "柚子", "喵喵", "老王", "暖暖", "星河", "木木", "一禾",
)

# Tmall shop suffixes besides the brand's own 官方旗舰店.
TMALL_SHOP_SUFFIXES: tuple[str, ...] = ("旗舰店", "杭州专卖店", "上海专卖店", "官方直营店")

# Title prefixes sellers stuff in front of the brand; kept rare, as in real feeds.
TITLE_PREFIXES: tuple[str, ...] = ("【官方正品】", "【顺丰包邮】", "【618狂欢】", "【新品】")
# fmt: on


def find_brand(category: Category | None, title: str) -> Brand | None:
    """The brand named in ``title`` (searched within its category when known)."""
    pools = (category,) if category is not None else CATEGORIES
    for pool in pools:
        for brand in pool.brands:
            if brand.name in title:
                return brand
    return None
