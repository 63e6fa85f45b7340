"""The benchmark, kept outside the product: a Locust load test of every role's home page and
every report and export, side by side with an idiomatic reference page, plus the timed jobs
(reminder sweep, statement PDF, staff import). Run it with ``python -m bench`` (or
``make bench``); docs/benchmark.md says what it measures and how to read it."""
