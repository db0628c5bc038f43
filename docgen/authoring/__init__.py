"""Authoring tools: the house style and the plain-text format that compile into templates."""
