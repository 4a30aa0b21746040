"""A synthetic knowledge base's world and its random actors and ties (used by `kb generate`,
kb/services/generate.py)."""
