"""A real SMTP server on loopback for the tests that send email (aiosmtpd)."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message


class Inbox(Message):
    """Keeps every message the server receives."""

    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[Controller, Inbox]]:
    """(controller, inbox) of a server on 127.0.0.1 for the length of the test."""
    # aiosmtpd logs each connection from its own thread. Passed up to the root logger, whose
    # console handler holds the stderr pytest had captured when Django configured logging,
    # that prints "Logging error ... I/O operation on closed file" once the capture is closed:
    # its records stay with its own (silent) handler while the server runs.
    log = logging.getLogger("mail.log")
    quiet = logging.NullHandler()
    log.addHandler(quiet)
    log.propagate = False
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()
        log.removeHandler(quiet)
        log.propagate = True
