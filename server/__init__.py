"""The composition root: the app, its resources and jobs, the CLI, logging and health."""
