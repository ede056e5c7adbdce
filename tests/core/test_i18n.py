import pytest

pytestmark = pytest.mark.django_db


def test_the_interface_is_chinese_by_default(client_for, inspector):
    body = client_for(inspector).get("/enterprises/").content.decode()
    assert "企业名录" in body and "Enterprise registry" not in body


def test_the_login_page_is_chinese_for_anonymous_visitors(client):
    assert "登录" in client.get("/accounts/login/").content.decode()


def test_the_language_switch_turns_the_interface_english(client_for, inspector):
    client = client_for(inspector)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/enterprises/"})
    assert response.status_code == 302
    body = client.get("/enterprises/").content.decode()
    assert "Enterprise registry" in body and "企业名录" not in body
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/enterprises/"})
    assert "企业名录" in client.get("/enterprises/").content.decode()


def test_a_users_preferred_language_applies_after_login(client_for, inspector):
    inspector.language = "en"
    inspector.save()
    assert "Enterprise registry" in client_for(inspector).get("/enterprises/").content.decode()


def test_every_message_is_translated():
    from pathlib import Path

    from django.conf import settings

    po = (Path(settings.BASE_DIR) / "locale/zh_Hans/LC_MESSAGES/django.po").read_text()
    entries = po.split("\n\n")[1:]
    untranslated = [e for e in entries if 'msgstr ""\n' in e + "\n" and "msgstr[" not in e
                    and e.rstrip().endswith('msgstr ""')]
    assert untranslated == []
    assert "#, fuzzy" not in po
