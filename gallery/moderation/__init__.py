"""Moderation: people report objects; operators (MAX user ids in [moderation] operators) hide
and restore objects, ban and unban people, dismiss reports; every operator action is audited.

reports.py: report (anyone who may see the object), the operators' batched push. actions.py:
the operators' actions, each one transaction with its audit row and its notices. queries.py:
who is an operator, what they list. What hiding and banning hide is decided by the visibility
fragment (storage.objects.object_visible_to), so every read already honours it.
"""
