"""Tiny inputs for the Spark tests, written for them (no third-party text)."""

from __future__ import annotations

import io
import json
import os
import shutil

#: Articles written for these tests (no third-party text).
TEXTS = {
    "ferry": "“We will open the new ferry terminal on Monday,” said Harbour Master Lena Voss. "
    "The mayor said that the town would pay for it.\n",
    "storm": "According to the police, nobody was hurt in the storm. “It was a miracle,” a witness "
    'said. Officials called the damage "limited".\n',
    "school": "The school will close for a week, the head teacher, Anna Berg, told parents on Friday. "
    "“The roof must be fixed first,” she said.\n",
    # an event claimed by a speaker (issue 13: the Spark path writes events too)
    "troops": "Harbour Master Lena Voss said that Sweden sent soldiers to the port on Monday.\n",
}

HTML = (
    "<html><head><title>Bridge repairs begin</title></head><body><article>"
    "<h1>Bridge repairs begin</h1>"
    "<p>Repairs on the old bridge began on Tuesday after months of delays in the town.</p>"
    "<p>“The bridge will be safe again by the winter,” said engineer Tom Olsen, who leads the "
    "work for the county roads office.</p>"
    "<p>The county said that the cost would be shared with the national government this year.</p>"
    "</article></body></html>"
)


def java_missing() -> bool:
    return shutil.which("java") is None and not os.environ.get("JAVA_HOME")


def write_jsonl(path, records) -> None:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records),
        encoding="utf-8",
    )


def warc_bytes(records: list[tuple[str, str, int, str, bytes]], *, gzip: bool = True) -> bytes:
    """A WARC file of (type, uri, status, content type, payload) records."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    for rec_type, uri, status, content_type, payload in records:
        if rec_type == "response":
            headers = StatusAndHeaders(
                f"{status} OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(payload), http_headers=headers
            )
        else:
            record = writer.create_warc_record(
                uri, rec_type, payload=io.BytesIO(payload), warc_content_type=content_type
            )
        writer.write_record(record)
    return out.getvalue()
