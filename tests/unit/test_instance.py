import pytest

from app.core.instance import InstanceError, normalize_instance

DOMAIN = ".ucontactcloud.com"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("acme", "acme"),
        ("  ACME ", "acme"),
        ("acme.ucontactcloud.com", "acme"),
        ("acme.ucontactcloud.com.", "acme"),
        ("https://acme.ucontactcloud.com/agent", "acme"),
        ("https://acme.ucontactcloud.com:443/agent/#/login", "acme"),
        ("wss://acme.ucontactcloud.com:8089/ws", "acme"),
        ("acme.ucontactcloud.com/agent", "acme"),
        ("my-call-center2", "my-call-center2"),
        ("acme.ucontactcloud.com:443", "acme"),
        ("HTTPS://ACME.ucontactcloud.com", "acme"),
    ],
)
def test_instance_accepted(text, expected):
    assert normalize_instance(text, DOMAIN) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "acme corp",
        "-acme",
        "acme-",
        "a" * 64,
        "https://",
        "acme.other.com",
        "https://[::1",
        "ac_me",
        "acme;rm -rf /",
        "ácme",
    ],
)
def test_instance_rejected_with_one_sentence(text):
    with pytest.raises(InstanceError) as caught:
        normalize_instance(text, DOMAIN)
    message = str(caught.value)
    assert "\n" not in message
    assert "acme" in message


def test_long_instance_name_says_too_long():
    with pytest.raises(InstanceError, match="too long"):
        normalize_instance("a" * 80, DOMAIN)
