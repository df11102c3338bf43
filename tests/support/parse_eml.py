#!/usr/bin/env python3
"""Parses .eml files with Python's `email` package and prints one JSON object per
file (a list when given several): headers as a reader sees them, decoded parts,
and any defects the parser found. Used by the notification tests."""
import email
import email.policy
import json
import sys


def parse(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    parts = [p.get_content_type() for p in msg.walk()]
    defects = [type(d).__name__ for p in msg.walk() for d in p.defects]
    return {
        "from": str(msg["From"] or ""),
        "to": str(msg["To"] or ""),
        "subject": str(msg["Subject"] or ""),
        "date": str(msg["Date"] or ""),
        "messageId": str(msg["Message-ID"] or ""),
        "mimeVersion": str(msg["MIME-Version"] or ""),
        "contentType": msg.get_content_type(),
        "parts": parts,
        "text": text.get_content() if text is not None else None,
        "html": html.get_content() if html is not None else None,
        "textCharset": text.get_content_charset() if text is not None else None,
        "defects": defects,
    }


if __name__ == "__main__":
    results = [parse(p) for p in sys.argv[1:]]
    print(json.dumps(results[0] if len(results) == 1 else results))
