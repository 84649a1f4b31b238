"""Analytics for planning: pure Python, no Django imports (usable and testable alone)."""
