"""Container healthcheck: GET http://127.0.0.1:8000<path> (default /readyz); exit 0 on 200.

Plain Python (no Django): cheap enough to run every few seconds. The Host header is `localhost`
(in ALLOWED_HOSTS), and X-Forwarded-Proto https so the HTTPS redirect does not apply.
"""

import sys
import urllib.request

path = sys.argv[1] if len(sys.argv) > 1 else "/readyz"
request = urllib.request.Request(
    f"http://127.0.0.1:8000{path}",
    headers={"Host": "localhost", "X-Forwarded-Proto": "https"},
)
try:
    with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 - loopback
        sys.exit(0 if response.status == 200 else 1)
except Exception as exc:  # noqa: BLE001 - any failure is unhealthy
    print(f"{path}: {exc}", file=sys.stderr)
    sys.exit(1)
