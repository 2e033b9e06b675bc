"""Art objects: browsing and reading them (browse.py, history.py), and changing them (edit.py).
"""
