"""Brands the seeded catalog sells: how each is written in Chinese and English titles.

``code`` starts the brand's part numbers and image names (latin letters only: the
sandbox draws the first two of them on the picture).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Brand:
    zh: str  # as Chinese titles and shops write it
    en: str  # as English titles write it
    code: str

    @property
    def bilingual(self) -> bool:
        return self.zh != self.en

    def jd_name(self) -> str:
        """JD's brandName: "华为（HUAWEI）"."""
        return f"{self.zh}（{self.en}）" if self.bilingual else self.zh

    def taobao_name(self) -> str:
        """How a Taobao seller leads a title with a foreign brand: "Apple/苹果"."""
        return f"{self.en}/{self.zh}" if self.bilingual else self.zh


def _brands(table: str) -> dict[str, Brand]:
    """``key | 中文 | English | CODE`` per line."""
    brands = {}
    for line in table.strip().splitlines():
        key, zh, en, code = (part.strip() for part in line.split("|"))
        brands[key] = Brand(zh=zh, en=en, code=code)
    return brands


BRANDS: dict[str, Brand] = _brands("""
apple | 苹果 | Apple | AP
huawei | 华为 | HUAWEI | HW
xiaomi | 小米 | Xiaomi | MI
oppo | OPPO | OPPO | OP
vivo | vivo | vivo | VV
honor | 荣耀 | HONOR | HN
samsung | 三星 | Samsung | SM
google | 谷歌 | Google | GG
sony | 索尼 | Sony | SN
bose | Bose | Bose | BO
edifier | 漫步者 | EDIFIER | ED
sennheiser | 森海塞尔 | Sennheiser | SE
jbl | JBL | JBL | JB
beats | Beats | Beats | BT
ultimateears | Ultimate Ears | Ultimate Ears | UE
nike | 耐克 | Nike | NK
adidas | 阿迪达斯 | adidas | AD
anta | 安踏 | ANTA | AT
lining | 李宁 | LI-NING | LN
newbalance | 新百伦 | New Balance | NB
skechers | 斯凯奇 | Skechers | SK
asics | 亚瑟士 | ASICS | AS
underarmour | 安德玛 | Under Armour | UA
bosideng | 波司登 | Bosideng | BD
uniqlo | 优衣库 | UNIQLO | UQ
thenorthface | 北面 | The North Face | TN
dior | 迪奥 | Dior | DI
esteelauder | 雅诗兰黛 | Estée Lauder | EL
ysl | 圣罗兰 | YSL | YS
chanel | 香奈儿 | Chanel | CH
mac | 魅可 | MAC | MC
armani | 阿玛尼 | Armani | AR
lancome | 兰蔻 | Lancôme | LC
clinique | 倩碧 | Clinique | CL
charlotte | Charlotte Tilbury | Charlotte Tilbury | CT
rimmel | 芮谜 | Rimmel | RM
perfectdiary | 完美日记 | Perfect Diary | PD
florasis | 花西子 | Florasis | FL
loreal | 欧莱雅 | L'Oréal Paris | LO
garnier | 卡尼尔 | Garnier | GA
proya | 珀莱雅 | PROYA | PY
winona | 薇诺娜 | Winona | WN
chando | 自然堂 | CHANDO | CD
pechoin | 百雀羚 | Pechoin | PC
skii | SK-II | SK-II | SK
shiseido | 资生堂 | Shiseido | SS
nivea | 妮维雅 | NIVEA | NV
vinda | 维达 | Vinda | VD
hearttex | 心相印 | Hearttex | HT
breeze | 清风 | Breeze | BZ
cleanwrap | 洁柔 | C&S | CS
tempo | 得宝 | Tempo | TP
kleenex | 舒洁 | Kleenex | KX
cushelle | Cushelle | Cushelle | CU
yili | 伊利 | Yili | YL
mengniu | 蒙牛 | Mengniu | MN
wandashan | 完达山 | Wandashan | WD
bright | 光明 | Bright Dairy | BR
headshoulders | 海飞丝 | Head & Shoulders | HS
pantene | 潘婷 | Pantene | PT
rejoice | 飘柔 | Rejoice | RJ
dove | 多芬 | Dove | DV
bluemoon | 蓝月亮 | Blue Moon | BM
liby | 立白 | Liby | LB
tide | 汰渍 | Tide | TD
omo | 奥妙 | OMO | OM
lenovo | 联想 | Lenovo | LV
dell | 戴尔 | Dell | DL
asus | 华硕 | ASUS | AU
hp | 惠普 | HP | HP
pampers | 帮宝适 | Pampers | PA
merries | 花王 | Merries | ME
huggies | 好奇 | Huggies | HG
nestle | 雀巢 | Nescafé | NC
starbucks | 星巴克 | Starbucks | SB
saturnbird | 三顿半 | Saturnbird | SA
lavazza | 拉瓦萨 | Lavazza | LA
threesquirrels | 三只松鼠 | Three Squirrels | TS
bestore | 良品铺子 | Bestore | BE
baicaowei | 百草味 | Be&Cheery | BW
royalcanin | 皇家 | Royal Canin | RC
orijen | 渴望 | Orijen | OR
purina | 冠能 | Purina Pro Plan | PU
philips | 飞利浦 | Philips | PH
oralb | 欧乐B | Oral-B | OB
anker | 安克 | Anker | AK
baseus | 倍思 | Baseus | BA
ugreen | 绿联 | UGREEN | UG
belkin | 贝尔金 | Belkin | BK
midea | 美的 | Midea | MD
joyoung | 九阳 | Joyoung | JY
supor | 苏泊尔 | SUPOR | SP
bear | 小熊 | Bear | BE
panasonic | 松下 | Panasonic | PN
ninja | Ninja | Ninja | NJ
tefal | 特福 | Tefal | TF
cosori | COSORI | COSORI | CO
thermos | 膳魔师 | Thermos | TM
zojirushi | 象印 | Zojirushi | ZJ
tiger | 虎牌 | Tiger | TG
locknlock | 乐扣乐扣 | LocknLock | LL
colgate | 高露洁 | Colgate | CG
crest | 佳洁士 | Crest | CR
sensodyne | 舒适达 | Sensodyne | SD
yunnanbaiyao | 云南白药 | Yunnan Baiyao | YB
safeguard | 舒肤佳 | Safeguard | SG
fortune | 福临门 | Fortune | FO
arowana | 金龙鱼 | Arowana | AW
shiyue | 十月稻田 | Shiyue Daotian | SY
ecovacs | 科沃斯 | ECOVACS | EV
roborock | 石头 | Roborock | RR
dreame | 追觅 | dreame | DR
dyson | 戴森 | Dyson | DY
shark | 鲨客 | Shark | SH
garmin | 佳明 | Garmin | GM
dove_chocolate | 德芙 | DOVE Chocolate | DC
ferrero | 费列罗 | Ferrero | FE
lindt | 瑞士莲 | Lindt | LI
cadbury | 吉百利 | Cadbury | CB
hasselblad | 哈苏 | Hasselblad | HB
jingfa | 京珐 | Jingfa | JF
brompton | 小布 | Brompton | BP
""")
