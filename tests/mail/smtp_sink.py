"""A real SMTP server on loopback for the tests (aiosmtpd): every message that arrives is
written, decoded, as one JSON line (envelope recipients, subject, plain-text body) to the
file named on the command line. Prints "ready <port>" once it listens.

    python3 smtp_sink.py PORT OUT_FILE
"""

import email
import json
import sys
import time
from email import policy

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=policy.default)
        body = msg.get_body(preferencelist=("plain",))
        line = {
            "to": envelope.rcpt_tos,
            "from": envelope.mail_from,
            "subject": str(msg["subject"]),
            "body": body.get_content() if body is not None else "",
        }
        with open(self.out, "a", encoding="utf-8") as f:
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
        return "250 Message accepted"


def main():
    port, out = int(sys.argv[1]), sys.argv[2]
    controller = Controller(Sink(out), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"ready {port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
