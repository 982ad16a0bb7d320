from django.core.management import get_commands

from retorno.cli import OPERATOR_COMMANDS, main


def test_every_listed_operator_command_exists():
    # get_commands() lists the commands of every installed app; a typo or a removed command fails here.
    known = get_commands()
    missing = [name for name, _ in OPERATOR_COMMANDS if name not in known]
    assert missing == []


def test_help_lists_operator_commands(capsys):
    main(["retorno", "--help"])
    out = capsys.readouterr().out
    for name, _ in OPERATOR_COMMANDS:
        assert name in out
