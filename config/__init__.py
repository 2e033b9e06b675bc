"""What every layer may read: the settings, and the log context of the request being handled."""
