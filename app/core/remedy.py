"""Remedy sentences for the network administrator, each naming host, port and protocol."""


def allow(protocol: str, port: int | str, host: str, purpose: str = "") -> str:
    purpose_text = f" ({purpose})" if purpose else ""
    return (
        f"Allow outbound {protocol} port {port} from this network to {host}"
        f"{purpose_text} on the firewall, proxy or security software."
    )


def fix_dns(host: str, port: int | str | None = None, protocol: str = "TCP",
            purpose: str = "") -> str:
    """Return the DNS remedy, naming also the connection on `port` when one is given."""
    text = (
        f"Make {host} resolve on this computer's DNS server (UDP/TCP port 53): check "
        "the DNS server or filter, or ask the uContact administrator for the right "
        "instance name."
    )
    if port:
        purpose_text = f" ({purpose})" if purpose else ""
        text += (f" This check then needs outbound {protocol} port {port} to {host}"
                 f"{purpose_text}.")
    return text
