"""UK product lines, merchants and Google categories for the Awin and GMC feeds.

Brands are invented (so no real company's GTINs or prices are misquoted) but
named and priced like what British shops sell. A product is one line, one
model word, suffix and generation, and one variant (size, colour or capacity):
tens of thousands of distinct products, so a 100k-row feed repeats a product
only where real feeds do (the same item at a few merchants).
"""

from __future__ import annotations

from dataclasses import dataclass

UPC_A = "upca"  # 12 digits, American brands ("0820650851230" once padded)
EAN_13 = "ean13"  # 13 digits, GS1 UK prefix 50
EAN_8 = "ean8"  # 8 digits, small packs


@dataclass(frozen=True, slots=True)
class Line:
    brand: str
    noun: str
    words: tuple[str, ...]  # model names
    suffixes: tuple[str, ...]  # "", " GTX", …
    generations: tuple[str, ...]  # "", "2", "II", …
    variants: tuple[str, ...]  # sizes, colours, capacities
    low: int  # pounds
    high: int
    step: int  # pounds added per variant step (capacities cost more)
    awin_category: str
    google_id: str
    google_path: str
    shape: str  # drawn image kind (images.py)
    group: str  # which merchants sell it
    gtin: str = EAN_13


def _line(
    brand: str,
    noun: str,
    words: str,
    suffixes: str,
    gens: str,
    variants: str,
    prices: tuple[int, int, int],
    awin: str,
    google: str,
    shape: str,
    group: str,
    gtin: str = EAN_13,
) -> Line:
    google_id, google_path = google.split(" ", 1)
    own = tuple(words.split("|"))
    return Line(
        brand,
        noun,
        own + tuple(w for w in MODEL_PLACES if w not in own),
        tuple(suffixes.split("|")),
        tuple(gens.split("|")),
        tuple(variants.split("|")),
        *prices,
        awin,
        google_id,
        google_path,
        shape,
        group,
        gtin,
    )


# British places many brands name models after; every line uses them after its own names.
MODEL_PLACES: tuple[str, ...] = (
    "Ambleside",
    "Borrowdale",
    "Buttermere",
    "Coniston",
    "Derwent",
    "Ennerdale",
    "Grasmere",
    "Haweswater",
    "Keswick",
    "Loweswater",
    "Rydal",
    "Thirlmere",
    "Wasdale",
    "Windermere",
    "Malham",
    "Hawes",
    "Kettlewell",
    "Grassington",
    "Whitby",
    "Robin Hood",
    "Staithes",
    "Helmsley",
    "Hutton",
    "Rosedale",
    "Bamburgh",
    "Alnwick",
    "Craster",
    "Rothbury",
    "Kielder",
    "Hexham",
    "Brecon",
    "Tenby",
    "Harlech",
    "Conwy",
    "Llanberis",
    "Portree",
    "Oban",
    "Glencoe",
    "Torridon",
    "Aviemore",
    "Braemar",
    "Padstow",
    "Fowey",
    "St Ives",
    "Lulworth",
    "Dartmoor",
    "Exmoor",
    "Rye",
)
_SHOE_SIZES = "|".join(
    [f"Men's UK {n}" for n in range(7, 12)] + [f"Women's UK {n}" for n in range(4, 8)]
)
_BOOT_SIZES = "|".join(f"UK {n}" for n in range(6, 13))
_JACKET = "|".join(f"{c} {s}" for c in ("Navy", "Olive", "Black") for s in ("S", "M", "L", "XL"))
_COLOURS = "Black|Silver|Midnight Blue|Sand"
_SHOES = "187 Apparel & Accessories > Shoes"
_AUDIO = "505771 Electronics > Audio > Audio Components > Headphones & Headsets"
_PHONE = "264 Electronics > Communications > Telephony > Mobile Phone Accessories"
_KITCHEN = "730 Home & Garden > Kitchen & Dining > Kitchen Appliances"
_COOKWARE = "654 Home & Garden > Kitchen & Dining > Cookware & Bakeware"
_BEDDING = "569 Home & Garden > Linens & Bedding > Bedding"
_COSMETICS = "2915 Health & Beauty > Personal Care > Cosmetics"
_PETS = "5 Animals & Pet Supplies > Pet Supplies"
_BABY = "537 Baby & Toddler"
_FITNESS = "990 Sporting Goods > Exercise & Fitness"

# fmt: off
LINES: tuple[Line, ...] = (
    _line("Acme", "Trail Running Shoe", "Ridge|Fell|Tor|Crag|Scree|Ghyll|Pike|Moor",
          "| GTX| Lite", "2|3|4|5", _SHOE_SIZES, (59, 139, 0), "Shoes > Running", _SHOES,
          "sports", "outdoor", UPC_A),
    _line("Fellside", "Walking Boot", "Skiddaw|Helvellyn|Kinder|Snowdon|Cairn|Langdale",
          "| Mid| WP", "|II", _BOOT_SIZES, (79, 179, 0), "Shoes > Walking", _SHOES,
          "sports", "outdoor"),
    _line("Harbour & Hale", "Waterproof Jacket", "Coastline|Mariner|Breaker|Skerry|Headland",
          "| Insulated| 3L", "|2", _JACKET, (89, 229, 0), "Clothing > Jackets",
          "5598 Apparel & Accessories > Clothing > Outerwear > Coats & Jackets",
          "apparel", "outdoor"),
    _line("Acme", "Insulated Bottle", "Summit|Trek|Canyon|Glacier|Basin",
          "| Sport", "|2", "500ml Slate|750ml Slate|750ml Moss|1L Sand|1L Slate|1.5L Moss",
          (14, 29, 3), "Outdoor > Bottles",
          "2169 Home & Garden > Kitchen & Dining > Food & Beverage Carriers > Water Bottles",
          "drinks", "outdoor", UPC_A),
    _line("Kestrel", "Hiking Backpack", "Ascent|Traverse|Col|Ridgeline|Bothy",
          "| Pro", "|2", "20L Black|28L Black|28L Teal|35L Black|35L Teal|45L Black",
          (45, 120, 6), "Bags > Backpacks", "100 Luggage & Bags > Backpacks",
          "sports", "outdoor"),
    _line("Summit", "Dome Tent", "Bivvy|Basecamp|Nomad|Highland|Glen",
          " 2P| 3P| 4P", "|Air", "Green|Orange|Grey", (89, 329, 0), "Camping > Tents",
          "1013 Sporting Goods > Outdoor Recreation > Camping & Hiking > Tents",
          "home", "outdoor"),
    _line("Northwind Audio", "Wireless Headphones", "Aria|Echo|Cadence|Tempo|Sonata|Verse",
          "| ANC| Pro", "2|3|4", _COLOURS, (49, 299, 0), "Electronics > Headphones", _AUDIO,
          "digital", "electricals", UPC_A),
    _line("Northwind Audio", "True Wireless Earbuds", "Pulse|Dot|Nano|Flux|Loop",
          "| Pro| Sport", "2|3", "Black|White|Graphite", (29, 179, 0),
          "Electronics > Headphones", _AUDIO, "digital", "electricals", UPC_A),
    _line("Voltline", "Power Bank", "Charge|Boost|Surge|Relay",
          "| Slim| Max", "|2", "10000mAh Black|10000mAh White|20000mAh Black|26800mAh Black",
          (19, 49, 10), "Electronics > Phone Accessories", _PHONE, "digital", "electricals"),
    _line("Voltline", "GaN USB-C Charger", "Nano|Dual|Trio|Desk",
          "", "|2", "30W|45W|65W|100W", (15, 29, 8), "Electronics > Phone Accessories",
          _PHONE, "digital", "electricals"),
    _line("Ashby Audio", "Bluetooth Speaker", "Roam|Drift|Harbour|Beacon|Swell",
          "| Mini| XL", "|2", "Charcoal|Sage|Coral|Stone", (39, 199, 0),
          "Electronics > Speakers", "249 Electronics > Audio > Audio Components > Speakers",
          "digital", "electricals"),
    _line("Kettleby", "Electric Kettle", "Brew|Hearth|Cottage|Loft|Pantry",
          "| Rapid Boil| Quiet", "", "1.5L Cream|1.7L Cream|1.7L Black|1.7L Sage|1.7L Steel",
          (25, 89, 0), "Kitchen > Kettles", _KITCHEN, "appliances", "electricals"),
    _line("Kettleby", "Toaster", "Brew|Hearth|Cottage|Loft|Pantry",
          "| 2-Slice| 4-Slice", "", "Cream|Black|Sage|Steel", (25, 79, 0),
          "Kitchen > Toasters", _KITCHEN, "appliances", "electricals"),
    _line("Brightwell", "Air Fryer", "Crisp|Duo|Family|Compact|Smart",
          "| Dual Zone| Digital", "|2", "4.2L|5.5L|7.6L|9L", (49, 159, 20),
          "Kitchen > Air Fryers", _KITCHEN, "appliances", "electricals"),
    _line("Brightwell", "Bean-to-Cup Coffee Machine", "Barista|Crema|Ristretto|Lungo",
          "| Plus| Touch", "|2", "Silver|Black", (199, 649, 0), "Kitchen > Coffee Machines",
          _KITCHEN, "drinks", "electricals"),
    _line("Cotswold Kitchen", "Non-Stick Frying Pan", "Everyday|Pro Chef|Ceramic|Forged",
          "| Induction", "", "20cm|24cm|28cm|30cm", (15, 39, 5), "Kitchen > Cookware",
          _COOKWARE, "appliances", "home"),
    _line("Cotswold Kitchen", "Knife Block Set", "Everyday|Pro Chef|Damascus|Forged",
          "", "", "5-piece|7-piece", (39, 119, 30), "Kitchen > Knives", _COOKWARE,
          "home", "home"),
    _line("Oakhurst Home", "Duvet", "Hotel Quality|Cloud|All Seasons|Snug|Goose Feather",
          "| Anti-Allergy", "", "Single 10.5 tog|Double 10.5 tog|King 10.5 tog|Double 13.5 tog"
          "|King 4.5 tog|Super King 10.5 tog", (25, 99, 10), "Home > Bedding", _BEDDING,
          "home", "home"),
    _line("Oakhurst Home", "Egyptian Cotton Towel Bale", "Hotel|Spa|Luxury|Plush",
          "| 600gsm| 700gsm", "", "White|Charcoal|Duck Egg|Blush|Navy", (25, 65, 0),
          "Home > Towels", "4077 Home & Garden > Linens & Bedding > Towels", "home", "home"),
    _line("Marlow & Finch", "Stoneware Mug Set", "Coastal|Hedgerow|Meadow|Orchard",
          "", "", "Set of 4 Sage|Set of 4 Cream|Set of 6 Sage|Set of 6 Speckle", (18, 36, 8),
          "Home > Tableware", "674 Home & Garden > Kitchen & Dining > Tableware",
          "drinks", "home"),
    _line("Lumen Beauty", "Hydrating Moisturiser", "Dew|Glow|Barrier|Daily",
          "| SPF30| Night", "", "30ml|50ml|100ml", (12, 32, 6), "Beauty > Skincare",
          "2592 Health & Beauty > Personal Care > Cosmetics > Skin Care", "skincare",
          "beauty"),
    _line("Lumen Beauty", "Matte Lipstick", "Velvet|Satin|Bold",
          "", "", "Rosewood|Berry|Coral|Nude|Brick|Plum", (8, 22, 0), "Beauty > Make-up",
          _COSMETICS, "beauty", "beauty", EAN_8),
    _line("Thistle & Co", "Repair Shampoo", "Argan|Oat|Rosemary|Tea Tree",
          "| Sulphate Free", "", "250ml|500ml|1L Refill", (6, 16, 4), "Beauty > Haircare",
          "2441 Health & Beauty > Personal Care > Hair Care > Shampoo & Conditioner",
          "cleaning", "beauty"),
    _line("Marlow & Finch", "Eau de Parfum", "Fig Leaf|Sea Salt|Amber Wood|Wild Rose",
          "| Intense", "", "30ml|50ml|100ml", (35, 69, 20), "Beauty > Fragrance",
          "479 Health & Beauty > Personal Care > Cosmetics > Perfume & Cologne",
          "beauty", "beauty"),
    _line("Wolds Pet", "Grain Free Dog Food", "Chicken|Salmon|Lamb|Turkey",
          "| Adult| Senior| Puppy", "", "2kg|6kg|12kg", (14, 29, 15), "Pets > Dog Food",
          _PETS, "pets", "pets"),
    _line("Wolds Pet", "Clumping Cat Litter", "Fresh|Natural|Multi-Cat",
          "| Unscented", "", "5L|10L|20L", (6, 12, 5), "Pets > Cat Litter", _PETS,
          "pets", "pets"),
    _line("Wolds Pet", "Orthopaedic Dog Bed", "Memory Foam|Sofa|Donut|Bolster",
          "| Waterproof", "", "S Grey|M Grey|L Grey|XL Grey|M Tweed|L Tweed", (29, 59, 10),
          "Pets > Beds", _PETS, "pets", "pets"),
    _line("Pembrook Sport", "Yoga Mat", "Flow|Balance|Studio|Travel",
          "| Grip", "", "4mm Sage|4mm Plum|6mm Sage|6mm Black|8mm Black", (15, 45, 0),
          "Sports > Fitness", _FITNESS, "sports", "sports"),
    _line("Pembrook Sport", "Adjustable Dumbbells", "Home Gym|Quick Lock|Studio",
          "| Pro", "", "10kg|20kg|24kg|32kg", (49, 129, 40), "Sports > Fitness", _FITNESS,
          "sports", "sports"),
    _line("Kestrel", "Cycling Helmet", "Velo|Commute|Gravel|Aero",
          "| MIPS", "|2", "S/M Black|M/L Black|S/M White|M/L Hi-Vis", (29, 119, 0),
          "Sports > Cycling", "1025 Sporting Goods > Outdoor Recreation > Cycling",
          "sports", "sports"),
    _line("Little Oak", "Anti-Colic Baby Bottle", "Natural|Comfort|Glass",
          "", "", "150ml Single|260ml Single|150ml 3 Pack|260ml 3 Pack", (8, 16, 6),
          "Baby > Feeding", _BABY, "baby", "baby"),
    _line("Little Oak", "Sensitive Baby Wipes", "Water|Aloe|Fragrance Free",
          "", "", "12 x 56|18 x 64", (6, 14, 5), "Baby > Changing", _BABY, "baby", "baby",
          EAN_8),
    _line("Hillcrest Roasters", "Coffee Beans", "Espresso|Morning|Single Origin|Decaf",
          "| Dark Roast| Medium Roast", "", "250g|500g|1kg", (7, 14, 8), "Food > Coffee",
          "1868 Food, Beverages & Tobacco > Beverages > Coffee", "drinks", "food"),
    _line("Hillcrest Roasters", "English Breakfast Tea", "Everyday|Gold|Organic",
          "", "", "80 bags|160 bags|240 bags", (3, 5, 3), "Food > Tea",
          "2073 Food, Beverages & Tobacco > Beverages > Tea & Infusions", "drinks", "food",
          EAN_8),
)

# (merchant name, Awin advertiser id, groups it sells, shop domain stem)
MERCHANTS: tuple[tuple[str, int, tuple[str, ...], str], ...] = (
    ("Acme UK", 4567, ("outdoor", "sports"), "acme-uk"),
    ("Peak & Pine Outdoors", 5120, ("outdoor",), "peakandpine"),
    ("Trailhead Supply Co", 6633, ("outdoor", "sports"), "trailhead-supply"),
    ("Brightside Electricals", 7021, ("electricals",), "brightside-electricals"),
    ("Circuit Lane", 7388, ("electricals",), "circuitlane"),
    ("Home & Hearth", 8104, ("home", "electricals"), "homeandhearth"),
    ("Kitchen Drawer", 8452, ("home",), "kitchendrawer"),
    ("Glow & Co Beauty", 9013, ("beauty",), "glowandco"),
    ("The Beauty Edit", 9277, ("beauty", "baby"), "thebeautyedit"),
    ("Waggy Tails Pet Supplies", 10230, ("pets",), "waggytails"),
    ("FitKit Sports", 10511, ("sports",), "fitkit"),
    ("Little Sprouts Baby", 11042, ("baby",), "littlesprouts"),
    ("Bean & Leaf", 11690, ("food",), "beanandleaf"),
)
# fmt: on

MERCHANTS_BY_GROUP: dict[str, tuple[tuple[str, int, tuple[str, ...], str], ...]] = {
    group: tuple(m for m in MERCHANTS if group in m[2]) for line in LINES for group in [line.group]
}
EAN_8_LINES: tuple[int, ...] = tuple(i for i, line in enumerate(LINES) if line.gtin == EAN_8)

# The one Merchant Center store whose feed the gmc partner reads.
GMC_STORE = "Northgate Outdoor & Home"
