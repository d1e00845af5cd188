"""Files served as downloads: `send_file` writes the Content-Disposition header (RFC 6266,
with an ASCII fallback for accented names) and the cache headers."""

from __future__ import annotations

import io

from flask import Response, send_file


def attachment(data: bytes | str, mimetype: str, name: str) -> Response:
    """`data` downloaded as `name`; text is sent in UTF-8 (`text/*` types say so)."""
    body = data.encode("utf-8") if isinstance(data, str) else data
    return send_file(io.BytesIO(body), mimetype=mimetype, as_attachment=True,
                     download_name=name)
