"""The TLS context of the feed client: httpx's default, but it loads the trusted certificates when first used.

Loading the CA bundle costs 20 ms, which was a tenth of a refresh whose feeds all answer 304; a refresh of
http feeds (a local server, say) never needs it. The context is otherwise the one ``httpx.create_ssl_context()``
makes: a client context that verifies servers and their names, trusting ``$SSL_CERT_FILE``, else
``$SSL_CERT_DIR``, else certifi's bundle, with ``$SSLKEYLOGFILE`` honoured. The certificates are loaded before
any handshake, whatever makes it (httpx's pool, a proxy's tunnel): every TLS connection is made through
:meth:`~ssl.SSLContext.wrap_socket` or :meth:`~ssl.SSLContext.wrap_bio`.
"""

from __future__ import annotations

import os
import ssl
import sys
import threading
from typing import Any


class TrustOnUse(ssl.SSLContext):
    """A client TLS context that loads its trusted certificates before its first handshake (see the module)."""

    _trust_lock: threading.Lock
    _trusted: bool

    def trust(self) -> None:
        """Load the trusted certificates, once (threads may race to the first handshake)."""
        if self._trusted:
            return
        with self._trust_lock:
            if self._trusted:
                return
            if os.environ.get("SSL_CERT_FILE"):
                self.load_verify_locations(cafile=os.environ["SSL_CERT_FILE"])
            elif os.environ.get("SSL_CERT_DIR"):
                self.load_verify_locations(capath=os.environ["SSL_CERT_DIR"])
            else:
                import certifi

                self.load_verify_locations(cafile=certifi.where())
            self._trusted = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        self.trust()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        self.trust()
        return super().wrap_bio(*args, **kwargs)


def client_context() -> TrustOnUse:
    """A new client context as ``ssl.create_default_context()`` makes one (``PROTOCOL_TLS_CLIENT``: the server's
    certificate and name verified), its certificates loaded when first used."""
    context = TrustOnUse(ssl.PROTOCOL_TLS_CLIENT)
    context.verify_mode, context.check_hostname = ssl.CERT_REQUIRED, True  # (the protocol's defaults, said)
    context._trust_lock = threading.Lock()
    context._trusted = False
    keylog = os.environ.get("SSLKEYLOGFILE")
    if keylog and not sys.flags.ignore_environment:
        context.keylog_filename = keylog
    return context
