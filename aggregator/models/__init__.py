"""SQLAlchemy models, one module per table."""

from aggregator.models.auth_secret import AuthSecret
from aggregator.models.base import Base
from aggregator.models.click import Click
from aggregator.models.conversion import Conversion
from aggregator.models.coupon import Coupon
from aggregator.models.crawl_run import CrawlRun
from aggregator.models.feed_state import FeedState
from aggregator.models.ledger import LedgerEntry, LedgerTransaction, Withdrawal
from aggregator.models.merchant import Merchant
from aggregator.models.offer import Offer
from aggregator.models.partner import Partner
from aggregator.models.price_observation import PriceObservation
from aggregator.models.product import Product
from aggregator.models.product_pin import ProductPin
from aggregator.models.rate_limit_hit import RateLimitHit
from aggregator.models.rejected_record import RejectedRecord
from aggregator.models.search_state import SearchState
from aggregator.models.share_link import ShareLink
from aggregator.models.user import User

__all__ = [
    "AuthSecret",
    "Base",
    "Click",
    "Conversion",
    "Coupon",
    "CrawlRun",
    "FeedState",
    "LedgerEntry",
    "LedgerTransaction",
    "Merchant",
    "Offer",
    "Partner",
    "PriceObservation",
    "Product",
    "ProductPin",
    "RateLimitHit",
    "RejectedRecord",
    "SearchState",
    "ShareLink",
    "User",
    "Withdrawal",
]
