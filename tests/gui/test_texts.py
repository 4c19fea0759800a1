"""Translation of the core's English texts and completeness of the Spanish file."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.core import remedy
from app.core.checks import build_checks
from app.core.instance import InstanceError, normalize_instance
from app.core.model import CheckSpec
from app.core.paths import builtin_profile_path
from app.core.profile import load_profile
from app.core.resolve import ERRORS
from app.gui.i18n import Translations, resolve_language, translations_dir
from app.gui.partial import NOT_RUN_SUMMARY
from app.gui.texts import SENTENCES, translate_group, translate_text, translate_title

FIELD = re.compile(r"\{(\w+)\}")


@pytest.fixture
def spanish(translations: Translations) -> Iterator[Translations]:
    assert translations.install("es"), "ucontact_es.qm is missing; run pyside6-lrelease"
    yield translations


def spanish_messages() -> list[ET.Element]:
    tree = ET.parse(translations_dir() / "ucontact_es.ts")
    return list(tree.getroot().iter("message"))


def test_spanish_file_has_no_unfinished() -> None:
    unfinished = [
        m.findtext("source")
        for m in spanish_messages()
        if m.find("translation").get("type") == "unfinished"
    ]
    assert unfinished == []


def test_spanish_keeps_template_fields() -> None:
    for message in spanish_messages():
        source = message.findtext("source") or ""
        translation = message.findtext("translation") or ""
        if message.get("numerus") == "yes":
            continue
        assert set(FIELD.findall(translation)) == set(FIELD.findall(source)), source
        for marker in ("%1", "%2"):
            assert (marker in translation) == (marker in source), source


def test_compiled_files_match_sources(tmp_path) -> None:
    # File times say nothing in a fresh clone, so compile again and compare bytes.
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    for language in ("en", "es"):
        source = translations_dir() / f"ucontact_{language}.ts"
        compiled = tmp_path / f"{language}.qm"
        subprocess.run(
            [str(lrelease), str(source), "-qm", str(compiled)],
            check=True,
            capture_output=True,
            timeout=60,
        )
        committed = source.with_suffix(".qm").read_bytes()
        assert compiled.read_bytes() == committed, (
            f"{source.with_suffix('.qm').name} is stale; run pyside6-lrelease on "
            f"{source.name}"
        )


def test_every_template_is_in_spanish_file() -> None:
    sources = {m.findtext("source") for m in spanish_messages()}
    missing = [template for template in SENTENCES if template not in sources]
    assert missing == []


def test_english_text_passes_through(translations: Translations) -> None:
    text = "No host names to resolve."
    assert translate_text(text).text == text
    assert translate_text(text).translated


def test_dns_failure_translated(spanish: Translations) -> None:
    summary = (
        "2 of 3 hosts did not resolve: a.test: "
        f"{ERRORS['nxdomain']}; b.test: {ERRORS['timeout']}."
    )
    translated = translate_text(summary)
    assert translated.translated
    assert translated.text == (
        "2 de 3 hosts no se resolvieron: a.test: el servidor DNS indica que el nombre "
        "no existe (NXDOMAIN); b.test: ningún servidor DNS respondió a tiempo."
    )


def test_remedy_sentences_translated(spanish: Translations) -> None:
    text = f"{remedy.fix_dns('a.test')} {remedy.allow('TCP', 443, 'b.test')}"
    translated = translate_text(text)
    assert translated.translated
    assert "Haga que a.test se resuelva" in translated.text
    assert "Permita el tráfico saliente TCP al puerto 443" in translated.text
    assert "hacia b.test" in translated.text


def test_runner_timeout_translated(spanish: Translations) -> None:
    summary = (
        "The check did not finish within its 4 s timeout, so it could not be verified."
    )
    remedy_text = (
        "Run the check again; if it repeats, send this report to the "
        "helpdesk. Hosts involved: stun.ucontact.test."
    )
    assert translate_text(summary).text.startswith("La comprobación no terminó")
    assert translate_text(remedy_text).text.endswith(
        "Hosts involucrados: stun.ucontact.test."
    )


def test_unknown_sentence_stays_english(spanish: Translations) -> None:
    text = "No host names to resolve. The moon is made of cheese."
    translated = translate_text(text)
    assert not translated.translated
    assert translated.text == text


def test_unknown_reason_in_list_stays_english(spanish: Translations) -> None:
    text = "1 of 2 hosts did not resolve: a.test: something new."
    translated = translate_text(text)
    assert not translated.translated
    assert translated.text == text


def test_title_translated_only_when_known(spanish: Translations) -> None:
    assert translate_title("Name resolution").text == "Resolución de nombres"
    assert translate_title("Name resolution (lab)").text == "Name resolution (lab)"
    assert not translate_title("Name resolution (lab)").translated


def test_group_names_translated(spanish: Translations) -> None:
    assert translate_group("this computer") == "Este equipo"
    assert translate_group("media") == "Medios (audio)"


def test_stale_language_choice_falls_back() -> None:
    assert resolve_language("es") == "es"
    assert resolve_language("xx") in ("en", "es")


def test_missing_translation_file_reported(
    translations: Translations, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("app.gui.i18n.translations_dir", lambda: tmp_path)
    assert not translations.install("es")
    assert translations.language == "en"


def builtin_specs() -> list[CheckSpec]:
    profile = load_profile(builtin_profile_path())
    return [check.spec for check in build_checks(profile, "acme")]


def test_builtin_titles_translated(spanish: Translations) -> None:
    for spec in builtin_specs():
        assert translate_title(spec.title).translated, spec.title


def test_builtin_requirements_translated(spanish: Translations) -> None:
    for spec in builtin_specs():
        assert translate_text(spec.requirement).translated, spec.requirement


def test_ips_title_and_requirement_spanish(spanish: Translations) -> None:
    specs = {spec.id: spec for spec in builtin_specs()}
    ips = specs["ips"]
    assert translate_title(ips.title).text == "Paquetes de voz no bloqueados (IPS)"
    assert translate_text(ips.requirement).text.startswith(
        "Un IPS o firewall no corta ni descarta los paquetes de voz (RTP)"
    )


@pytest.mark.parametrize("error", ["timeout", "no-nameservers", "servfail", "refused"])
def test_dns_server_remedy_translated(spanish: Translations, error: str) -> None:
    translated = translate_text(remedy.fix_dns("a.test", error=error))
    assert translated.translated
    assert "a.test" in translated.text
    assert "53" in translated.text


@pytest.mark.parametrize("error", ["timeout", "no-nameservers", "servfail", "refused"])
def test_dns_remedy_with_port_translated(spanish: Translations, error: str) -> None:
    text = remedy.fix_dns("a.test", 8089, "TCP", "SIP signalling", error=error)
    translated = translate_text(text)
    assert translated.translated
    assert translated.text.endswith(
        "Después, esta comprobación necesita el tráfico saliente TCP al puerto 8089 "
        "hacia a.test (SIP signalling)."
    )


def test_dns_remedy_port_without_purpose(spanish: Translations) -> None:
    translated = translate_text(remedy.fix_dns("a.test", 443, "TCP"))
    assert translated.translated
    assert translated.text.endswith(
        "Después, esta comprobación necesita el tráfico saliente TCP al puerto 443 "
        "hacia a.test."
    )


def test_allow_with_purpose_translated(spanish: Translations) -> None:
    text = remedy.allow("UDP", 443, "a.test", "HTTP/3 (QUIC)")
    translated = translate_text(text)
    assert translated.translated
    assert translated.text == (
        "Permita el tráfico saliente UDP al puerto 443 desde esta red hacia a.test "
        "(HTTP/3 (QUIC)) en el firewall, el proxy o el software de seguridad."
    )


@pytest.mark.parametrize(
    ("typed", "start"),
    [
        ("", "El nombre de instancia está vacío"),
        ("not a name!", "'not a name!' no es un nombre de instancia válido"),
        (
            "acmehttps://acme.ucontactcloud.com/agent",
            (
                "'acmehttps://acme.ucontactcloud.com/agent' no es una dirección de "
                "uContact"
            ),
        ),
        ("a" * 64, "El nombre de instancia es demasiado largo (64 caracteres)"),
    ],
)
def test_instance_error_translated(
    spanish: Translations, typed: str, start: str
) -> None:
    with pytest.raises(InstanceError) as raised:
        normalize_instance(typed, ".ucontactcloud.com")
    translated = translate_text(str(raised.value))
    assert translated.translated
    assert translated.text.startswith(start)
    assert translated.text.endswith("como acme para acme.ucontactcloud.com.")


def test_not_run_summary_translated(spanish: Translations) -> None:
    translated = translate_text(NOT_RUN_SUMMARY)
    assert translated.text == (
        "La ejecución se canceló antes de que terminara esta comprobación."
    )
