"""What every simulated server shares: a quiet threading server and a keep-alive handler tuned for loopback."""

from __future__ import annotations

import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 drops bursts of connects, and each dropped SYN costs the client
    # a one-second retransmit: crawlers open many connections at once.
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-response are normal here (truncation, byte caps); stay quiet."""


class KeepAliveHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections are dropped after this many seconds
    # Buffer writes so headers and a small body leave in one segment: written separately, Nagle's
    # algorithm and delayed ACKs stall every keep-alive response by ~40 ms.
    wbufsize = 64 * 1024

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        pass
