"""The room's classifier service: its connections, without a pipeline behind them."""

from __future__ import annotations

import secrets
import socket
import threading
from multiprocessing.connection import Client, Connection, Listener

from coachsim.workshop.classifier_service import RemoteClassifier, ServiceAddress, send_at_once


def sends_at_once(connection: Connection) -> bool:
    with socket.fromfd(connection.fileno(), socket.AF_INET, socket.SOCK_STREAM) as sock:
        return bool(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


def accepting(listener: Listener) -> tuple[threading.Thread, list[Connection]]:
    accepted: list[Connection] = []
    thread = threading.Thread(target=lambda: accepted.append(listener.accept()), daemon=True)
    thread.start()
    return thread, accepted


def test_both_ends_of_a_connection_send_each_message_at_once() -> None:
    """Nagle's algorithm held each connection's first request some 40 ms: the key's handshake
    ends with the caller's message, and the request waited for its late acknowledgement."""
    key = secrets.token_bytes(32)
    with Listener(("127.0.0.1", 0), authkey=key) as listener:
        thread, accepted = accepting(listener)
        with Client(listener.address, authkey=key) as caller:
            thread.join(timeout=30)
            [service_end] = accepted
            with service_end:
                assert not sends_at_once(caller) and not sends_at_once(service_end)
                send_at_once(caller)
                send_at_once(service_end)
                assert sends_at_once(caller) and sends_at_once(service_end)
                caller.send_bytes(b"still open")  # the duplicate socket closed, not the connection
                assert service_end.recv_bytes() == b"still open"


def test_a_participants_connection_to_the_service_sends_at_once() -> None:
    key = secrets.token_bytes(32)
    with Listener(("127.0.0.1", 0), authkey=key) as listener:
        thread, accepted = accepting(listener)
        host, port = listener.address
        remote = RemoteClassifier(ServiceAddress(host, port, key))
        try:
            assert sends_at_once(remote._connect())
        finally:
            remote.close()
            thread.join(timeout=30)
            for connection in accepted:
                connection.close()
