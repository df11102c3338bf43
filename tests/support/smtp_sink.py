#!/usr/bin/env python3
"""A tiny SMTP server for tests: every message it accepts is written, exactly as
received, to DIR/<n>.eml (atomically: temp file + rename), with the envelope in
DIR/<n>.json. Prints "READY <port>" once it accepts connections; stops on SIGTERM.

usage: smtp_sink.py PORT DIR
"""
import asyncio
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller


class SaveHandler:
    def __init__(self, directory):
        self.directory = directory
        self.lock = threading.Lock()
        self.count = len([n for n in os.listdir(directory) if n.endswith(".eml")])

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            n = self.count
        base = os.path.join(self.directory, "%06d" % n)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        with open(base + ".json.tmp", "w") as f:
            json.dump({"mailFrom": envelope.mail_from, "rcptTos": envelope.rcpt_tos}, f)
        os.replace(base + ".json.tmp", base + ".json")
        with open(base + ".eml.tmp", "wb") as f:
            f.write(data)
        os.replace(base + ".eml.tmp", base + ".eml")
        return "250 Message accepted for delivery"


def main():
    port = int(sys.argv[1])
    directory = sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(SaveHandler(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("READY %d" % port, flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
