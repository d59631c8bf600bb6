"""SQLAlchemy models, one module per table."""

from aggregator.models.base import Base
from aggregator.models.coupon import Coupon
from aggregator.models.crawl_run import CrawlRun
from aggregator.models.feed_state import FeedState
from aggregator.models.merchant import Merchant
from aggregator.models.offer import Offer
from aggregator.models.partner import Partner
from aggregator.models.price_observation import PriceObservation
from aggregator.models.product import Product
from aggregator.models.product_pin import ProductPin
from aggregator.models.rejected_record import RejectedRecord

__all__ = [
    "Base",
    "Coupon",
    "CrawlRun",
    "FeedState",
    "Merchant",
    "Offer",
    "Partner",
    "PriceObservation",
    "Product",
    "ProductPin",
    "RejectedRecord",
]
