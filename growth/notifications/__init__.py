"""Notifications people control: every message the app sends is also kept in the app, and
each person chooses per kind how it reaches them (now, in a weekly digest, or in the app)."""
