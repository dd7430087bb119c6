"""Virus scanning through ClamAV's daemon (clamd), when CLAMD_ADDRESS is set.

Configured means required: if clamd cannot be reached or does not answer, the
upload is refused ("try again later"), never let through (fail closed)."""

import socket
import struct

from django.conf import settings

from scr_tracker.intake.extract import Refused

UNAVAILABLE = (
    "This file could not be checked for viruses just now. Nothing was saved; try again later."
)
INFECTED = "This file contains a virus or malware, so it was refused. Nothing was saved."
_CHUNK = 64 * 1024


def _connect(address: str, timeout: float) -> socket.socket:
    if address.startswith("/"):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(address)
        return sock
    host, _, port = address.rpartition(":")
    return socket.create_connection((host, int(port)), timeout=timeout)


def ping(address: str, timeout: float = 3) -> bool:
    """Whether clamd answers PING at ``address``."""
    try:
        with _connect(address, timeout) as sock:
            sock.sendall(b"zPING\0")
            return sock.recv(16).rstrip(b"\0") == b"PONG"
    except (OSError, ValueError):
        return False


def scan(data: bytes) -> None:
    """Raise Refused unless clamd is not configured or says the data is clean."""
    address = settings.CLAMD_ADDRESS
    if not address:
        return
    try:
        with _connect(address, settings.CLAMD_TIMEOUT) as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), _CHUNK):
                chunk = data[start : start + _CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0"):
                received = sock.recv(4096)
                if not received:
                    break
                reply += received
    except (OSError, ValueError):
        raise Refused(UNAVAILABLE) from None
    answer = reply.rstrip(b"\0").decode("utf-8", "replace")
    if answer.endswith("FOUND"):
        raise Refused(INFECTED)
    if not answer.endswith(": OK"):
        raise Refused(UNAVAILABLE)
