"""Who may see what: the tenant scope that fails closed, the access helpers, PostgreSQL
row-level security, the request middleware, sign-in adapters and rate limits, and the one
upload validator."""
