"""403, 404 and 500 pages in the site's layout, each with a way back home."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error


def test_a_missing_page_keeps_the_menus_and_a_way_home(world, client_for):
    response = client_for(world.staff).get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/">Back to your home page' in html
    assert ">My growth<" in html  # the signed-in header, menus and all


def test_a_page_for_another_role_says_so_and_offers_a_way_home(world, client_for):
    response = client_for(world.staff).get("/trust/settings/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "This page is not for your role" in html
    assert 'href="/">Back to your home page' in html
    assert "403 Forbidden" not in html


@pytest.mark.django_db
def test_the_server_error_page_needs_neither_a_request_nor_the_database(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Something went wrong on our side" in html
    assert 'href="/">Back to your home page' in html
