#!/usr/bin/env python3
"""Signs in to a running Homeward as a person would (the sign-in form and its CSRF token)
and prints the Cookie header of the session, for load tools such as wrk."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "scale_out"))
from load import Client  # noqa: E402


def main():
    base, email, password = sys.argv[1:4]
    host, port = base.removeprefix("http://").split(":")
    c = Client(host, int(port), 10)
    c.sign_in(email, password)
    print("; ".join(f"{k}={v}" for k, v in c.cookies.items()))


if __name__ == "__main__":
    main()
