"""Leaving with your data: exports of a person's data, and deleting their account."""
