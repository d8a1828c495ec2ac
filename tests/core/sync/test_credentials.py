"""Credentials never in the cache or a log: passwords from a command or the environment, a token file of mode 0600."""

from __future__ import annotations

import logging
import os
import re
import shlex
import stat
import sys
from pathlib import Path

import pytest

from pozirk_reader.core.config import AccountSettings, load_config
from pozirk_reader.core.logs import SafeFormatter
from pozirk_reader.core.sync.connect import password_source
from pozirk_reader.core.sync.credentials import CredentialError, PasswordSource, TokenFile, default_password_env
from pozirk_reader.core.sync.http import SyncError, check_server_url, is_loopback


def command(code: str) -> str:
    return shlex.join([sys.executable, "-c", code])


def test_a_password_command_runs_without_a_shell_and_gives_its_first_line() -> None:
    source = PasswordSource("home", command=command("print('s3cret; $(rm -rf /)'); print('second line')"))
    assert source.password({}) == "s3cret; $(rm -rf /)"
    assert source.describe() == f"password_command ({sys.executable})"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("import sys; sys.exit(3)", "password_command {exe} failed (exit status 3)"),
        ("pass", "password_command {exe} printed no password"),
    ],
)
def test_a_failing_password_command_is_one_line_without_its_output(code: str, expected: str) -> None:
    with pytest.raises(CredentialError) as raised:
        PasswordSource("home", command=command("print('leaked', file=__import__('sys').stderr); " + code)).password({})
    assert str(raised.value) == "home: " + expected.format(exe=sys.executable)
    assert "leaked" not in str(raised.value)


def test_a_missing_password_command_or_variable_says_what_to_do() -> None:
    with pytest.raises(CredentialError, match="no-such-program-here not found"):
        PasswordSource("home", command="no-such-program-here --get").password({})
    with pytest.raises(CredentialError) as raised:
        PasswordSource("my-box").password({})
    assert str(raised.value) == (
        "my-box: no password: set $POZIRK_READER_PASSWORD_MY_BOX, or give password_command in [accounts.my-box]"
        " of config.toml"
    )


def test_the_password_comes_from_the_config_else_the_account_else_the_default_variable() -> None:
    env = {"POZIRK_READER_PASSWORD_HOME": "default", "MINE": "mine", "CONFIGURED": "configured"}
    assert password_source("home", {}, None).password(env) == "default"
    assert password_source("home", {"password_env": "MINE"}, None).password(env) == "mine"
    configured = AccountSettings(password_env="CONFIGURED")
    assert password_source("home", {"password_env": "MINE"}, configured).password(env) == "configured"
    assert default_password_env("home.lan") == "POZIRK_READER_PASSWORD_HOME_LAN"


def test_the_token_file_is_the_owners_only(tmp_path: Path) -> None:
    token = TokenFile(tmp_path / "tokens", "home")
    assert token.read() is None
    token.write("reader/abc")
    assert token.read() == "reader/abc"
    assert stat.S_IMODE(token.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(token.folder.stat().st_mode) == 0o700
    token.path.chmod(0o644)
    with pytest.raises(CredentialError, match=r"readable by others \(mode 644\): not used"):
        token.read()
    token.write("reader/new")  # logging in again replaces it, owner-only
    assert stat.S_IMODE(token.path.stat().st_mode) == 0o600 and token.read() == "reader/new"
    token.remove()
    assert not token.path.exists()


def test_server_addresses_are_https_or_loopback_http() -> None:
    assert check_server_url("https://rss.example.org/api/greader.php/") == "https://rss.example.org/api/greader.php"
    assert check_server_url("http://127.0.0.1:8080/api/fever.php") == "http://127.0.0.1:8080/api/fever.php"
    assert check_server_url("http://[::1]:81/") == "http://[::1]:81"
    assert check_server_url("http://localhost/") == "http://localhost"
    for wrong, reason in [
        ("http://rss.example.org/", "plain http only to this machine"),
        ("http://192.168.1.2/", "plain http only to this machine"),
        ("ftp://rss.example.org/", "give the server's http(s) address"),
        ("https://user:pw@rss.example.org/", "holds a user name or password"),
    ]:
        with pytest.raises(SyncError, match=re.escape(reason)):
            check_server_url(wrong)
    assert is_loopback("127.3.4.5") and not is_loopback("10.0.0.1") and not is_loopback(None)


def test_accounts_in_the_config(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        '[accounts.home]\npassword_command = "pass show rss"\n[accounts.work]\npassword_env = "WORK_PW"\n'
        'pasword = "x"\n[accounts.bad]\npassword_command = "unclosed \'quote"\n',
        encoding="utf-8",
    )
    loaded = load_config(path)
    assert loaded.settings.accounts["home"] == AccountSettings(password_command="pass show rss")
    assert loaded.settings.accounts["work"] == AccountSettings(password_env="WORK_PW")
    assert loaded.settings.accounts["bad"] == AccountSettings()
    assert [problem.partition(": ")[2] for problem in loaded.in_order()] == [
        "line 5: accounts.work: unknown key 'pasword' (did you mean 'password_env'?)",
        "line 7: accounts.bad.password_command: cannot be read as a command (No closing quotation)",
    ]


def test_the_log_never_shows_a_token_or_password() -> None:
    record = logging.LogRecord(
        "pozirk_reader", logging.INFO, __file__, 1, "POST %s Authorization: GoogleLogin auth=%s api_key=%s", None, None
    )
    record.args = ("http://reader:hunter2@127.0.0.1/accounts/ClientLogin", "reader/abc123", "0cc175b9c0f1b6a8")
    line = SafeFormatter("%(message)s").format(record)
    assert "hunter2" not in line and "abc123" not in line and "0cc175b9c0f1b6a8" not in line
    assert os.environ.get("POZIRK_READER_PASSWORD_HOME") is None
