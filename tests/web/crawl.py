"""Follow every link a signed-in person can reach from the home page and report the pages
that fail: a server error, a link to a page that does not exist, or a page showing Python's
or Django's insides (an object's repr, a template node) where a value should be, and pages
without their Content-Security-Policy or with a script it would block."""

from __future__ import annotations

import re
from collections import Counter, deque
from typing import Any
from urllib.parse import urljoin, urlparse

PERSONAS = ["khoa", "lan", "minh", "hoa", "tuan", "mai", "tung", "thu"]
# Enough for every page of the demo (the secretariat reaches about 600 with filters); the
# same path with other filters is visited a few times only.
PAGE_LIMIT = 700
VARIANTS_PER_PATH = 3
HREF = re.compile(r'href="([^"#]+)"')
# Leaving, static files, and files served for download (checked by their own tests).
SKIPPED = ("/logout", "/static/", "/media/", "/i18n/")
# What a page shows when a template prints the wrong thing: `{{ block }}` inside a
# `{% block %}` prints the template's own node, an object without __str__ its repr.
LEAKS = ("Block Node", "TextNode", " object at 0x")
FILES = ("/download", "/export", ".xlsx", ".zip", ".pdf", ".docx", "/template")
# The Content-Security-Policy forbids inline scripts: a <script> without src (JSON data
# blocks aside) or an on…= handler would be dead in the browser.
INLINE_SCRIPT = re.compile(
    r"<script(?![^>]*\b(?:src|type=\"application/json\"))[^>]*>|<[^>]*\son[a-z]+\s*=", re.I
)


def _links(base: str, html: str) -> list[str]:
    found = []
    for href in HREF.findall(html):
        target = urlparse(urljoin(base, href.replace("&amp;", "&")))
        if target.netloc or not target.path.startswith("/"):
            continue
        if target.path.startswith(SKIPPED) or any(f in target.path for f in FILES):
            continue
        found.append(target.path + (f"?{target.query}" if target.query else ""))
    return found


def crawl(client: Any, pages: list[str] | None = None) -> tuple[int, list[tuple[int, str, str]]]:
    """(pages opened, [(status, url, linked from)] for each failing one); `pages`, when
    given, receives the URL of every HTML page that opened (the accessibility check's)."""
    seen: set[str] = set()
    per_path: Counter[str] = Counter()
    queue: deque[tuple[str, str]] = deque([("/", "")])
    failures = []
    while queue and len(seen) < PAGE_LIMIT:
        url, origin = queue.popleft()
        path = url.split("?")[0]
        if url in seen or per_path[path] >= VARIANTS_PER_PATH:
            continue
        seen.add(url)
        per_path[path] += 1
        response = client.get(url)
        if response.status_code >= 500 or response.status_code == 404:
            failures.append((response.status_code, url, origin))
        streaming = getattr(response, "streaming", False)
        if response.status_code != 200 or streaming or "html" not in response["Content-Type"]:
            continue
        html = response.content.decode()
        if pages is not None:
            pages.append(url)
        failures += [(200, f"{url} shows {leak!r}", origin) for leak in LEAKS if leak in html]
        if "script-src 'self'" not in response.get("Content-Security-Policy", ""):
            failures.append((200, f"{url} has no Content-Security-Policy", origin))
        if match := INLINE_SCRIPT.search(html):
            failures.append((200, f"{url} has an inline script: {match.group(0)[:80]}", origin))
        queue.extend((link, url) for link in _links(url, html))
    return len(seen), failures
