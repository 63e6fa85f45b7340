"""Nothing shown to a signed-in person is kept by a browser or a proxy: every page and every
download answers ``Cache-Control: no-store, private``."""

from __future__ import annotations

import re

from django.urls import reverse

from checkins.models import Evidence
from growth.security.tenancy import trust_scope
from reviews.models import Review
from tests.crawl import crawl, parameterless_urls
from tests.records import populate_everything

NO_STORE = "no-store, private"
DOWNLOAD = re.compile(r'href="(/[^"]*(?:/download/|/pdf/|[?&]export=)[^"]*)"')


def test_it_tells_browsers_and_proxies_to_keep_no_page_or_download(world, client_for):
    with trust_scope(world.trust):
        populate_everything(world)
        evidence = Evidence.objects.exclude(file="").first()
        review = Review.objects.filter(staff_member=world.staff).first()
    downloads = {reverse("checkins:evidence", kwargs={"public_id": evidence.public_id})}
    if review is not None:
        downloads.add(reverse("reviews:pdf", kwargs={"public_id": review.public_id}))
    checked = 0
    for person in (world.admin, world.manager, world.staff):
        client = client_for(person)
        result = crawl(client, ["/", *parameterless_urls()], limit=60)
        for path, response in result.responses.items():
            assert response.get("Cache-Control") == NO_STORE, (path, response.status_code)
            checked += 1
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                found = DOWNLOAD.findall(response.content.decode())
                downloads |= {link.replace("&amp;", "&") for link in found}
        for path in sorted(downloads):
            response = client.get(path)
            if response.status_code == 200:
                assert response.get("Cache-Control") == NO_STORE, path
                checked += 1
    assert checked > 50
    staff_client = client_for(world.staff)
    evidence_download = staff_client.get(next(p for p in downloads if "/evidence/" in p))
    assert evidence_download.status_code == 200
    assert evidence_download["Cache-Control"] == NO_STORE
