"""A small HTTP client for servers started by a test: a cookie jar of its own
(the tracker's cookies are Secure, which a browser would keep off plain HTTP;
a load balancer in front terminates TLS), CSRF tokens read from forms, and
multipart uploads. Loopback only."""

import re
import uuid
from html import unescape
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPRedirectHandler, Request, build_opener

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


class Session:
    def __init__(self):
        self.cookies = {}
        self._opener = build_opener(_NoRedirects)

    def request(self, method, url, data=None, headers=None):
        if not url.startswith("http://127.0.0.1:"):
            raise ValueError("loopback servers only")
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            request = Request(url, data, headers, method=method)  # noqa: S310 (loopback http only)
            with self._opener.open(request, timeout=60) as r:
                response = Response(r.status, r.headers, r.read())
        except HTTPError as error:
            response = Response(error.code, error.headers, error.read())
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if value in ('""', "") or "Max-Age=0" in header:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response

    def get(self, url):
        return self.request("GET", url)

    def token(self, url):
        page = self.get(url)
        match = _TOKEN.search(page.text)
        assert match, f"no form at {url} ({page.status})"
        return unescape(match.group(1)), page

    def post(self, url, fields, token_from=None):
        token, _ = self.token(token_from or url)
        body = urlencode({**fields, "csrfmiddlewaretoken": token}, doseq=True).encode()
        return self.request(
            "POST", url, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def post_files(self, url, fields, files):
        """files: [(field, filename, bytes, content type)]."""
        token, _ = self.token(url)
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in {**fields, "csrfmiddlewaretoken": token}.items():
            head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            parts.append(f"{head}{value}\r\n".encode())
        for name, filename, data, content_type in files:
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            )
            parts.append(head.encode() + data + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request(
            "POST", url, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )

    def sign_in(self, base, username, password):
        response = self.post(
            f"{base}/accounts/login/", {"username": username, "password": password}
        )
        assert response.status == 302, f"sign-in failed ({response.status})"
        return response
