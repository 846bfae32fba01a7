#!/usr/bin/env python3
"""Runs the official 1EdTech Open Badges tools offline for Insigne's interop tests.

- openbadges 1.1.2 (the OB 2.0 reference validator) and openbadges-bakery 2.0.0, installed by `make deps`
  into .venv with pinned versions (see ../shared/CONFORMANCE.md).
- Network: the JSON-LD context https://w3id.org/openbadges/v2 is answered from the copy inside the
  validator package; loopback URLs go through; every other URL is refused, so a test never uses the internet.

Commands (all print JSON on stdout):
  selftest
  unbake IMAGE                              -> {"text": ... | null}
  bake IMAGE TEXT_FILE OUTPUT               -> {"ok": true}
  validate --input (FILE|URL|@TEXT_FILE) [--unbake] [--recipient EMAIL] [--serve DIR --port PORT]
                                            -> the validator's report
When --serve is given, DIR/routes.json maps URL paths to {"file", "type", "status"} and a threaded HTTP
server answers them on 127.0.0.1:PORT while the validator runs.
"""
import collections
import collections.abc
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# python-jose 3.0.1 and pytz 2017.2 use the pre-3.10 ABC aliases.
for _name in ("Mapping", "MutableMapping", "Sequence", "Iterable", "Callable"):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

import requests  # noqa: E402
from requests.adapters import HTTPAdapter  # noqa: E402
from requests.models import Response  # noqa: E402

from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_DICT  # noqa: E402

CONTEXT_URLS = {
    "https://w3id.org/openbadges/v2",
    "http://w3id.org/openbadges/v2",
    "https://openbadgespec.org/v2/context.json",
    "https://w3id.org/openbadges/v2/",
}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
_original_send = HTTPAdapter.send


def _offline_send(self, request, **kwargs):
    url = request.url
    if url.rstrip("/") in {u.rstrip("/") for u in CONTEXT_URLS}:
        r = Response()
        r.status_code = 200
        r._content = json.dumps(OPENBADGES_CONTEXT_V2_DICT).encode()
        r.headers["Content-Type"] = "application/ld+json"
        r.url = url
        r.request = request
        r.encoding = "utf-8"
        return r
    host = urlsplit(url).hostname
    if host in LOOPBACK:
        return _original_send(self, request, **kwargs)
    raise requests.ConnectionError("offline test harness refuses " + url)


HTTPAdapter.send = _offline_send

from openbadges.verifier import verify  # noqa: E402
from openbadges_bakery import bake, unbake  # noqa: E402


def serve(directory, port):
    with open(os.path.join(directory, "routes.json")) as f:
        routes = json.load(f)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            route = routes.get(self.path.split("?")[0])
            if route is None:
                body, status, ctype = b"not found", 404, "text/plain"
            else:
                with open(os.path.join(directory, route["file"]), "rb") as f:
                    body = f.read()
                status, ctype = route.get("status", 200), route["type"]
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    cmd, args = argv[0], argv[1:]
    if cmd == "selftest":
        r = requests.get("https://w3id.org/openbadges/v2")
        assert r.json()["@context"]["obi"] == "https://w3id.org/openbadges#", "context interception failed"
        try:
            requests.get("https://example.org/", timeout=2)
            raise AssertionError("non-loopback request was not refused")
        except requests.ConnectionError:
            pass
        print(json.dumps({"ok": True}))
        return 0
    if cmd == "unbake":
        with open(args[0], "rb") as f:
            text = unbake(f)
        print(json.dumps({"text": text}))
        return 0
    if cmd == "bake":
        with open(args[1]) as f:
            text = f.read().strip()
        with open(args[0], "rb") as image, open(args[2], "wb") as out:
            bake(image, text, out)
        print(json.dumps({"ok": True}))
        return 0
    if cmd == "validate":
        opts = {"--input": None, "--recipient": None, "--serve": None, "--port": None}
        do_unbake = False
        i = 0
        while i < len(args):
            if args[i] == "--unbake":
                do_unbake = True
                i += 1
            else:
                opts[args[i]] = args[i + 1]
                i += 2
        server = serve(opts["--serve"], int(opts["--port"])) if opts["--serve"] else None
        try:
            data = opts["--input"]
            if do_unbake:
                with open(data, "rb") as f:
                    data = unbake(f)
                if data is None:
                    print(json.dumps({"error": "no badge in image"}))
                    return 1
            elif data.startswith("@"):
                with open(data[1:]) as f:
                    data = f.read().strip()
            profile = {"email": opts["--recipient"]} if opts["--recipient"] else None
            result = verify(data, recipient_profile=profile, use_cache=False)
            print(json.dumps(result, default=str))
        finally:
            if server:
                server.shutdown()
        return 0
    print("unknown command " + cmd, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
