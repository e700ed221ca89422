"""Public pages, security headers and the health check."""

from __future__ import annotations

import re

from survey_app import create_app


def test_help_page_lists_the_services(client):
    html = client.get("/help").get_data(as_text=True)
    for service, number in [
        ("Childline", "0800 1111"),
        ("NSPCC", "0808 800 5000"),
        ("Crimestoppers", "0800 555 111"),
        ("Fearless", ""),
        ("", "101"),
        ("", "999"),
    ]:
        assert service in html and number in html


def test_privacy_page_says_what_is_and_is_not_stored(client):
    html = client.get("/privacy").get_data(as_text=True)
    assert "IP address" in html and "month" in html


def test_every_respondent_page_has_the_quick_exit_and_help(client):
    for url in ("/", "/help", "/privacy", "/s/young-people/", "/s/community/", "/s/nope/"):
        html = client.get(url).get_data(as_text=True)
        assert re.search(r'<a class="exit" id="quick-exit" href="https://[^"]+" rel="noreferrer"', html), url
        assert 'href="/help"' in html


def test_security_headers(client):
    response = client.get("/s/young-people/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_pages_load_nothing_from_another_origin(client):
    html = client.get("/s/young-people/").get_data(as_text=True)
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)="(https?:)?//', html)


def test_static_files_are_cacheable_and_versioned(client):
    html = client.get("/").get_data(as_text=True)
    assert html.count('href="/you-said-we-did/"') == 2, "the home page links it, and so does the footer"
    css = re.search(r'href="(/static/site.css\?v=[0-9a-f]+)"', html).group(1)
    response = client.get(css)
    assert response.status_code == 200 and "max-age=31536000" in response.headers["Cache-Control"]


def test_healthz_reports_app_and_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["database"] == "ok"


def test_healthz_when_the_database_is_down(tmp_path):
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {
        "status": "error",
        "app": "ok",
        "database": "unavailable",
        "database_backend": "postgresql",
    }


def test_not_found_is_a_plain_page(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "There is nothing at this address" in response.get_data(as_text=True)


def test_wrong_method(client):
    assert client.delete("/").status_code == 405


def test_healthz_when_migrations_are_missing(tmp_path):
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": empty})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "needs insight db upgrade"


def test_language_page_never_redirects_off_site(client):
    assert client.get("/language?next=/s/young-people/").status_code == 200
    html = client.get("/language?next=//evil.example/x").get_data(as_text=True)
    assert "evil.example" not in html


def test_language_links_keep_the_query_of_the_page_they_return_to(client):
    html = client.get("/language?next=/s/young-people/%3Fvia%3Dabc%26lang%3Dpl").get_data(as_text=True)
    assert 'href="/s/young-people/?via=abc&amp;lang=ur"' in html
