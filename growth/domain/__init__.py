"""The core domain's behaviour: the writes (services), the reads (selectors), the forms and
pages of trusts, schools, people, roles and cycles, the staff import, separation of duties and
the audit trail. The models themselves are in ``growth/models.py``, where Django looks."""
