"""Remedy sentences for the network administrator, each naming host, port and protocol."""


def allow(protocol: str, port: int | str, host: str, purpose: str = "") -> str:
    purpose_text = f" ({purpose})" if purpose else ""
    return (
        f"Allow outbound {protocol} port {port} from this network to {host}"
        f"{purpose_text} on the firewall, proxy or security software."
    )


_DNS_SERVER_FIXES = {
    "timeout": (
        "This computer's DNS server did not answer for {host}: allow DNS (UDP and TCP "
        "port 53) from this computer to its DNS server, and check that the server runs."
    ),
    "no-nameservers": (
        "No DNS server is configured on this computer, so {host} cannot resolve: set "
        "one in the network settings or through DHCP (UDP/TCP port 53)."
    ),
    "servfail": (
        "The DNS server failed to resolve {host} (SERVFAIL): check its forwarding and "
        "any DNS filter (UDP/TCP port 53)."
    ),
    "refused": (
        "The DNS server refused to resolve {host} (REFUSED): allow this computer to "
        "query it, or check the DNS filter (UDP/TCP port 53)."
    ),
}


def fix_dns(
    host: str,
    port: int | str | None = None,
    protocol: str = "TCP",
    purpose: str = "",
    error: str | None = None,
) -> str:
    """Return the DNS remedy for `error` (a Resolution error kind) on `host`.

    With `port`, the remedy also names the connection the check needs afterwards.
    """
    template = _DNS_SERVER_FIXES.get(error or "")
    if template:
        text = template.format(host=host)
    else:
        text = (
            f"Make {host} resolve on this computer's DNS server (UDP/TCP port 53): "
            "check the DNS server or filter, or ask the uContact administrator for the "
            "right instance name."
        )
    if port:
        purpose_text = f" ({purpose})" if purpose else ""
        text += (
            f" This check then needs outbound {protocol} port {port} to {host}"
            f"{purpose_text}."
        )
    return text
