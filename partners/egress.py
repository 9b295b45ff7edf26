"""Outbound requests to partners' addresses without becoming a server-side request forgery tool.

- `address_refusal(ip)` says why an address may not be reached ("loopback", "private", ...) or
  None. It uses the `ipaddress` properties and explicit ranges (Python 3.11's `is_global` misses
  some), and judges IPv4 carried in IPv6 (IPv4-mapped, 6to4, NAT64, Teredo) by the IPv4 inside.
- `resolve(host, port)` resolves once and refuses the host if ANY of its addresses is refused;
  the caller then connects to the address that was checked (`PinnedHTTPSConnection`), never to the
  name again, so a DNS answer that changes between check and connect (rebinding) changes nothing.
- The allow-list (`HARBOUR["WEBHOOK_ALLOWED_NETWORKS"]`: CIDRs or host names) lets a deployment
  reach on-premises partners. `WEBHOOK_ALLOW_HTTP_LOCALHOST` (tests) allow-lists loopback.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from collections.abc import Callable

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

METADATA = [
    ipaddress.ip_network(n)
    for n in ("169.254.169.254/32", "100.100.100.200/32", "fd00:ec2::254/128", "192.0.0.192/32")
]
SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT
BLOCKED = [  # (network, reason): ranges `ipaddress` does not flag on every Python version
    (ipaddress.ip_network(n), reason)
    for n, reason in (
        ("0.0.0.0/8", "unspecified"),
        ("127.0.0.0/8", "loopback"),
        ("10.0.0.0/8", "private"),
        ("172.16.0.0/12", "private"),
        ("192.168.0.0/16", "private"),
        ("169.254.0.0/16", "link-local"),
        ("192.0.0.0/24", "reserved"),  # IETF protocol assignments
        ("192.0.2.0/24", "reserved"),  # documentation
        ("198.18.0.0/15", "reserved"),  # benchmarking
        ("198.51.100.0/24", "reserved"),
        ("203.0.113.0/24", "reserved"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("fc00::/7", "private"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "private"),  # deprecated site-local
        ("ff00::/8", "multicast"),
        ("2001:db8::/32", "reserved"),
        ("100::/64", "reserved"),  # discard-only
    )
]
NAT64 = [ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48")]


class Refused(Exception):
    """The address may not be reached; `category` is the plain words shown to partners."""

    def __init__(self, category: str):
        super().__init__(category)
        self.category = category


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip.sixtofour:
        return ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if any(ip in n for n in NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if int(ip) >> 32 == 0 and int(ip) > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(int(ip))
    return None


def address_refusal(ip: IPAddress | str) -> str | None:
    """Why `ip` may not be reached ("loopback", "private", ...), or None when it is public."""
    ip = ipaddress.ip_address(ip)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.scope_id:
            return "link-local"
        inner = _embedded_ipv4(ip)
        if inner is not None:
            return address_refusal(inner)
    if any(ip in n for n in METADATA):
        return "metadata"
    if ip.version == 4 and ip in SHARED:
        return "shared (CGNAT)"
    for network, reason in BLOCKED:
        if ip.version == network.version and ip in network:
            return reason
    for prop, reason in (
        ("is_unspecified", "unspecified"),
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_private", "private"),
        ("is_reserved", "reserved"),
    ):
        if getattr(ip, prop):
            return reason
    if not ip.is_global:
        return "reserved"
    return None


def _allow_list() -> tuple[list, set[str]]:
    harbour = settings.HARBOUR
    networks, hosts = [], set()
    entries = list(harbour.get("WEBHOOK_ALLOWED_NETWORKS", ()))
    if harbour.get("WEBHOOK_ALLOW_HTTP_LOCALHOST"):
        entries += ["127.0.0.0/8", "::1/128", "localhost"]
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            hosts.add(entry.strip().lower().rstrip("."))
    return networks, hosts


def is_allowed(host: str, ip: IPAddress) -> bool:
    networks, hosts = _allow_list()
    return host.lower().rstrip(".") in hosts or any(
        ip.version == n.version and ip in n for n in networks
    )


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check(host: str, ip: IPAddress) -> None:
    """Raises Refused unless `ip` is public or allow-listed (by address or by `host`)."""
    reason = address_refusal(ip)
    if reason and not is_allowed(host, ip):
        raise Refused(f"refused: {reason} address")


def resolve(host: str, port: int, resolver: Resolver | None = None) -> IPAddress:
    """Resolves `host` once and checks every address; returns the one to connect to."""
    literal = _literal(host)
    if literal is not None:
        check(host, literal)
        return literal
    if host.lower().rstrip(".") == "localhost" or host.lower().endswith(".localhost"):
        check(host, ipaddress.ip_address("127.0.0.1"))
        return ipaddress.ip_address("127.0.0.1")
    try:
        found = [
            ipaddress.ip_address(a.split("%")[0]) for a in (resolver or system_resolver)(host, port)
        ]
    except (OSError, UnicodeError, ValueError) as exc:
        raise Refused("address not found") from exc
    if not found:
        raise Refused("address not found")
    for ip in found:
        check(host, ip)
    return found[0]


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address; the Host header still names the host."""

    def __init__(self, host, port, *, pinned_ip, **kwargs):
        super().__init__(host, port, **kwargs)
        self.pinned_ip = str(pinned_ip)

    def connect(self):
        self.sock = socket.create_connection((self.pinned_ip, self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class PinnedHTTPSConnection(PinnedHTTPConnection):
    """TLS to the checked address with SNI and certificate verification for the host name."""

    default_port = 443

    def __init__(self, host, port, *, pinned_ip, context: ssl.SSLContext, **kwargs):
        super().__init__(host, port, pinned_ip=pinned_ip, **kwargs)
        self.context = context

    def connect(self):
        super().connect()
        self.sock = self.context.wrap_socket(self.sock, server_hostname=self.host)


def tls_context() -> ssl.SSLContext:
    cafile = settings.HARBOUR.get("WEBHOOK_CA_FILE") or None
    return ssl.create_default_context(cafile=cafile)
