import re
import tempfile
from pathlib import Path

import pytest

from app.core.paths import builtin_profile_path
from app.core.profile import ProfileError, load_profile

MINIMAL = """
[profile]
name = "test"
instance_host = "{instance}.example.test"

[[check]]
id = "dns"
kind = "dns"
group = "this computer"
title = "Name resolution"
requirement = "Every host resolves"
timeout_s = 2
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "profile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_profile_loads():
    profile = load_profile(builtin_profile_path())
    ids = [spec.id for spec in profile.checks]
    for expected in (
        "dns",
        "https",
        "sip-wss",
        "stun-udp",
        "stun-tcp",
        "ice",
        "tls-443",
        "tls-8089",
        "aia-geotrust",
        "redirector",
        "licence",
        "monitor",
        "updates",
        "chrome-ips",
    ):
        assert expected in ids
    assert profile.instance_domain() == ".ucontactcloud.com"
    assert len(profile.distrusted_roots) == 3
    assert str(profile.distrusted_roots[0].removed) == "2026-04-15"


def test_builtin_profile_substitutes_instance():
    profile = load_profile(builtin_profile_path())
    specs = {spec.id: spec for spec in profile.specs_for("acme")}
    assert specs["sip-wss"].params["url"] == "wss://acme.ucontactcloud.com:8089/ws"
    assert specs["tls-443"].params["host"] == "acme.ucontactcloud.com"
    assert "acme.ucontactcloud.com" in specs["https"].requirement


def test_minimal_profile_loads(tmp_path):
    profile = load_profile(write(tmp_path, MINIMAL))
    assert profile.name == "test"
    assert profile.deadline_s == 12.0
    assert len(profile.sha256) == 64


@pytest.mark.parametrize(
    ("change", "expected_key"),
    [
        (("timeout_s = 2", 'timeout_s = "soon"'), "check[0] (id dns).timeout_s"),
        (("timeout_s = 2", "timeout_s = -1"), "check[0] (id dns).timeout_s"),
        (('group = "this computer"', 'group = "kitchen"'), "check[0] (id dns).group"),
        (('kind = "dns"', 'kind = "teleport"'), "kind"),
        (('name = "test"', "colour = 1"), "profile.name"),
        (
            ('instance_host = "{instance}.example.test"', 'instance_host = "x.test"'),
            "profile.instance_host",
        ),
        (
            ("timeout_s = 2", "timeout_s = 2\ntimeoutt = 3"),
            "check[0] (id dns).timeoutt",
        ),
    ],
)
def test_invalid_profile_names_file_key_and_fix(tmp_path, change, expected_key):
    old, new = change
    path = write(tmp_path, MINIMAL.replace(old, new))
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    message = str(caught.value)
    assert str(path) in message
    assert expected_key in message
    assert "fix:" in message


def test_duplicate_check_id_rejected(tmp_path):
    text = MINIMAL + MINIMAL[MINIMAL.index("[[check]]") :]
    with pytest.raises(ProfileError, match="repeats the id 'dns'"):
        load_profile(write(tmp_path, text))


def test_toml_syntax_error_is_one_sentence(tmp_path):
    with pytest.raises(ProfileError) as caught:
        load_profile(write(tmp_path, "[profile\nname="))
    assert "not valid TOML" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_binary_file_rejected(tmp_path):
    path = tmp_path / "profile.toml"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ProfileError, match="not UTF-8"):
        load_profile(path)


def test_missing_file_rejected(tmp_path):
    with pytest.raises(ProfileError, match="cannot be read"):
        load_profile(tmp_path / "absent.toml")


def test_distrusted_root_date_must_be_a_date(tmp_path):
    text = (
        MINIMAL
        + """
[trust]
[[trust.distrusted_roots]]
subject = "CN=Old Root"
sha256 = "4348A0E9444C78CB265E058D5E8944B4D84F9662BD26DB257F8934A443C70161"
removed = "yesterday"
removed_by = "Chrome"
"""
    )
    with pytest.raises(ProfileError, match="removed"):
        load_profile(write(tmp_path, text))


def test_deeply_nested_profile_is_one_sentence(tmp_path):
    path = write(tmp_path, "a = " + "[" * 100_000 + "]" * 100_000)
    with pytest.raises(ProfileError, match="nests arrays or tables too deeply"):
        load_profile(path)


def test_bad_port_example_uses_the_default(tmp_path):
    text = MINIMAL.replace(
        'kind = "dns"',
        'kind = "stun"\ntransport = "udp"\nhost = "stun.example.test"\nport = 99999',
    )
    with pytest.raises(ProfileError) as caught:
        load_profile(write(tmp_path, text))
    assert "check[0] (id dns).port" in str(caught.value)
    assert "port = 3478" in str(caught.value)


@pytest.mark.parametrize(
    ("key", "value"), [("rtt_ms", "[400, 150]"), ("mos", "[3.1, 3.8]")]
)
def test_reversed_thresholds_rejected(key, value):
    text = builtin_profile_path().read_text(encoding="utf-8")
    text = re.sub(
        rf"^{key} = .*$", f"{key} = {value}", text, count=1, flags=re.MULTILINE
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "profile.toml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ProfileError) as caught:
            load_profile(path)
    assert f"thresholds.{key}" in str(caught.value)
