"""Data protection (UK GDPR): subject access and offboarding exports, leavers, retention and
trust offboarding, with their pages for trust admins."""
