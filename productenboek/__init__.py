"""Productenboek as code: load, validate and publish regional product books."""
