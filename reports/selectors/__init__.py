"""Read access for the reports app: notices.py (notices, bulletins) and analytics.py (aggregates)."""
