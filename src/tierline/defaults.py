"""How much the billing run and the collector take at once, unless told otherwise. Apart from
the settings (`tierline.config`), so that what uses them loads nothing that reads settings."""

from __future__ import annotations

# Payment attempts the collector sends at once: a batch goes out in a round or two. Here, not in
# the collector, so the command line shows it without loading the payments machinery.
DEFAULT_CONCURRENCY = 512
# Subscriptions the billing run settles per transaction, and attempts the collector claims and
# records per transaction: fewer, larger transactions, each a few megabytes of rows at most.
DEFAULT_BATCH = 1000
