"""The product's URLs plus the benchmark's reference page (mounted only by bench.settings)."""

from django.urls import path

from bench.views import reference
from growth.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    *product_urlpatterns,
    path("bench/reference/<uuid:public_id>/", reference, name="bench_reference"),
]
