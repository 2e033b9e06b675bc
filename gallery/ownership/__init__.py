"""Ownership: the one way objects change hands (moves.py), and voiding what named an object
that changed (voiding.py). The SQL is storage/ownership.py.
"""
