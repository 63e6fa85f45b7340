"""``python -m bench.smtp_sink PORT LOG RAW``: a real SMTP server (aiosmtpd) on loopback that
appends "recipient<TAB>subject" to LOG for every message delivered, and the message itself
(envelope and bytes, one JSON line) to RAW. The benchmark's reminder sweep mails into it from
a Celery worker, as it would into a relay; the bare ``smtplib`` loop then sends the same
messages again from RAW. No Django here."""

from __future__ import annotations

import base64
import json
import sys
import time
from email import policy
from email.parser import BytesHeaderParser
from typing import Any

from aiosmtpd.controller import Controller


def subject_of(content: bytes) -> str:
    """The Subject header, unfolded (a long one spans several lines on the wire)."""
    headers = BytesHeaderParser(policy=policy.default).parsebytes(content)
    return str(headers.get("subject", ""))


def main(port: int, log_path: str, raw_path: str) -> None:
    out = open(log_path, "a", buffering=1)  # noqa: SIM115 - open as long as the process
    raw = open(raw_path, "a", buffering=1)  # noqa: SIM115 - open as long as the process

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            subject = subject_of(envelope.content)
            for rcpt in envelope.rcpt_tos:
                out.write(f"{rcpt}\t{subject}\n")
            message = {
                "from": envelope.mail_from,
                "to": envelope.rcpt_tos,
                "data": base64.b64encode(envelope.original_content or envelope.content).decode(),
            }
            raw.write(json.dumps(message) + "\n")
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], sys.argv[3])
