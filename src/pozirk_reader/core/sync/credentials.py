"""Credentials for an account, never in the cache or a log: a password from the environment or a command,
and a token file readable by its owner only.

The password comes from ``password_command`` in the account's table of ``config.toml`` (run without a shell:
split as a shell would, its first line of output), else from the environment variable ``password_env`` names,
else from ``$POZIRK_READER_PASSWORD_<NAME>``. What logging in gives (a Google Reader ``Auth`` token, a Fever
``api_key``) is kept in a token file of mode 0600 in a 0700 folder beside the cache, so later syncs need no
password; a token file that others may read is not used.
"""

from __future__ import annotations

import os
import re
import shlex
import stat
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from pozirk_reader.core.errors import ReaderError

PASSWORD_ENV_PREFIX = "POZIRK_READER_PASSWORD_"
COMMAND_TIMEOUT = 60.0
"""A password command (which may ask for a passphrase) is given this long."""
TOKENS_DIR = "tokens"


class CredentialError(ReaderError):
    """No password could be had, or the token file is not safe; one line saying what to do."""


def default_password_env(account: str) -> str:
    """The environment variable a password is read from when the config names none: ``$POZIRK_READER_PASSWORD_HOME``."""
    return PASSWORD_ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", account.upper())


@dataclass(frozen=True, slots=True)
class PasswordSource:
    """Where an account's password comes from: a command, or an environment variable."""

    account: str
    command: str | None = None
    env: str | None = None

    def describe(self) -> str:
        """Where it comes from, for messages (never the password)."""
        if self.command:
            return f"password_command ({shlex.split(self.command)[0]})"
        return f"${self.env or default_password_env(self.account)}"

    def password(self, environ: Mapping[str, str] | None = None) -> str:
        """The password; :class:`CredentialError` if it cannot be had."""
        if self.command:
            return _run(self.account, self.command)
        name = self.env or default_password_env(self.account)
        value = (os.environ if environ is None else environ).get(name)
        if not value:
            raise CredentialError(
                f"{self.account}: no password: set ${name}, or give password_command in [accounts.{self.account}]"
                " of config.toml"
            )
        return value


def _run(account: str, command: str) -> str:
    """The first line ``command`` prints; its output is never logged or shown."""
    try:
        argv = shlex.split(command)
    except ValueError as error:
        raise CredentialError(f"{account}: password_command cannot be read as a command ({error})") from None
    if not argv:
        raise CredentialError(f"{account}: password_command is empty")
    try:
        done = subprocess.run(argv, capture_output=True, timeout=COMMAND_TIMEOUT, stdin=subprocess.DEVNULL, check=False)
    except FileNotFoundError:
        raise CredentialError(f"{account}: password_command: {argv[0]} not found") from None
    except subprocess.TimeoutExpired:
        raise CredentialError(f"{account}: password_command gave no password in {COMMAND_TIMEOUT:g} s") from None
    except OSError as error:
        raise CredentialError(f"{account}: password_command: {error.strerror or error}") from None
    if done.returncode != 0:
        raise CredentialError(f"{account}: password_command {argv[0]} failed (exit status {done.returncode})")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    if not lines or not lines[0]:
        raise CredentialError(f"{account}: password_command {argv[0]} printed no password")
    return lines[0]


class TokenFile:
    """A login token kept for one account, readable by the owner only."""

    def __init__(self, folder: Path, account: str) -> None:
        safe = re.sub(r"[^A-Za-z0-9._-]", "_", account)
        self.folder = folder
        self.path = folder / f"{safe}.token"

    def read(self) -> str | None:
        """The token, or ``None`` if there is none; :class:`CredentialError` if the file is open to others."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            return None
        except OSError as error:
            raise CredentialError(f"{self.path}: {error.strerror or error}") from None
        if not stat.S_ISREG(info.st_mode):
            raise CredentialError(f"{self.path}: not a regular file; remove it")
        if info.st_mode & 0o077 or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
            raise CredentialError(
                f"{self.path}: readable by others (mode {stat.S_IMODE(info.st_mode):o}): not used;"
                f" remove it and log in again (`chmod 600` keeps it)"
            )
        try:
            text = self.path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as error:
            raise CredentialError(f"{self.path}: cannot be read ({error})") from None
        return text or None

    def write(self, token: str) -> None:
        """Keep ``token`` (replacing the file at once, never leaving it readable by others)."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.folder, 0o700)
        temporary = self.path.with_name(self.path.name + f".{os.getpid()}.new")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.fchmod(descriptor, 0o600)
            os.write(descriptor, token.encode("utf-8") + b"\n")
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, self.path)

    def remove(self) -> None:
        """Forget the token."""
        self.path.unlink(missing_ok=True)


@dataclass
class Credentials:
    """What a client logs in with: the token file, and the password (asked for only when the token fails)."""

    token_file: TokenFile
    password: Callable[[], str]
