"""Made-up trusts: the names they use and the bulk builder of the benchmark's scale trust
(``manage.py seed_scale``)."""
