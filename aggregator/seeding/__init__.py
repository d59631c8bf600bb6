"""The parts of ``daogou seed`` (see aggregator.seed): vocabulary, drafts, rows."""
