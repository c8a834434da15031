"""Words come from gettext catalogs: one `.po` per language, compiled `.mo` kept beside it."""

from __future__ import annotations

import configparser
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from jinja2 import DictLoader, Environment

from tierline.i18n import LANGUAGES, LOCALE_DIR, language_of, translations, words
from tierline.i18n_templates import install

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "tierline"
TRANSLATED = ("fr", "it", "vi")

MessageId = tuple[str | None, str | tuple[str, ...]]


def _mapping() -> list[tuple[str, str]]:
    config = configparser.ConfigParser()
    config.read(ROOT / "babel.cfg")
    return [
        (pattern, method)
        for section in config.sections()
        for method, pattern in [section.split(":", 1)]
    ]


def _options() -> dict[str, dict[str, str]]:
    config = configparser.ConfigParser()
    config.read(ROOT / "babel.cfg")
    return {
        section.split(":", 1)[1].strip(): dict(config[section]) for section in config.sections()
    }


def _extracted() -> Iterator[tuple[str, MessageId]]:
    mapping = [(pattern.strip(), method.strip()) for pattern, method in _mapping()]
    for filename, _, message, _, context in extract_from_dir(SOURCE, mapping, _options()):
        yield filename, (context, message)


@pytest.fixture(scope="module")
def in_code() -> dict[MessageId, set[str]]:
    found: dict[MessageId, set[str]] = {}
    for filename, (context, message) in _extracted():
        key = (context, message if isinstance(message, str) else tuple(message))
        found.setdefault(key, set()).add(filename)
    return found


def _po(language: str) -> Catalog:
    with open(LOCALE_DIR / language / "LC_MESSAGES" / "tierline.po", "rb") as po:
        return read_po(po, locale=language)


def _ids(catalog: Catalog) -> set[MessageId]:
    return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in catalog if m.id}


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"%\((\w+)\)s", text))


class TestTheCatalogs:
    def test_every_language_has_a_catalog_and_english_is_the_source(self) -> None:
        assert LANGUAGES[0] == "en"
        for language in LANGUAGES:
            assert (LOCALE_DIR / language / "LC_MESSAGES" / "tierline.po").is_file()
            assert (LOCALE_DIR / language / "LC_MESSAGES" / "tierline.mo").is_file()

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_every_message_id_of_the_code_is_in_the_catalog(
        self, language: str, in_code: dict[MessageId, set[str]]
    ) -> None:
        missing = set(in_code) - _ids(_po(language))
        assert not missing, f"run `make translations`: {sorted(missing, key=str)[:10]}"

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_the_catalog_holds_no_message_the_code_no_longer_says(
        self, language: str, in_code: dict[MessageId, set[str]]
    ) -> None:
        assert not _ids(_po(language)) - set(in_code)

    @pytest.mark.parametrize("language", TRANSLATED)
    def test_every_word_is_translated_with_the_same_placeholders(self, language: str) -> None:
        for message in _po(language):
            if not message.id:
                continue
            key = (
                message.context,
                message.id if isinstance(message.id, str) else tuple(message.id),
            )
            assert not message.fuzzy, key
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            source = message.id[-1] if isinstance(message.id, tuple) else message.id
            for string in strings:
                assert string, f"{language}: {key} is not translated"
                expected = set(_placeholders(source)) - ({"num"} if message.pluralizable else set())
                assert set(_placeholders(string)) - {"num"} == expected, (language, key, string)

    @pytest.mark.parametrize("language", LANGUAGES)
    def test_the_compiled_catalog_matches_its_po(self, language: str) -> None:
        compiled = io.BytesIO()
        write_mo(compiled, _po(language))
        kept = (LOCALE_DIR / language / "LC_MESSAGES" / "tierline.mo").read_bytes()
        assert kept == compiled.getvalue(), "run `make translations`"


class TestLookingWordsUp:
    @pytest.mark.parametrize(
        ("tag", "language"),
        [("fr", "fr"), ("fr-CA", "fr"), ("vi_VN", "vi"), ("IT", "it"), ("de", "en"),
         ("xx-YY", "en"), ("", "en"), (None, "en")],
    )  # fmt: skip
    def test_a_locale_reads_its_languages_catalog_or_english(
        self, tag: str | None, language: str
    ) -> None:
        assert language_of(tag) == language
        assert translations(tag) is translations(language)

    def test_a_word_is_translated_and_its_values_filled_in(self) -> None:
        assert words("fr").gettext("Invoice %(number)s", number="INV-1") == "Facture INV-1"
        assert words("de").gettext("Invoice %(number)s", number="INV-1") == "Invoice INV-1"

    def test_a_context_tells_two_translations_of_one_english_word_apart(self) -> None:
        fr = words("fr")
        assert fr.gettext("Upgrade") == "Monter en gamme"
        assert fr.pgettext("change", "Upgrade") == "Montée en gamme"

    @pytest.mark.parametrize(
        ("language", "count", "said"),
        [("en", 1, "1-day trial"), ("en", 14, "14-day trial"),
         ("fr", 0, "Essai de 0 jour"), ("fr", 1, "Essai de 1 jour"),
         ("fr", 14, "Essai de 14 jours"),
         ("it", 1, "Prova di 1 giorno"), ("it", 30, "Prova di 30 giorni"),
         ("vi", 1, "Dùng thử 1 ngày"), ("vi", 30, "Dùng thử 30 ngày")],
    )  # fmt: skip
    def test_counts_follow_the_languages_plural_rules(
        self, language: str, count: int, said: str
    ) -> None:
        w = words(language)
        assert w.ngettext("%(num)s-day trial", "%(num)s-day trial", count) == said


class TestTemplates:
    def test_one_environment_renders_each_template_in_its_contexts_language(self) -> None:
        env = Environment(
            loader=DictLoader(
                {
                    "page.html": (
                        '{{ _("Invoice %(number)s", number=n) }} · '
                        '{{ ngettext("%(num)s-day trial", "%(num)s-day trial", days) }} · '
                        '{{ pgettext("change", "Upgrade") }}'
                    )
                }
            ),
            autoescape=True,
        )
        install(env)
        page = env.get_template("page.html")

        assert page.render(translations=translations("fr"), n="<1>", days=2) == (
            "Facture &lt;1&gt; · Essai de 2 jours · Montée en gamme"
        )
        assert page.render(translations=translations("it"), n="7", days=1) == (
            "Fattura 7 · Prova di 1 giorno · Aggiornamento"
        )
        assert page.render(n="7", days=3) == "Invoice 7 · 3-day trial · Upgrade"
