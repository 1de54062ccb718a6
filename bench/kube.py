"""A minimal Kubernetes API client for the benchmark (Python 3.11 standard library only).

It talks to the local control plane on loopback with a client certificate. One HTTPS connection per thread
(http.client connections are not thread-safe), kept alive between requests.
"""

import http.client
import json
import ssl
import threading
import urllib.parse


class ApiError(Exception):
    def __init__(self, method, path, status, body):
        super().__init__(f"{method} {path}: HTTP {status}: {body[:300]}")
        self.status = status


class Kube:
    """Client for one API server (https://127.0.0.1:PORT) with one identity (PEM certificate and key)."""

    def __init__(self, server, ca, cert, key):
        url = urllib.parse.urlsplit(server)
        if url.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError(f"the benchmark only talks to loopback, not {url.hostname}")
        self.host, self.port = url.hostname, url.port
        self.ctx = ssl.create_default_context(cafile=ca)
        self.ctx.load_cert_chain(cert, key)
        self.local = threading.local()

    def _conn(self, timeout=60):
        return http.client.HTTPSConnection(self.host, self.port, context=self.ctx, timeout=timeout)

    def request(self, method, path, body=None, content_type="application/json"):
        """Sends one request and returns the decoded JSON reply; raises ApiError on a status >= 400."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Accept": "application/json", "User-Agent": "cachemode-bench"}
        if data is not None:
            headers["Content-Type"] = content_type
        for attempt in (1, 2):
            conn = getattr(self.local, "conn", None) or self._conn()
            self.local.conn = conn
            try:
                conn.request(method, path, body=data, headers=headers)
                resp = conn.getresponse()
                raw = resp.read()
                break
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
        if resp.status >= 400:
            raise ApiError(method, path, resp.status, raw.decode(errors="replace"))
        return json.loads(raw) if raw else None

    def merge_patch(self, path, patch):
        return self.request("PATCH", path, patch, "application/merge-patch+json")

    def watch(self, path, resource_version):
        """Yields watch events (dicts with type and object) of a collection path from resource_version on."""
        sep = "&" if "?" in path else "?"
        full = f"{path}{sep}watch=1&allowWatchBookmarks=false&resourceVersion={resource_version}"
        conn = self._conn(timeout=None)
        conn.request("GET", full, headers={"Accept": "application/json", "User-Agent": "cachemode-bench"})
        resp = conn.getresponse()
        if resp.status >= 400:
            raise ApiError("WATCH", full, resp.status, resp.read().decode(errors="replace"))
        try:
            while True:
                line = resp.readline()
                if not line:
                    return
                yield json.loads(line)
        finally:
            conn.close()
