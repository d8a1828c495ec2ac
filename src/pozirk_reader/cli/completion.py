"""Shell completion scripts for ``pozirk-reader completion bash|zsh|fish``, made from the argument parser.

Every command, sub-command (``feeds add``, ``config path``) and option comes from the parser itself,
so the scripts cannot fall behind it; anything else completes as a file name.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass, field

SHELLS = ("bash", "zsh", "fish")


@dataclass
class Command:
    """A command as completion sees it: its name, help, options and sub-commands."""

    name: str
    help: str = ""
    options: list[str] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)


def describe(parser: argparse.ArgumentParser, name: str = "", help: str = "") -> Command:
    """The command tree of ``parser``."""
    command = Command(name, help)
    helps: dict[str, str] = {}
    for action in parser._actions:
        command.options += [option for option in action.option_strings if option.startswith("--")]
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
            for sub_name, sub_parser in action.choices.items():
                command.commands.append(describe(sub_parser, sub_name, helps.get(sub_name, "")))
    return command


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for ``shell`` (one of :data:`SHELLS`)."""
    tree = describe(parser, parser.prog)
    return {"bash": _bash, "zsh": _zsh, "fish": _fish}[shell](tree)


def _function(prog: str) -> str:
    return "_" + re.sub(r"\W", "_", prog)


def _words(words: list[str]) -> str:
    return " ".join(words)


def _bash(tree: Command) -> str:
    cases = []
    for command in tree.commands:
        if command.commands:
            subs = []
            for sub in command.commands:
                subs.append(f"            {sub.name}) opts={_quoted(_words(sub.options))} ;;")
            subs.append(
                f"            *) opts={_quoted(_words([c.name for c in command.commands] + command.options))} ;;"
            )
            cases.append(
                f'        {command.name})\n          case "${{words[2]}}" in\n'
                + "\n".join(subs)
                + "\n          esac ;;"
            )
        else:
            cases.append(f"        {command.name}) opts={_quoted(_words(command.options))} ;;")
    function = _function(tree.name)
    commands = _words([command.name for command in tree.commands] + tree.options)
    return f"""# bash completion for {tree.name}: eval "$({tree.name} completion bash)" in ~/.bashrc
{function}() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}}
    local words=("${{COMP_WORDS[@]}}")
    local opts
    if [[ $COMP_CWORD -eq 1 ]]; then
        opts={_quoted(commands)}
    else
        case "${{words[1]}}" in
{chr(10).join(cases)}
        *) opts={_quoted(_words(tree.options))} ;;
        esac
    fi
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    if [[ $cur != -* ]]; then
        local IFS=$'\n'
        COMPREPLY+=($(compgen -f -- "$cur"))
    fi
}}
complete -o filenames -F {function} {tree.name}
"""


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _zsh(tree: Command) -> str:
    def described(commands: list[Command]) -> str:
        return " ".join(_quoted(f"{command.name}:{command.help.replace(':', ' ')}") for command in commands)

    cases = []
    for command in tree.commands:
        if command.commands:
            subs = [f"          {sub.name}) compadd -- {_words(sub.options)} ;;" for sub in command.commands]
            cases.append(
                f"      {command.name})\n        if (( CURRENT == 3 )); then\n"
                f"          local -a subs; subs=({described(command.commands)})\n"
                f"          _describe 'action' subs\n        else\n          case $words[3] in\n"
                + "\n".join(subs)
                + "\n          esac\n        fi ;;"
            )
        else:
            cases.append(f"      {command.name}) compadd -- {_words(command.options)} ;;")
    function = _function(tree.name)
    return f"""#compdef {tree.name}
# zsh completion for {tree.name}: eval "$({tree.name} completion zsh)" in ~/.zshrc (after compinit)
{function}() {{
  local -a commands
  commands=({described(tree.commands)})
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    _files
    return
  fi
  case $words[2] in
{chr(10).join(cases)}
  esac
  _files
}}
compdef {function} {tree.name}
"""


def _fish(tree: Command) -> str:
    prog = tree.name
    names = _words([command.name for command in tree.commands])
    lines = [f"# fish completion for {prog}: {prog} completion fish > ~/.config/fish/completions/{prog}.fish"]
    for option in tree.options:
        lines.append(f"complete -c {prog} -n __fish_use_subcommand -l {option[2:]}")
    for command in tree.commands:
        lines.append(f"complete -c {prog} -n __fish_use_subcommand -a {command.name} -d {_quoted(command.help)}")
        seen = f"__fish_seen_subcommand_from {command.name}"
        for option in command.options:
            lines.append(f"complete -c {prog} -n {_quoted(seen)} -l {option[2:]}")
        if command.commands:
            subs = _words([sub.name for sub in command.commands])
            not_yet = f"{seen}; and not __fish_seen_subcommand_from {subs}"
            for sub in command.commands:
                lines.append(f"complete -c {prog} -n {_quoted(not_yet)} -a {sub.name} -d {_quoted(sub.help)}")
                for option in sub.options:
                    condition = f"{seen}; and __fish_seen_subcommand_from {sub.name}"
                    lines.append(f"complete -c {prog} -n {_quoted(condition)} -l {option[2:]}")
    lines.append(f"# commands: {names}")
    return "\n".join(lines) + "\n"
