"""Trades: two people give each other objects they own, each side exactly as it was shown.

rules.py checks, proposals.py proposes and counters, closing.py declines and withdraws,
accept.py moves the objects, expiry.py closes overdue trades, view.py reads them for their two
people, notices.py tells them. The SQL is storage/trades.py (writes, locks) and
storage/trade_views.py (reads).
"""
