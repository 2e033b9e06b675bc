"""Photos: from uploaded bytes to a stored art object (intake.py), through the image pipeline
(media/) on its executors (pools.py); the sweep of files no row owns (sweep.py).
"""
