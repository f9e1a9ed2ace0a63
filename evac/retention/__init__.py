"""Retention: closed cases lose their personal data after a while; statistics stay."""
