from app.core import remedy


def test_dns_timeout_remedy_points_at_the_dns_server():
    text = remedy.fix_dns("acme.ucontactcloud.com", error="timeout")
    assert "did not answer" in text
    assert "UDP and TCP port 53" in text
    assert "instance name" not in text


def test_nxdomain_remedy_mentions_instance_name():
    text = remedy.fix_dns("acme.ucontactcloud.com", error="nxdomain")
    assert "instance name" in text
    assert "acme.ucontactcloud.com" in text


def test_dns_remedy_names_the_following_connection():
    text = remedy.fix_dns("acme.ucontactcloud.com", 8089, "TCP", "WSS", "servfail")
    assert "SERVFAIL" in text
    assert "outbound TCP port 8089 to acme.ucontactcloud.com (WSS)" in text


def test_allow_names_protocol_port_and_host():
    text = remedy.allow("UDP", 3478, "stun.ucontactcloud.com", "STUN")
    assert "UDP port 3478" in text
    assert "stun.ucontactcloud.com" in text


def test_portal_remedy_names_inspection_only_for_tls():
    from app.core.httpfailure import portal_remedy

    assert "TLS inspection" not in portal_remedy("cacerts.geotrust.com", 80, "HTTP")
    assert "TLS inspection" in portal_remedy("redirector.gvt1.com", 443, "HTTPS")
