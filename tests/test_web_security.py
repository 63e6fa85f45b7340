"""Web security: deploy checks, CSP with no inline script or style, cookies, HSTS, session
expiry, CSRF on htmx requests, upload limits, and sign-in lockout."""

from __future__ import annotations

import importlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from growth.security.uploads import UploadValidator, validate_upload
from tests.factories import PASSWORD
from tests.hardening_fixtures import ROOT

PRODUCTION_ENV = {
    **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
    "DJANGO_SETTINGS_MODULE": "growth.settings.production",
    "SECRET_KEY": "x" * 20 + "-Production-only-Key-For-The-Check-0123456789",
    "ALLOWED_HOSTS": "growth.example.org",
}


def test_it_passes_the_deploy_checks_with_the_production_settings():
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=PRODUCTION_ENV,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_it_sets_secure_cookies_hsts_and_session_expiry_in_production():
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ['SESSION_COOKIE_SECURE', "
        "'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_AGE', "
        "'SESSION_EXPIRE_AT_BROWSER_CLOSE', 'DEBUG', 'SESSION_COOKIE_SAMESITE']}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=PRODUCTION_ENV, capture_output=True, text=True
    )
    values = json.loads(done.stdout)
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 60 * 60 * 24 * 365
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and not values["DEBUG"]
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"]
    assert values["SESSION_COOKIE_AGE"] <= 60 * 60 * 12
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"


def template_files() -> list[Path]:
    dirs = [Path(d) for t in settings.TEMPLATES for d in t["DIRS"]]
    dirs += [
        Path(app.path) / "templates"
        for app in __import__("django.apps").apps.apps.get_app_configs()
        if str(app.path).startswith(str(ROOT)) and ".venv" not in str(app.path)
    ]
    return sorted({f for d in dirs if d.exists() for f in d.rglob("*.html")})


# Data blocks ({{ x|json_script }}: type="application/json") are not executed, so CSP allows them.
INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\b(?:src=|type=[\"']application/(?:ld\+)?json))[^>]*>\s*\S",
    re.IGNORECASE,
)
INLINE_STYLE_ATTR = re.compile(r"\sstyle\s*=", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def inline_code(text: str) -> list[str]:
    found = []
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("style= attribute", INLINE_STYLE_ATTR),
        ("<style> element", STYLE_ELEMENT),
        ("on*= handler", EVENT_HANDLER),
        ("javascript: URL", JS_URL),
    ):
        found += [f"{name}: {m.group(0)[:60]!r}" for m in pattern.finditer(text)]
    return found


def test_it_finds_inline_code_when_there_is_some():
    assert inline_code('<script>alert(1)</script><p style="x" onclick="y">')
    assert not inline_code('<script src="/static/app.js"></script><p class="style">onward</p>')
    assert not inline_code('<script id="d" type="application/json">{"a": 1}</script>')
    assert inline_code('<script id="d" type="text/javascript">alert(1)</script>')


def test_it_has_no_inline_script_or_style_in_any_template():
    # A PDF's template is rendered by WeasyPrint on the server and never served to a browser,
    # so the Content Security Policy does not apply to it (its <style> sets the trust colour).
    files = [f for f in template_files() if not f.name.endswith("_pdf.html")]
    assert len(files) >= 8
    problems = {str(f.relative_to(ROOT)): inline_code(f.read_text()) for f in files}
    assert not {f: p for f, p in problems.items() if p}


def test_it_sends_the_csp_header_on_pages_and_errors(world, client_for):
    for client, path in (
        (client_for(None), "/accounts/login/"),
        (client_for(world.admin), "/"),
        (client_for(world.admin), "/privacy/exports/"),
        (client_for(world.staff), "/privacy/exports/"),  # 403
        (client_for(world.staff), "/no-such-page/"),  # 404
    ):
        response = client.get(path)
        policy = response.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy and "style-src 'self'" in policy, path
        assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
        assert response["X-Content-Type-Options"] == "nosniff"
        assert not inline_code(response.content.decode()), path


def test_it_requires_the_csrf_token_on_htmx_posts(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.admin.user)
    page = client.get("/privacy/exports/").content.decode()
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    refused = client.post("/privacy/exports/", HTTP_HX_REQUEST="true")
    assert refused.status_code == 403
    forged = client.post("/privacy/exports/", HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN="x" * 64)
    assert forged.status_code == 403
    accepted = client.post("/privacy/exports/", HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 302


@pytest.mark.parametrize(
    ("name", "content", "kinds", "error"),
    [
        ("report.pdf", b"%PDF-1.7 ...", ("pdf",), None),
        ("staff.csv", "name,email\nZoë,z@x.org\n".encode(), ("csv", "xlsx"), None),
        ("staff.xlsx", b"PK\x03\x04rest", ("csv", "xlsx"), None),
        ("report.pdf", b"MZ\x90\x00 an exe", ("pdf",), "does not match"),
        ("evil.exe", b"MZ\x90\x00", ("pdf",), "not accepted"),
        ("staff.csv", b"a,b\x00\x01\x02", ("csv",), "does not match"),
        ("empty.pdf", b"", ("pdf",), "empty"),
        ("big.pdf", b"%PDF-" + b"0" * 2048, ("pdf",), "too large"),
    ],
)
def test_it_checks_upload_size_type_and_content(name, content, kinds, error):
    upload = SimpleUploadedFile(name, content)
    validator = UploadValidator(kinds=kinds, max_bytes=1024)
    if error is None:
        validator(upload)
        assert upload.read() == content  # the position is left where it was
    else:
        with pytest.raises(ValidationError, match=error):
            validator(upload)
    with pytest.raises(ValueError):
        validate_upload(upload, kinds=("exe",))


def test_it_refuses_an_oversized_request_body(world, client_for):
    response = client_for(world.admin).post(
        f"/privacy/people/{world.staff.public_id}/leave/",
        data=b"leave_date=" + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10),
        content_type="application/x-www-form-urlencoded",
    )
    # Django refuses the body (400) rather than reading it all; nothing changes.
    assert response.status_code == 400
    world.staff.refresh_from_db()
    assert world.staff.is_active


def test_it_locks_an_account_out_after_repeated_failed_sign_ins(world):
    limits = importlib.import_module("growth.settings.base").ACCOUNT_RATE_LIMITS
    cache.clear()
    with override_settings(ACCOUNT_RATE_LIMITS=limits):
        for attempt in range(5):
            response = Client(REMOTE_ADDR=f"10.0.0.{attempt}").post(
                "/accounts/login/", {"login": world.staff.email, "password": "wrong-password"}
            )
            assert response.status_code == 200
        # The right password, from yet another address: still locked out for now.
        client = Client(REMOTE_ADDR="10.0.1.1")
        response = client.post(
            "/accounts/login/", {"login": world.staff.email, "password": PASSWORD}
        )
        assert "_auth_user_id" not in client.session
        assert response.status_code in (200, 429)
        assert "Too many failed login attempts" in response.content.decode()
        # Somebody else is not locked out by it.
        other = Client(REMOTE_ADDR="10.0.1.2")
        other.post("/accounts/login/", {"login": world.manager.email, "password": PASSWORD})
        assert "_auth_user_id" in other.session
    cache.clear()
