"""The app's date formats for UK English. Django's own en_GB locale module would otherwise win
over settings: its DATE_INPUT_FORMATS start with ``%d/%m/%Y``, so a date input pre-filled by
the server rendered ``15/09/2026``, which a browser's ``<input type="date">`` rejects and shows
blank; and its SHORT_DATE_FORMAT and DATETIME_FORMAT differ from the app's one way of writing a
date. The values themselves stay in settings (growth/settings/base.py), in one place."""

from django.conf import settings

DATE_FORMAT = settings.DATE_FORMAT
SHORT_DATE_FORMAT = settings.SHORT_DATE_FORMAT
DATETIME_FORMAT = settings.DATETIME_FORMAT
SHORT_DATETIME_FORMAT = settings.SHORT_DATETIME_FORMAT
DATE_INPUT_FORMATS = settings.DATE_INPUT_FORMATS
