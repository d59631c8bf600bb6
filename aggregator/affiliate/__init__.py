"""Share and earn: share links, clicks, conversions (partner orders), the commission
ledger and withdrawals."""
