"""A real SMTP server for the mail tests (aiosmtpd, in .venv-smtp made by `make smtp-deps`).

Usage: smtp_server.py PORT MAILDIR [--tls CERT KEY] [--auth USER PASSWORD]
Each accepted message is written whole (as received, after the DATA terminator) to MAILDIR/NNNN.eml, then the
server answers 250. With --tls the server offers STARTTLS and requires it; with --auth it requires AUTH (PLAIN or
LOGIN) after TLS. Prints "ready" once listening; stops on SIGTERM.
"""
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Store:
    def __init__(self, directory):
        self.directory = directory
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            count = len([n for n in os.listdir(self.directory) if n.endswith(".eml")])
            name = os.path.join(self.directory, "%04d.eml" % (count + 1))
            header = "X-Envelope-From: %s\r\nX-Envelope-To: %s\r\n" % (envelope.mail_from, ",".join(envelope.rcpt_tos))
            with open(name + ".tmp", "wb") as f:
                f.write(header.encode() + envelope.original_content)
            os.rename(name + ".tmp", name)
        return "250 Message accepted for delivery"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    args = sys.argv[3:]
    options = {}
    if "--tls" in args:
        i = args.index("--tls")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args[i + 1], args[i + 2])
        options.update(tls_context=context, require_starttls=True)
    if "--auth" in args:
        i = args.index("--auth")
        user, password = args[i + 1].encode(), args[i + 2].encode()

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login == user and auth_data.password == password
            return AuthResult(success=ok, handled=False)

        options.update(authenticator=authenticator, auth_required=True, auth_require_tls="--tls" in args)
    controller = Controller(Store(directory), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print("ready", flush=True)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})  # the parent may block them
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.1):  # a bare wait() would keep the signal handler from ever running
        pass
    controller.stop()


if __name__ == "__main__":
    main()
