"""Notices, numbering, bulletins."""
