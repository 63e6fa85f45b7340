import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "growth.settings.production")
application = get_wsgi_application()
get_resolver().check()  # imports every view and form now rather than on a first request

# Everything loaded so far (Django, the apps, their models) lives as long as the process.
# Freezing it keeps the collector from walking those objects again on every full
# collection, which otherwise landed in the middle of requests: a line manager's home page
# took 56 ms at the median instead of 37 ms.
gc.collect()
gc.freeze()
