"""Remedy sentences for the network administrator, each naming host, port and protocol."""


def allow(protocol: str, port: int | str, host: str, purpose: str = "") -> str:
    purpose_text = f" ({purpose})" if purpose else ""
    return (
        f"Allow outbound {protocol} port {port} from this network to {host}"
        f"{purpose_text} on the firewall, proxy or security software."
    )


def fix_dns(host: str) -> str:
    return (
        f"Make {host} resolve on this computer's DNS server (UDP/TCP port 53): check "
        "the DNS server or filter, or ask the uContact administrator for the right "
        "instance name."
    )
