"""A schema.org Product's offers → the one price to list: amount, currency, stock, list price."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from crawlers.parsers.common import ParseError, shown_amount
from crawlers.parsers.html_values import Node, as_list, node_text, short_name

# ItemAvailability values (and Open Graph spellings) meaning "cannot be bought now".
SOLD_OUT = frozenset({"outofstock", "soldout", "discontinued", "instoreonly", "oos"})
LIST_PRICE_TYPES = frozenset({"listprice", "strikethroughprice", "msrp", "srp"})
# Bound against hostile or broken markup: offers read from one Product.
MAX_OFFERS = 100


@dataclass(frozen=True)
class Price:
    amount: Decimal
    currency: str
    in_stock: bool
    listed: Decimal | None


def best_price(nodes: list[Node], default_currency: str) -> Price:
    """The cheapest buyable offer of the first source that prices the product."""
    errors: list[str] = []
    for node in nodes:
        prices: list[Price] = []
        for offer in _offers(node):
            try:
                price = _offer_price(offer, default_currency)
            except ParseError as exc:
                errors.append(str(exc))
                continue
            if price is not None:
                prices.append(price)
        positive = [p for p in prices if p.amount > 0]
        if positive:
            return min(positive, key=lambda p: (not p.in_stock,
                                                p.currency != default_currency, p.amount))
        if prices:
            errors.append("non-positive price")
    raise ParseError(errors[0] if errors else "no price")


def _offers(node: Node) -> list[Node]:
    """Offers given as an object or a list; an AggregateOffer's own offers inherit its currency."""
    pending = [o for o in as_list(node.get("offers")) if isinstance(o, dict)]
    offers: list[Node] = []
    while pending and len(offers) < MAX_OFFERS:
        offer = pending.pop(0)
        offers.append(offer)
        inherited = {"priceCurrency": offer["priceCurrency"]} if "priceCurrency" in offer else {}
        pending += [{**inherited, **o} for o in as_list(offer.get("offers"))
                    if isinstance(o, dict)]
    return offers


def _offer_price(offer: Node, default_currency: str) -> Price | None:
    """price, else AggregateOffer lowPrice, else a priceSpecification; None if none given."""
    specs = [s for s in as_list(offer.get("priceSpecification")) if isinstance(s, dict)]
    listed = next((s for s in specs if _is_list_price(s)), None)
    sale = next((s for s in specs if not _is_list_price(s)), {})
    value = next((v for v in (offer.get("price"), offer.get("lowPrice"), sale.get("price"))
                  if node_text(v)), None)
    if value is None:
        return None
    currency = _currency(offer.get("priceCurrency") or sale.get("priceCurrency"),
                         default_currency)
    try:
        listed_amount = _amount(listed.get("price")) if listed else None
    except ParseError:
        listed_amount = None  # a garbled list price is dropped: the price is what sells
    return Price(_amount(value), currency, _in_stock(offer.get("availability")), listed_amount)


def _is_list_price(spec: Node) -> bool:
    return short_name(node_text(spec.get("priceType")) or "").lower() in LIST_PRICE_TYPES


def _amount(value: object) -> Decimal:
    """A price as shops write it, as text or a number: 39.9, "¥39.90", "1.299,00"."""
    return shown_amount(node_text(value) or "")


# Symbols shared by several currencies resolve to the page's currency when it is one of them.
_SYMBOLS = {"£": ("GBP",), "€": ("EUR",), "¥": ("CNY", "JPY"), "￥": ("CNY", "JPY"),
            "$": ("USD", "CAD", "AUD", "NZD", "HKD", "SGD", "TWD", "MXN"), "RMB": ("CNY",),
            "元": ("CNY",)}


def symbol_currency(symbol: str, default: str) -> str | None:
    """"$" → the page's currency when it is a dollar, else USD; None for no known symbol."""
    family = _SYMBOLS.get(symbol.upper())
    if family is None:
        return None
    return default if default in family else family[0]


def _currency(value: object, default: str) -> str:
    text = (node_text(value) or "").upper()
    if not text:
        return default
    code = symbol_currency(text, default) or text
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ParseError(f"bad currency {text[:20]!r}")
    return code


def _in_stock(value: object) -> bool:
    """InStock, https://schema.org/OutOfStock, "out of stock", "oos"; unknown counts as in."""
    word = re.sub(r"[\s_-]", "", short_name(node_text(value) or "")).lower()
    return word not in SOLD_OUT
