"""Profiles: who may see a collection (privacy.py), and asking for access (requests.py).

Visibility itself is one SQL fragment, storage.objects.visible_to, that every read goes through.
"""
