"""Rendering engines: the Jinja environment, Word and Excel."""
