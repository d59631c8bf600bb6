"""Product lines of the seeded catalog, and the search terms their titles carry.

Each line is a kind of product (口红, headphones) under one taxonomy node. Every title
of a line carries one of its nouns, and every noun holds the line's ``term``: the word
shoppers type. Lines are listed most popular first and drawn with Zipf weights
(1/rank), so a few everyday words own a large share of the catalog and the last
ones are uncommon. Rare lines (``fixed``) appear a fixed number of times at any size.

Only brand, model, noun, variant and colour are properties of a product; the
``attributes`` a shop adds vary per offer, so they hold no variant facts (colours,
editions, sizes, numbers) that would tell offers of one product apart.
"""

from __future__ import annotations

from dataclasses import dataclass

CN = "cn"  # Chinese partners: CNY, Chinese titles
UK = "uk"  # British partners: GBP, English titles


@dataclass(frozen=True, slots=True)
class Line:
    term: str
    taxonomy_id: int
    nouns: tuple[str, ...]
    brands: tuple[str, ...]  # keys of aggregator.seeding.brands.BRANDS, most sold first
    price: tuple[int, int]  # major units, drawn log-uniform
    series: tuple[str, ...]  # model names; "{n}" takes a number; one per brand if as many
    numbers: tuple[int, int] = (2, 9)
    variants: tuple[str, ...] = ("",)
    colours: tuple[str, ...] = ("",)
    editions: tuple[str, ...] = ("",)
    attributes: tuple[str, ...] = ("",)
    fixed: int = 0  # a rare line: this many offers at any catalog size

    def noun_share(self, word: str) -> float:
        """The share of this line's titles holding ``word`` (case-insensitive)."""
        word = word.casefold()
        return sum(word in noun.casefold() for noun in self.nouns) / len(self.nouns)


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|")) if text else ("",)


def _line(term: str, taxonomy_id: int, nouns: str, brands: str, price: tuple[int, int],
          series: str, *, numbers: tuple[int, int] = (2, 9), variants: str = "",
          colours: str = "", editions: str = "", attributes: str = "",
          fixed: int = 0) -> Line:
    return Line(term=term, taxonomy_id=taxonomy_id, nouns=_split(nouns),
                brands=tuple(brands.split()), price=price, series=_split(series),
                numbers=numbers, variants=_split(variants), colours=_split(colours),
                editions=_split(editions), attributes=_split(attributes), fixed=fixed)


_ZH_COLOURS = "黑色|白色|蓝色|灰色|粉色"
_EN_COLOURS = "Black|White|Blue|Grey|Silver"

CN_LINES: tuple[Line, ...] = (
    _line("运动鞋", 9000004, "运动鞋|跑步运动鞋|休闲运动鞋|缓震运动鞋",
          "nike adidas anta lining newbalance skechers asics", (199, 1299),
          "Zoom Fly {n}|Ultraboost {n}|C{n}02|超轻{n}|{n}90|GO RUN {n}|GEL-KAYANO {n}",
          numbers=(3, 30), variants="38码|39码|40码|41码|42码|43码|44码", colours=_ZH_COLOURS,
          attributes="轻便透气|减震防滑|网面透气 耐磨|百搭休闲|软底舒适"),
    _line("手机", 267, "手机|5G手机|智能手机|拍照手机",
          "apple huawei xiaomi oppo vivo honor samsung", (999, 8999),
          "iPhone {n}|Mate {n}|Civi {n}|Reno{n}|X{n}|Magic{n}|Galaxy S{n}",
          numbers=(11, 70), variants="8+256GB|12+256GB|12+512GB|16+1TB",
          colours="曜石黑|雪域白|冰川蓝|紫色|绿色", editions="|Pro|Ultra",
          attributes="旗舰芯片 长续航|超清影像 快充|拍照游戏|学生老人|大电池"),
    _line("口红", 3021, "口红|丝绒口红|哑光口红|唇膏口红",
          "dior esteelauder ysl chanel mac perfectdiary florasis", (79, 420),
          "烈艳蓝金|倾慕|小金条|可可小姐|子弹头|小细跟|雕花",
          variants="#999|#520|#316|#888|#301|#196",
          attributes="滋润显白|持久不沾杯|送女友礼物|丝滑滋润"),
    _line("纸巾", 624, "抽纸纸巾|纸巾|面巾纸 纸巾|乳霜纸巾",
          "vinda hearttex breeze cleanwrap tempo", (19, 89),
          "超韧|茶语|原木|face|天然无香",
          variants="3层120抽*24包|4层100抽*18包|3层130抽*12包|4层90抽*36包",
          attributes="家用实惠装 整箱|母婴可用|柔韧亲肤|无香型"),
    _line("牛奶", 418, "纯牛奶|全脂纯牛奶|低脂牛奶|有机纯牛奶", "yili mengniu wandashan bright",
          (39, 129), "金典|特仑苏|黑沃|优倍",
          variants="250ml*12盒|250ml*16盒|250ml*24盒|200ml*24盒",
          attributes="学生早餐 整箱|高钙营养|新鲜日期|营养早餐"),
    _line("耳机", 543626, "蓝牙耳机|无线蓝牙耳机|降噪耳机|头戴式耳机|运动耳机",
          "sony bose apple huawei xiaomi edifier sennheiser", (99, 2999),
          "WH-1000XM{n}|QuietComfort {n}|AirPods {n}|FreeBuds {n}|Buds {n}|W{n}20|MOMENTUM {n}",
          colours="黑色|白色|银色|蓝色", attributes="主动降噪|长续航 通话|入耳式 游戏|高音质"),
    _line("面膜", 6262, "补水面膜|保湿面膜|修护面膜|睡眠面膜",
          "loreal proya winona chando pechoin skii", (49, 399),
          "玻尿酸|红宝石|舒敏|冰肌|水嫩|前男友", variants="10片|20片|25片|5片*2盒",
          attributes="补水保湿 提亮|敏感肌可用|熬夜急救|清洁毛孔"),
    _line("洗发水", 2441, "洗发水|去屑洗发水|控油洗发水|氨基酸洗发水",
          "headshoulders pantene rejoice loreal dove", (29, 129),
          "清爽控油|丝质顺滑|柔顺|透明质酸|日常", variants="400ml|500ml|750ml|1kg",
          attributes="蓬松 男女通用|止痒|持久留香|修护干枯"),
    _line("洗衣液", 2754, "洗衣液|深层洁净洗衣液|除菌洗衣液", "bluemoon liby tide omo", (29, 99),
          "亮白|至尊|超浓缩|自然香", variants="2kg|3kg|1kg*4瓶|3kg*2瓶",
          attributes="持久留香 家庭装|机洗手洗|深层洁净|温和不伤手"),
    _line("精华液", 9000600, "精华液|修护精华液|抗老精华液",
          "esteelauder lancome loreal proya shiseido", (199, 2999),
          "小棕瓶|小黑瓶|黑精华|双抗|红腰子", variants="30ml|50ml|75ml|100ml",
          attributes="修护维稳 淡纹|补水保湿 提亮|紧致"),
    _line("笔记本电脑", 328, "笔记本电脑|轻薄笔记本电脑|游戏笔记本电脑",
          "lenovo huawei apple dell asus hp", (3499, 19999),
          "ThinkPad X{n}|MateBook {n}|MacBook Air M{n}|XPS {n}|灵耀{n}|战{n}6",
          numbers=(2, 16), variants="16GB+512GB|16GB+1TB|32GB+1TB|8GB+256GB", colours="深空灰|银色",
          attributes="高性能 办公|超轻薄 长续航|学生商务"),
    _line("羽绒服", 5598, "羽绒服|轻薄羽绒服|长款羽绒服|连帽羽绒服",
          "bosideng uniqlo thenorthface lining anta", (299, 2999),
          "极寒|轻暖|经典|户外", variants="M码|L码|XL码|XXL码", colours="黑色|藏青|米白色|红色",
          attributes="保暖防风 冬季外套|加厚|鹅绒 蓬松"),
    _line("纸尿裤", 551, "纸尿裤|拉拉裤 纸尿裤", "pampers merries huggies", (89, 299),
          "一级帮|妙而舒|铂金装|心钻装", variants="S码84片|M码64片|L码52片|XL码44片",
          attributes="超薄透气|干爽 瞬吸|柔软"),
    _line("咖啡", 1868, "速溶咖啡|咖啡豆|冻干咖啡|挂耳咖啡", "nestle starbucks saturnbird lavazza",
          (29, 199), "金牌|派克市场|超即溶|意式", variants="1.8g*100条|250g|500g|10g*30条",
          attributes="美式黑咖啡 提神|低脂|醇香"),
    _line("坚果", 5745, "每日坚果|混合坚果|坚果零食", "threesquirrels bestore baicaowei",
          (39, 199), "综合|原味|果仁|什锦", variants="750g|30袋|1.5kg|25g*30袋",
          attributes="休闲零食|营养早餐"),
    _line("猫粮", 3367, "猫粮|全价猫粮|幼猫猫粮|成猫猫粮", "royalcanin orijen purina", (69, 699),
          "室内|鸡肉|六种鱼|无谷", variants="2kg|4.5kg|10kg|1.8kg",
          attributes="营养增肥 发腮|美毛 护肠胃"),
    _line("电动牙刷", 527, "电动牙刷|声波电动牙刷", "philips oralb xiaomi", (99, 1299),
          "HX{n}730|iO{n}|T{n}00", colours="白色|粉色|黑色",
          attributes="成人 软毛 智能|情侣款|防水"),
    _line("充电宝", 9000300, "充电宝|快充充电宝|磁吸充电宝", "anker xiaomi baseus ugreen",
          (59, 399), "PowerCore {n}|口袋版{n}|能量{n}", variants="10000mAh|20000mAh|5000mAh",
          colours="黑色|白色", attributes="便携 大容量|双向快充|超薄小巧"),
    _line("空气炸锅", 9000702, "空气炸锅|可视空气炸锅", "midea joyoung supor bear philips",
          (149, 799), "KZE{n}01|KL{n}0|KJ{n}5|QZ{n}|HD{n}2", variants="4.5L|5L|6L",
          colours="白色|黑色", attributes="家用 多功能|无油 低脂|大容量"),
    _line("平板电脑", 4745, "平板电脑", "apple huawei xiaomi lenovo", (1299, 8999),
          "iPad Air {n}|MatePad {n}|Pad {n}|小新Pad {n}",
          variants="8+128GB|8+256GB|12+256GB",
          colours=_ZH_COLOURS, attributes="学习娱乐|高刷护眼|办公"),
    _line("智能手表", 9000301, "智能手表|运动智能手表", "huawei apple xiaomi garmin", (399, 4999),
          "WATCH GT {n}|Watch S{n}|Redmi Watch {n}|Forerunner {n}65", variants="42mm|46mm",
          colours="黑色|银色|金色", attributes="心率血氧|长续航|防水运动"),
    _line("保温杯", 3809, "保温杯|不锈钢保温杯", "thermos zojirushi tiger locknlock", (89, 399),
          "JNL-{n}02|SM-{n}Z|MMZ-{n}|LHC{n}", variants="350ml|500ml|750ml", colours=_ZH_COLOURS,
          attributes="便携 办公|长效保温|学生"),
    _line("牙膏", 1360, "牙膏|美白牙膏|抗敏感牙膏", "colgate crest sensodyne yunnanbaiyao",
          (19, 89), "劲白|炫白|专业修复|益生菌", variants="120g|180g|120g*3支",
          attributes="清新口气|护龈|含氟"),
    _line("沐浴露", 2747, "沐浴露", "safeguard dove nivea", (29, 99), "纯白|深层滋养|香氛",
          variants="720ml|1L|1kg", attributes="持久留香|滋润保湿|清爽"),
    _line("大米", 4682, "大米|东北大米|五常大米", "fortune arowana shiyue", (39, 159),
          "稻花香|长粒香|珍珠", variants="5kg|10kg|2.5kg", attributes="新米|当季|家庭装"),
    _line("手机壳", 2353, "手机壳", "apple baseus ugreen", (19, 199), "适用iPhone {n}",
          numbers=(12, 16), colours="透明|黑色|蓝色", editions="|Pro|Pro Max",
          attributes="防摔|磁吸|超薄"),
    _line("电饭煲", 757, "电饭煲|IH电饭煲", "midea supor joyoung panasonic zojirushi", (199, 1999),
          "MB-{n}0|SF{n}0|F-{n}|SR-{n}C|NW-{n}", variants="3L|4L|5L",
          attributes="家用 智能预约|不粘内胆"),
    _line("洗面奶", 2526, "洗面奶|氨基酸洗面奶", "loreal dove proya shiseido", (39, 199),
          "清润|温和|净澈|洗颜专科", variants="100ml|150ml|120g",
          attributes="控油 深层清洁|敏感肌"),
    _line("香水", 479, "香水|淡香水|浓香水", "dior chanel armani ysl", (399, 1999),
          "真我|可可小姐|寄情|自由之水", variants="30ml|50ml|100ml", attributes="持久留香|礼物"),
    _line("扫地机器人", 9000700, "扫地机器人|扫拖一体扫地机器人", "ecovacs roborock dreame xiaomi",
          (1299, 5999), "X{n}|G{n}0|L{n}0|S{n}", numbers=(2, 20), colours="白色|黑色",
          attributes="自动集尘|激光导航|拖布自清洁"),
    _line("蓝牙音箱", 249, "蓝牙音箱|便携蓝牙音箱", "jbl bose sony edifier xiaomi", (99, 2999),
          "Flip {n}|SoundLink Flex {n}|SRS-XB{n}3|M{n}30|Sound {n}", colours=_ZH_COLOURS,
          attributes="户外 防水|重低音|家用"),
    _line("巧克力", 4748, "巧克力|黑巧克力|夹心巧克力", "dove_chocolate ferrero lindt", (29, 199),
          "丝滑|榛果威化|Excellence", variants="252g|16粒|30粒|100g*3块", attributes="零食|送礼"),
)

UK_LINES: tuple[Line, ...] = (
    _line("headphones", 543626,
          "Wireless Headphones|Noise Cancelling Headphones|Over-Ear Headphones|"
          "Bluetooth Headphones",
          "sony bose apple sennheiser jbl beats", (49, 499),
          "WH-1000XM{n}|QuietComfort {n}|AirPods Max {n}|MOMENTUM {n}|Tune {n}10|Studio{n}",
          colours="Black|Silver|Midnight Blue|White",
          attributes="with Microphone|Long Battery Life|Foldable|Hi-Res Audio"),
    _line("lipstick", 3021, "Lipstick|Matte Lipstick|Satin Lipstick",
          "dior esteelauder ysl mac loreal charlotte rimmel", (7, 42),
          "Rouge Dior|Pure Color|Rouge Pur Couture|Retro Matte|Color Riche|Matte Revolution|"
          "Lasting Finish", variants="Shade 999|Shade 520|Shade 080|Shade 1966|Shade 316",
          attributes="Long Lasting|Hydrating|Gift for Her"),
    _line("trainers", 9000004, "Running Trainers|Trainers|Lifestyle Trainers",
          "nike adidas newbalance asics skechers", (45, 180),
          "Pegasus {n}|Ultraboost {n}|{n}80v|GEL-NIMBUS {n}|GO RUN {n}", numbers=(3, 30),
          variants="UK 6|UK 7|UK 8|UK 9|UK 10|UK 11", colours=_EN_COLOURS,
          attributes="Lightweight|Breathable Mesh|Cushioned"),
    _line("tissue", 624, "Facial Tissues|Tissues|Balsam Tissues|Pocket Tissues",
          "kleenex cushelle tempo", (2, 19), "Original|Ultra Soft|Balsam|Everyday",
          variants="Pack of 4|Pack of 12|Pack of 24", attributes="Family Value|Soft and Strong"),
    _line("smartphone", 267, "Smartphone|5G Smartphone", "apple samsung google xiaomi", (199, 1399),
          "iPhone {n}|Galaxy S{n}|Pixel {n}|Civi {n}", numbers=(8, 25),
          variants="128GB|256GB|512GB", colours=_EN_COLOURS, editions="|Pro",
          attributes="Unlocked|Dual SIM|SIM Free"),
    _line("face mask", 6262, "Sheet Face Mask|Hydrating Face Mask|Clay Face Mask",
          "loreal garnier skii", (5, 99), "Hydra Bomb|Pure Clay|Facial Treatment",
          variants="Pack of 5|Pack of 10", attributes="Hydrating|Brightening"),
    _line("shampoo", 2441, "Shampoo|Anti-Dandruff Shampoo", "headshoulders pantene loreal dove",
          (3, 15), "Classic Clean|Pro-V|Elvive|Daily Care", variants="250ml|400ml|500ml",
          attributes="Salon Quality|For Dry Hair|Gentle"),
    _line("laptop", 328, "Laptop|Gaming Laptop|Thin and Light Laptop", "lenovo hp dell asus apple",
          (349, 2499), "IdeaPad Slim {n}|Pavilion {n}|XPS {n}|Zenbook {n}|MacBook Air M{n}",
          numbers=(2, 16), variants="8GB RAM 256GB SSD|16GB RAM 512GB SSD|16GB RAM 1TB SSD",
          colours="Silver|Grey", attributes="Full HD|Backlit Keyboard|Windows"),
    _line("coffee", 1868, "Coffee Beans|Instant Coffee|Coffee Pods", "nestle starbucks lavazza",
          (3, 25), "Gold Blend|Pike Place|Crema e Gusto", variants="200g|1kg|Pack of 10",
          attributes="Medium Roast|Rich and Smooth"),
    _line("chocolate", 4748, "Milk Chocolate Bar|Chocolate Box|Dark Chocolate",
          "cadbury lindt ferrero", (1, 15), "Dairy Milk|Excellence|Rocher",
          variants="100g|200g|360g", attributes="Gift|Sharing"),
    _line("perfume", 479, "Perfume|Eau de Parfum Perfume Spray|Eau de Toilette Perfume Spray",
          "dior chanel armani ysl", (45, 160), "Sauvage|Coco Mademoiselle|Si|Libre",
          variants="30ml|50ml|100ml", attributes="Gift for Her|Long Lasting"),
    _line("electric toothbrush", 527, "Electric Toothbrush|Sonic Electric Toothbrush",
          "oralb philips", (25, 299), "iO{n}|Sonicare {n}100", colours="White|Black|Pink",
          attributes="Rechargeable|Pressure Sensor"),
    _line("air fryer", 9000702, "Air Fryer|Dual Zone Air Fryer", "ninja tefal philips cosori",
          (49, 249), "AF{n}00UK|Easy Fry {n}|HD{n}2|Pro {n}", variants="4.2L|5.5L|9.5L",
          colours="Black|Grey", attributes="Non-Stick|Digital Display"),
    _line("power bank", 9000300, "Power Bank|Portable Power Bank", "anker belkin", (15, 99),
          "PowerCore {n}|BoostCharge {n}", variants="10000mAh|20000mAh", colours="Black|White",
          attributes="Fast Charging|USB-C"),
    _line("smartwatch", 9000301, "Smartwatch|GPS Smartwatch", "apple samsung garmin", (149, 899),
          "Watch Series {n}|Galaxy Watch{n}|Forerunner {n}65", variants="41mm|45mm",
          colours="Black|Silver|Gold", attributes="Heart Rate Monitor|Fitness Tracker"),
    _line("tablet", 4745, "Tablet|Android Tablet", "apple samsung lenovo", (129, 1099),
          "iPad Air {n}|Galaxy Tab S{n}|Tab P{n}", variants="64GB|128GB|256GB", colours=_EN_COLOURS,
          attributes="Wi-Fi|Family Friendly"),
    _line("speaker", 249, "Bluetooth Speaker|Portable Speaker", "jbl bose sony ultimateears",
          (29, 299), "Flip {n}|SoundLink Flex {n}|SRS-XB{n}3|WONDERBOOM {n}", colours=_EN_COLOURS,
          attributes="Waterproof|Deep Bass"),
    _line("hoodie", 5322, "Hoodie|Fleece Hoodie|Pullover Hoodie", "nike adidas underarmour",
          (25, 90), "Club|Essentials|Rival", variants="S|M|L|XL", colours=_EN_COLOURS,
          attributes="Cotton Blend|Regular Fit"),
    _line("vacuum", 619, "Cordless Vacuum Cleaner|Vacuum Cleaner|Stick Vacuum",
          "dyson shark", (99, 599), "V{n}|Stratos IZ{n}00UK", numbers=(8, 15),
          colours="Nickel|Purple", attributes="Anti Hair Wrap|Lightweight"),
    _line("moisturiser", 2592, "Moisturiser|Day Cream Moisturiser", "nivea loreal clinique",
          (4, 45), "Soft|Revitalift|Dramatically Different", variants="50ml|100ml|200ml",
          attributes="For Dry Skin|Non-Greasy"),
)

RARE_LINES: dict[str, tuple[Line, ...]] = {
    CN: (
        _line("X2D", 152, "中画幅无反相机|中画幅数码相机", "hasselblad", (19999, 25999), "X2D 100C",
              variants="单机身|XCD 55V套机", attributes="旗舰|专业摄影", fixed=20),
        _line("景泰蓝", 696, "景泰蓝花瓶|景泰蓝摆件", "jingfa", (299, 2999), "掐丝珐琅|福寿",
              attributes="手工|收藏送礼", fixed=5),
    ),
    UK: (
        _line("Brompton", 9000902, "Folding Bike", "brompton", (1150, 3000),
              "C Line Explore|P Line Urban|G Line", variants="Mid Bar|High Bar",
              colours="Black|Blue", fixed=8),
    ),
}
LINES: dict[str, tuple[Line, ...]] = {CN: CN_LINES, UK: UK_LINES}


def zipf_weights(count: int) -> list[float]:
    return [1 / rank for rank in range(1, count + 1)]


def term_share(word: str, market: str) -> float:
    """The expected share of a market's regular offers whose titles hold ``word``."""
    lines = LINES[market]
    weights = zipf_weights(len(lines))
    return sum(w * line.noun_share(word) for w, line in zip(weights, lines, strict=True)) / sum(
        weights)
