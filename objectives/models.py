"""Models of the objectives app."""
