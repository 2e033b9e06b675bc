"""Transfers: an owner hands one object over, by a QR code or to a named person.

create.py offers, claims.py and buttons.py accept, closing.py cancels, declines and expires,
view.py reads, tokens.py and qr.py make the codes, notices.py tells the people. The SQL is
storage/transfers.py.
"""
