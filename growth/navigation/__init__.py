"""The header menus and home-page panels that every app contributes to, and the core's own
links."""
