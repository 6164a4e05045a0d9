#!/usr/bin/env python3
"""A mixed load on Homeward through its proxy, for the scale-out test: signed-in staff
read cases, register returnees and record visits; the public searches the catalogue.
Every request is logged with its time and outcome; every write answered 2xx is kept so
the test can check afterwards that the database holds it. Standard library only."""

import argparse
import http.client
import json
import random
import re
import threading
import time
import urllib.parse

CSRF = re.compile(r'name="_csrf" value="([^"]+)"')
WORDS = ["Albania", "Georgia", "Samoa", "training", "reintegration", "Tirana", "youth", "return"]


class Client:
    """One person's connection: cookies kept, one request at a time."""

    def __init__(self, host, port, timeout):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies = {}
        self.csrf = None

    def request(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        c = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read()
            for k, v in r.getheaders():
                if k.lower() == "set-cookie":
                    name, _, rest = v.partition("=")
                    value = rest.split(";", 1)[0]
                    if value:
                        self.cookies[name] = value
                    else:
                        self.cookies.pop(name, None)
            return r.status, data.decode("utf-8", "replace")
        finally:
            c.close()

    def sign_in(self, email, password):
        _, page = self.request("GET", "/signin")
        token = CSRF.search(page).group(1)
        form = urllib.parse.urlencode(
            {"email": email, "password": password, "_csrf": token, "next": "/my-work"}
        )
        status, _ = self.request(
            "POST", "/signin", form, {"Content-Type": "application/x-www-form-urlencoded"}
        )
        if status != 303:
            raise RuntimeError(f"sign-in of {email} answered {status}")
        _, page = self.request("GET", "/my-work")
        self.csrf = CSRF.search(page).group(1)

    def post_json(self, path, value):
        return self.request(
            "POST",
            path,
            json.dumps(value),
            {"Content-Type": "application/json", "X-CSRF-Token": self.csrf},
        )


class Log:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = []  # (start, end, kind, status) with status 0 for no answer
        self.registered = []  # case ids answered 201
        self.visits = []  # visit notes answered 201
        self.broken = []  # threads that could not start

    def add(self, start, kind, status):
        with self.lock:
            self.requests.append((start, time.time(), kind, status))


def timed(log, kind, f):
    start = time.time()
    try:
        status, body = f()
    except Exception:  # no answer: refused, reset or timed out
        status, body = 0, ""
    log.add(start, kind, status)
    if status == 0 or status >= 500:
        # As a person or a client would: wait a moment before trying again.
        time.sleep(0.2)
    return status, body


def staff(args, n, log, stop, ready):
    try:
        work(args, n, log, stop, ready)
    except Exception as e:  # said, and the run fails: a load that cannot start proves nothing
        with log.lock:
            log.broken.append(f"staff {n}: {e!r}")
        ready.release()


def work(args, n, log, stop, ready):
    c = Client(args.host, args.port, args.timeout)
    for attempt in range(20):
        try:
            c.sign_in(args.email, args.password)
            break
        except Exception:
            if attempt == 19:
                raise
            time.sleep(0.5)
    _, me = c.request("GET", "/api/v1/me")
    office = json.loads(me)["office_id"]
    _, listed = c.request("GET", "/api/v1/cases?per_page=50")
    known = [x["id"] for x in json.loads(listed)]
    mine = []
    ready.release()
    rng = random.Random(n)
    i = 0
    while not stop.is_set():
        i += 1
        roll = rng.random()
        if roll < 0.4 and known:
            timed(log, "case", lambda: c.request("GET", f"/cases/{rng.choice(known)}"))
        elif roll < 0.55:
            timed(log, "cases", lambda: c.request("GET", "/cases"))
        elif roll < 0.8:
            person = {
                "given_name": f"Load{n}x{i}",
                "family_name": rng.choice(["Hoxha", "Kola", "Dervishi", "Shehu"]),
                "sex": rng.choice(["female", "male"]),
                "birth_date": f"19{rng.randint(60, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                "nationality": "AL",
                "origin_office": office,
                "return_area": "Shkodër",
                "return_place": "Vau i Dejës",
                "languages": "Albanian",
                "not_duplicate": True,
            }
            status, body = timed(log, "register", lambda: c.post_json("/api/v1/returnees", person))
            if status == 201:
                case = json.loads(body)["case_id"]
                mine.append(case)
                with log.lock:
                    log.registered.append(case)
        elif mine:
            case = rng.choice(mine)
            note = f"scale-out visit {n}-{i}"
            visit = {"kind": "call", "on": time.strftime("%Y-%m-%d", time.gmtime()), "notes": note}
            status, _ = timed(
                log, "visit", lambda: c.post_json(f"/api/v1/cases/{case}/visits", visit)
            )
            if status == 201:
                with log.lock:
                    log.visits.append(note)


def public(args, n, log, stop, ready):
    c = Client(args.host, args.port, args.timeout)
    rng = random.Random(1000 + n)
    ready.release()
    while not stop.is_set():
        q = urllib.parse.quote(rng.choice(WORDS))
        timed(log, "search", lambda: c.request("GET", f"/projects?q={q}"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--base", required=True)
    p.add_argument("--email", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--staff", type=int, default=6)
    p.add_argument("--public", type=int, default=3)
    p.add_argument("--seconds", type=float, default=40)
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--ready-file", required=True)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    u = urllib.parse.urlparse(args.base)
    args.host, args.port = u.hostname, u.port
    log, stop = Log(), threading.Event()
    ready = threading.Semaphore(0)
    threads = [threading.Thread(target=staff, args=(args, n, log, stop, ready)) for n in range(args.staff)]
    threads += [threading.Thread(target=public, args=(args, n, log, stop, ready)) for n in range(args.public)]
    for t in threads:
        t.start()
    for _ in threads:
        ready.acquire()
    if log.broken:
        stop.set()
        raise SystemExit("the load could not start: " + "; ".join(log.broken))
    started = time.time()
    with open(args.ready_file, "w") as f:
        f.write(str(started))
    time.sleep(args.seconds)
    stop.set()
    for t in threads:
        t.join()
    with open(args.out, "w") as f:
        json.dump(
            {
                "started": started,
                "requests": log.requests,
                "registered": log.registered,
                "visits": log.visits,
            },
            f,
        )


if __name__ == "__main__":
    main()
