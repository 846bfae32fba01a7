#!/usr/bin/env python3
"""Open Badges 3.0 credentials made by software nobody here wrote, for Insigne's interop tests (ISSUE12 point 6).

Runs in .venv-ob3 (`make ob3-deps`: openbadgeslib 4.6.3, PyLD 3.3.0, pinned in the Makefile). One process per
test suite: `make` signs and bakes every case, then (with --port) serves the published documents on 127.0.0.1
until the test process that started it goes away.

Commands:
  make --out DIR --base http://127.0.0.1:PORT --png FILE --svg FILE [--port PORT]
      Writes DIR/cases/* (one credential per case: baked PNG/SVG, compact JWT or JSON) and DIR/www/* (what the
      issuer publishes: status lists, key document, issuer profile), then DIR/manifest.json last:
      {"cases": [{"name", "file", "format", "proof", "expect", "reference"}], "recipient": EMAIL}.
      "reference" is openbadgeslib's own verdict on the case ("valid" or "refused: why"), for the record.
      With --port, serves DIR/www on 127.0.0.1:PORT afterwards (path = file path under www).
  canon --contexts MAP.json --out RESULT.json FILE...
      pyld's canonical N-Quads (URDNA2015 = RDFC-1.0, format application/n-quads) of each JSON file, with a
      document loader that answers ONLY the context URLs in MAP.json ({url: file}), never the network.
      Writes {file: {"nquads": ...} | {"error": ...}}; a file holding several documents ({"label": doc}) is given
      as FILE#label.
"""
import base64
import datetime
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ob3_common import bundled_loader, options, public_pem

UTC = datetime.timezone.utc
RECIPIENT = "lea.martin@example.fr"
SALT = "sel-de-test"


# ── making the cases ─────────────────────────────────────────────────────────


def _keys():
    from cryptography.hazmat.primitives import serialization as ser
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    def pem(key):
        return key.private_bytes(ser.Encoding.PEM, ser.PrivateFormat.PKCS8, ser.NoEncryption())

    made = {
        "ed": ed25519.Ed25519PrivateKey.generate(),
        "ed-other": ed25519.Ed25519PrivateKey.generate(),
        "p256": ec.generate_private_key(ec.SECP256R1()),
        "rsa": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "rsa-other": rsa.generate_private_key(public_exponent=65537, key_size=2048),
    }
    return {name: {"pem": pem(k), "pub": public_pem(k.public_key())} for name, k in made.items()}


class _Maker:
    def __init__(self, out, base, png, svg):
        from openbadgeslib.ob3 import did_key_from_pem

        self.out, self.base = out, base.rstrip("/")
        with open(png, "rb") as f:
            self.png = f.read()
        with open(svg, "rb") as f:
            self.svg = f.read()
        self.keys = _keys()
        self.did = {n: did_key_from_pem(self.keys[n]["pub"]) for n in ("ed", "ed-other", "p256")}
        self.http_issuer = self.base + "/issuer"
        self.now = datetime.datetime.now(UTC).replace(microsecond=0)
        self.cases = []
        self.published = {}  # path under www -> (bytes, content type)
        os.makedirs(os.path.join(out, "cases"), exist_ok=True)
        os.makedirs(os.path.join(out, "www"), exist_ok=True)

    def credential(self, issuer, *, days_from=-1, days_until=365, status=None, name="Sauveteur secouriste du travail"):
        from openbadgeslib.ob3 import Achievement, IdentityObject, Issuer, OpenBadgeCredential

        return OpenBadgeCredential(
            issuer=Issuer(id=issuer, name="Organisme de formation (openbadgeslib)"),
            recipient_id=None,
            identifiers=[IdentityObject.create(RECIPIENT, SALT)],
            achievement=Achievement(
                id=self.base + "/achievements/sst", name=name, description="Premiers secours au travail",
                criteria_narrative="Formation de 14 heures", image_url=self.base + "/sst.png"),
            issuance_date=self.now + datetime.timedelta(days=days_from),
            expiration_date=None if days_until is None else self.now + datetime.timedelta(days=days_until),
            credential_status=[status] if status else [],
        )

    # signers

    def jwt_signer(self, key, alg, kid=None):
        import jwt
        from openbadgeslib.ob3 import OB3Signer

        class KidSigner(OB3Signer):
            """openbadgeslib's signer, naming its key by `kid` (a URL of a key document) instead of `jwk`."""

            def sign_payload(self, payload):
                return jwt.encode(payload, self._load_privkey(), algorithm=self.algorithm, headers={"kid": kid})

        cls = KidSigner if kid else OB3Signer
        return cls(privkey_pem=self.keys[key]["pem"], algorithm=alg)

    def di_signer(self, key, vm=None):
        from openbadgeslib.ob3 import OB3LdpSigner

        return OB3LdpSigner(self.keys[key]["pem"], verification_method=vm)

    # outputs

    def add(self, name, fmt, data, *, proof, expect, ref):
        ext = {"png": "png", "svg": "svg", "jwt": "jwt", "json": "json"}[fmt]
        path = os.path.join(self.out, "cases", name + "." + ext)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
        self.cases.append(
            {"name": name, "file": path, "format": fmt, "proof": proof, "expect": expect, "reference": ref})

    def bake(self, fmt, text, *, json_text):
        from openbadgeslib import baking

        if fmt == "png":
            return baking.bake_png(self.png, text, keyword=baking.ITXT_KEYWORD_OB3)
        if fmt == "svg":
            return baking.bake_svg(self.svg, text, element=baking.SVG_ELEMENT_OB3, namespace=baking.SVG_NS_OB3,
                                   as_text=json_text)
        return text

    def publish(self, path, data, ctype):
        self.published[path] = (data if isinstance(data, bytes) else data.encode("utf-8"), ctype)

    def download(self, url):
        """openbadgeslib's fetches, answered from what is published (it refuses plain http on its own)."""
        if url.startswith(self.base + "/") and url[len(self.base):] in self.published:
            return self.published[url[len(self.base):]][0]
        raise OSError("not published: " + url)

    # openbadgeslib's own verdicts

    def reference_jwt(self, token, pub, status=False):
        from openbadgeslib.ob3 import OB3Verifier

        try:
            OB3Verifier(pub).verify(token, expected_recipient=None, check_status=status, download=self.download)
            return "valid"
        except Exception as exc:  # noqa: BLE001 - any refusal is the verdict
            return "refused: %s" % exc

    def reference_di(self, text, pub=None, status=False):
        from openbadgeslib.ob3 import OB3LdpVerifier

        try:
            OB3LdpVerifier(pub).verify(text, check_status=status, download=self.download)
            return "valid"
        except Exception as exc:  # noqa: BLE001
            return "refused: %s" % exc


def _tamper(text, old="secours", new="sEcours"):
    """One byte of the credential changed after signing (in the achievement description)."""
    assert len(old) == len(new) and old in text
    return text.replace(old, new, 1)


def _tamper_jwt(token):
    header, payload, signature = token.split(".")
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode("utf-8")
    changed = base64.urlsafe_b64encode(_tamper(raw).encode("utf-8")).decode("ascii").rstrip("=")
    return ".".join([header, changed, signature])


def _status_lists(m):
    """Bitstring status lists published and signed by openbadgeslib (VC-JWT EdDSA, issuer = the did:key)."""
    from openbadgeslib.ob3 import add_data_integrity_proof, build_status_list_credential, sign_status_list_credential

    for purpose, revoked in (("revocation", [3, 7]), ("suspension", [9])):
        url = m.base + "/status/" + purpose
        vc = build_status_list_credential(m.did["ed"], url, purpose, revoked, issued=m.now - datetime.timedelta(1),
                                          valid_until=m.now + datetime.timedelta(days=30))
        m.publish("/status/" + purpose, sign_status_list_credential(vc, m.keys["ed"]["pem"], "EdDSA"),
                  "application/vc+jwt")
    # The same revocation list secured by an embedded eddsa-rdfc-2022 proof instead of a JWT.
    url = m.base + "/status/revocation-di"
    vc = build_status_list_credential(m.did["ed"], url, "revocation", [3, 7], issued=m.now - datetime.timedelta(1),
                                      valid_until=m.now + datetime.timedelta(days=30))
    signed = add_data_integrity_proof(vc, m.keys["ed"]["pem"], m.di_signer("ed").verification_method)
    m.publish("/status/revocation-di", json.dumps(signed), "application/vc+ld+json")


def _key_documents(m):
    """The RS256 issuer publishes its profile and key documents (JsonWebKey, controller = issuer) on 127.0.0.1."""
    for name in ("rsa", "rsa-other"):
        jwk = m.jwt_signer(name, "RS256")._public_jwk()
        doc = {"@context": ["https://www.w3.org/ns/did/v1"], "id": m.base + "/keys/" + name, "type": "JsonWebKey",
               "controller": m.http_issuer, "publicKeyJwk": jwk}
        m.publish("/keys/" + name, json.dumps(doc), "application/json")
    profile = {"@context": ["https://www.w3.org/ns/credentials/v2",
                            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
               "id": m.http_issuer, "type": ["Profile"], "name": "Organisme de formation (openbadgeslib)"}
    m.publish("/issuer", json.dumps(profile), "application/json")


def _jwt_cases(m):
    from openbadgeslib.ob3 import status_entry

    ed, p256 = m.did["ed"], m.did["p256"]
    eddsa, es256 = m.jwt_signer("ed", "EdDSA"), m.jwt_signer("p256", "ES256")
    rs256 = m.jwt_signer("rsa", "RS256", kid=m.base + "/keys/rsa")
    pub = {k: m.keys[k]["pub"] for k in m.keys}

    def case(name, fmt, signer, cred, key, expect, status=False, token=None):
        token = token or signer.sign(cred)
        m.add(name, fmt, m.bake(fmt, token, json_text=False), proof="VC-JWT " + signer.algorithm, expect=expect,
              ref=m.reference_jwt(token, pub[key], status))

    case("jwt-eddsa-valid", "png", eddsa, m.credential(ed), "ed", "valid")
    case("jwt-eddsa-valid", "svg", eddsa, m.credential(ed), "ed", "valid")
    case("jwt-eddsa-valid-text", "jwt", eddsa, m.credential(ed), "ed", "valid")
    case("jwt-es256-valid", "png", es256, m.credential(p256), "p256", "valid")
    case("jwt-es256-valid", "svg", es256, m.credential(p256), "p256", "valid")
    case("jwt-rs256-valid", "png", rs256, m.credential(m.http_issuer), "rsa", "valid")
    case("jwt-rs256-valid", "svg", rs256, m.credential(m.http_issuer), "rsa", "valid")
    case("jwt-eddsa-expired", "png", eddsa, m.credential(ed, days_from=-400, days_until=-30), "ed", "expired")
    case("jwt-rs256-expired", "svg", rs256, m.credential(m.http_issuer, days_from=-400, days_until=-30), "rsa",
         "expired")
    case("jwt-es256-not-yet-valid", "png", es256, m.credential(p256, days_from=30), "p256", "notYetValid")
    for fmt, signer, issuer, key in (("png", eddsa, ed, "ed"), ("svg", rs256, m.http_issuer, "rsa")):
        token = _tamper_jwt(signer.sign(m.credential(issuer)))
        case("jwt-%s-tampered" % signer.algorithm.lower(), fmt, signer, None, key, "forged", token=token)
    # Wrong key: the header names another key than the one that signed (jwk of another did:key; kid of another
    # key document of the same issuer).
    wrong = m.jwt_signer("ed-other", "EdDSA")
    wrong._public_jwk_cache = m.jwt_signer("ed", "EdDSA")._public_jwk()
    case("jwt-eddsa-wrong-key", "png", wrong, m.credential(ed), "ed", "forged")
    wrong_kid = m.jwt_signer("rsa-other", "RS256", kid=m.base + "/keys/rsa")
    case("jwt-rs256-wrong-key", "svg", wrong_kid, m.credential(m.http_issuer), "rsa", "forged")
    # Status: a bit set in the revocation list, in the suspension list, a clear bit, a list that is not there.
    for name, entry, expect in (
            ("jwt-eddsa-revoked", status_entry(m.base + "/status/revocation", "revocation", 7), "revoked"),
            ("jwt-eddsa-suspended", status_entry(m.base + "/status/suspension", "suspension", 9), "suspended"),
            ("jwt-eddsa-status-clear", status_entry(m.base + "/status/revocation", "revocation", 8), "valid"),
            ("jwt-eddsa-status-unreachable", status_entry(m.base + "/status/missing", "revocation", 8),
             "indeterminate")):
        case(name, "png", eddsa, m.credential(ed, status=entry), "ed", expect, status=True)
    # openbadgeslib's default header: the RSA key itself (`jwk`) for an issuer that is a URL. Nothing ties that
    # key to the issuer (anyone can sign with a key of their own); openbadgeslib trusts the key its caller gives.
    case("jwt-rs256-header-key-only", "png", m.jwt_signer("rsa", "RS256"), m.credential(m.http_issuer), "rsa",
         "indeterminate")


def _di_cases(m):
    from openbadgeslib.ob3 import status_entry

    ed = m.did["ed"]
    signer = m.di_signer("ed")

    def case(name, fmt, cred, expect, status=False, text=None, sign=signer):
        text = text or sign.sign_to_json(cred)
        m.add(name, fmt, m.bake(fmt, text, json_text=True), proof="eddsa-rdfc-2022", expect=expect,
              ref=m.reference_di(text, None, status))

    case("di-valid", "png", m.credential(ed), "valid")
    case("di-valid", "svg", m.credential(ed), "valid")
    case("di-valid", "json", m.credential(ed), "valid")
    case("di-expired", "png", m.credential(ed, days_from=-400, days_until=-30), "expired")
    case("di-not-yet-valid", "svg", m.credential(ed, days_from=30), "notYetValid")
    case("di-tampered", "png", None, "forged", text=_tamper(signer.sign_to_json(m.credential(ed))))
    case("di-tampered", "json", None, "forged", text=_tamper(signer.sign_to_json(m.credential(ed))))
    # Signed with another key than the did:key the proof (and the issuer) names.
    wrong = m.di_signer("ed-other", vm=signer.verification_method)
    case("di-wrong-key", "svg", m.credential(ed), "forged", sign=wrong)
    case("di-rich", "png", _rich(m.credential(ed, name="Sauveteur secouriste du travail")), "valid")
    # An issuer profile endorsed by a third party (OB 3.0 `endorsementJwt`, a term of context 3.0.3 since errata 1.6).
    endorsed = m.credential(ed)
    endorsed.issuer.endorsement_jwts = [m.jwt_signer("ed-other", "EdDSA").sign_payload({"iss": m.did["ed-other"]})]
    case("di-endorsed", "json", endorsed, "valid")
    case("di-revoked", "png", m.credential(ed, status=status_entry(m.base + "/status/revocation", "revocation", 3)),
         "revoked", status=True)
    for index, expect in ((7, "revoked"), (8, "valid")):
        entry = status_entry(m.base + "/status/revocation-di", "revocation", index)
        case("di-%s-list-with-proof" % ("revoked" if index == 7 else "status-clear"), "svg",
             m.credential(ed, status=entry), expect, status=True)
    case("di-suspended", "json",
         m.credential(ed, status=status_entry(m.base + "/status/suspension", "suspension", 9)), "suspended",
         status=True)


def _rich(c):
    """Most of what openbadgeslib can say about an achievement: non-ASCII text, numbers typed xsd:float, alignment,
    result descriptions and results, evidence, tags."""
    from openbadgeslib.ob3 import Alignment, Evidence, Result, ResultDescription

    a = c.achievement
    a.description = "Gestes de premiers secours — « SST » : protéger, alerter, secourir"
    a.achievement_type, a.credits_available, a.tags = "Certificate", 2.5, ["secourisme", "sécurité"]
    a.alignments = [Alignment("Gestes de premiers secours", "https://referentiel.example.fr/rs5541", "RNCP", "RS5541")]
    level = "urn:uuid:1f1c8a3e-5d2b-4c1a-9e0f-000000000001"
    a.result_descriptions = [ResultDescription(level, "Appréciation", "LetterGrade", ["A", "B", "C"], "B")]
    c.results = [Result(value="A", result_description=level)]
    c.credits_earned = 3.0
    c.evidence = [Evidence(id="https://issuer.example.fr/evidence/1", narrative="Mise en situation d'accident",
                           name="Évaluation pratique", genre="Pratique")]
    return c


def make(args):
    opts = options(args, ["--out", "--base", "--png", "--svg", "--port"], required=False)
    m = _Maker(opts["--out"], opts["--base"], opts["--png"], opts["--svg"])
    _status_lists(m)
    _key_documents(m)
    _jwt_cases(m)
    _di_cases(m)
    www = os.path.join(m.out, "www")
    routes = {}
    for i, (path, (data, ctype)) in enumerate(sorted(m.published.items())):
        with open(os.path.join(www, "doc%d" % i), "wb") as f:
            f.write(data)
        routes[path] = {"file": "doc%d" % i, "type": ctype}
    manifest = {"cases": m.cases, "recipient": RECIPIENT, "routes": routes,
                "versions": _versions()}
    tmp = os.path.join(m.out, "manifest.json.tmp")
    with open(tmp, "w") as f:
        json.dump(manifest, f, indent=1)
    os.replace(tmp, os.path.join(m.out, "manifest.json"))
    if opts.get("--port"):
        serve(www, routes, int(opts["--port"]))
    print(json.dumps({"ok": True, "cases": len(m.cases)}))
    return 0


def _versions():
    from importlib.metadata import version

    return {p: version(p) for p in ("openbadgeslib", "PyLD", "PyJWT", "cryptography")}


def serve(www, routes, port):
    """Serves the published documents until the parent process (the Swift test runner) is gone."""
    parent = os.getppid()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            route = routes.get(self.path.split("?")[0])
            if route is None:
                body, status, ctype = b"not found", 404, "text/plain"
            else:
                with open(os.path.join(www, route["file"]), "rb") as f:
                    body = f.read()
                status, ctype = 200, route["type"]
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    deadline = time.monotonic() + 1800
    while os.getppid() == parent and time.monotonic() < deadline:
        time.sleep(0.3)
    server.shutdown()


# ── pyld canonical N-Quads ───────────────────────────────────────────────────


def canon(args):
    from pyld import jsonld

    files, opts, i = [], {}, 0
    while i < len(args):
        if args[i] in ("--contexts", "--out"):
            opts[args[i]] = args[i + 1]
            i += 2
        else:
            files.append(args[i])
            i += 1
    with open(opts["--contexts"]) as f:
        loader = bundled_loader(json.load(f))

    results = {}
    for name in files:
        path, _, label = name.partition("#")
        try:
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            if label:
                doc = doc[label]
            # base None: a document read from a file has no base IRI, relative IRIs stay relative and are dropped
            # (pyld's default would resolve them against its made-up http://example.org/base/).
            nquads = jsonld.normalize(doc, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                            "documentLoader": loader, "base": None})
            results[name] = {"nquads": nquads}
        except Exception as exc:  # noqa: BLE001 - the refusal itself is the result
            results[name] = {"error": "%s: %s" % (type(exc).__name__, str(exc).splitlines()[0][:300])}
    with open(opts["--out"], "w") as f:
        json.dump(results, f)
    print(json.dumps({"ok": True, "documents": len(results)}))
    return 0


def main(argv):
    if not argv or argv[0] not in ("make", "canon"):
        print(__doc__)
        return 2
    return make(argv[1:]) if argv[0] == "make" else canon(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
