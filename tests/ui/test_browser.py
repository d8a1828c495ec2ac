"""Which browser command opens an address: the setting, $BROWSER, the system's; never through a shell."""

from __future__ import annotations

import os
import webbrowser
from pathlib import Path

from pozirk_reader.ui.browser import command_for, terminal_command, with_url

URL = "https://example.org/a?b=1&c=$(reboot);d"


def test_the_address_is_one_argument_where_percent_u_is_or_at_the_end() -> None:
    assert with_url(["w3m", "%u"], URL) == ["w3m", URL]
    assert with_url(["lynx", "-accept_all_cookies"], URL) == ["lynx", "-accept_all_cookies", URL]
    assert with_url(["open", "--url=%u", "--new"], URL) == ["open", f"--url={URL}", "--new"]


def test_the_setting_is_split_as_words_never_run_by_a_shell() -> None:
    assert command_for(URL, "'/opt/my browser/w3m' -o 'confirm_qq=0' %u", {}) == [
        "/opt/my browser/w3m",
        "-o",
        "confirm_qq=0",
        URL,
    ]
    assert command_for(URL, "elinks; rm -rf ~", {}) == ["elinks;", "rm", "-rf", "~", URL]  # words, not a script


def test_without_a_setting_the_first_installed_browser_of_the_variable(tmp_path: Path) -> None:
    browser = tmp_path / "mybrowser"
    browser.write_text("#!/bin/sh\n")
    browser.chmod(0o755)
    environ = {"BROWSER": os.pathsep.join(["not-installed-browser %s", f"{browser} --tab %s"])}
    assert command_for(URL, None, environ) == [str(browser), "--tab", URL]
    assert command_for(URL, None, {"BROWSER": "not-installed-browser"}) is None
    assert command_for(URL, None, {}) is None
    assert command_for(URL, "w3m", environ) == ["w3m", URL]  # the setting comes first


def test_a_terminal_system_browser_is_run_as_a_command_a_graphical_one_is_not() -> None:
    assert terminal_command(webbrowser.GenericBrowser("w3m"), URL) == ["w3m", URL]
    assert terminal_command(webbrowser.GenericBrowser(["lynx", "-nocolor", "%s"]), URL) == ["lynx", "-nocolor", URL]
    assert terminal_command(webbrowser.Elinks("elinks"), URL) == ["elinks", URL]
    assert terminal_command(webbrowser.BackgroundBrowser("firefox"), URL) is None
    assert terminal_command(webbrowser.Chrome("chromium"), URL) is None
