"""Cross-partner product matching: keys (pure), the matcher (pure), and the store (DB)."""
