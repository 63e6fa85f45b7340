"""Reports and exports: the per-person summary (``GrowthProgress``) and how it is kept, the
report registry that apps contribute columns, measures and charts to, the home-page sections,
the team, school and trust report pages and their CSV/XLSX exports."""
