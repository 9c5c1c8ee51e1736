"""Settings shared by every test: a display-free matplotlib backend and no network.

Matplotlib is switched to the "Agg" backend before anything imports ``matplotlib.pyplot``, so
figures render to memory whatever ``MPLBACKEND`` the shell sets (notebooks use the inline
backend; tests have no kernel to display to).

The autouse fixture :func:`no_network` keeps the tests offline: any attempt to connect a socket
to an address that is not this machine raises :class:`NetworkBlocked` (an ``OSError``, which is
what code sees when it is really offline). Loopback addresses (127.0.0.0/8, ::1, "localhost")
and Unix sockets stay open because Jupyter kernels and the JupyterLab test talk over them.
Tests that need to check the guard itself may request ``no_network`` by name.
"""

from __future__ import annotations

import ipaddress
import os
import socket

import matplotlib

os.environ["MPLBACKEND"] = "Agg"
matplotlib.use("Agg")

import pytest  # noqa: E402


class NetworkBlocked(OSError):
    """Raised when a test tries to reach an address other than this machine."""


def _is_local(address: object) -> bool:
    """Return True for Unix socket paths and loopback host names or addresses."""
    if not isinstance(address, tuple):
        return True  # AF_UNIX path (str or bytes): never leaves the machine
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # a host name other than localhost would need a DNS lookup


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse socket connections to anything but loopback for the duration of a test."""
    connect, connect_ex = socket.socket.connect, socket.socket.connect_ex
    create_connection = socket.create_connection

    def guard(address: object) -> None:
        if not _is_local(address):
            raise NetworkBlocked(f"tests run offline; refused connection to {address!r}")

    def guarded_connect(self: socket.socket, address: object) -> None:
        guard(address)
        return connect(self, address)

    def guarded_connect_ex(self: socket.socket, address: object) -> int:
        guard(address)
        return connect_ex(self, address)

    def guarded_create_connection(address: tuple, *args: object, **kwargs: object):
        guard(address)
        return create_connection(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)
