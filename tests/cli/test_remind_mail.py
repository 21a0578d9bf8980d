"""`track remind --owner` and `--mail`: each owner's own part, matched exactly (a name or an
alias, after NFC and casefolding; never part of a name), mailed to each owner with an address
and something to see, and the digest to the keeper; as .eml files (--mail-to-dir) and through a
fake sendmail ($TRACK_SENDMAIL) that records what it is given, or refuses one recipient."""

from __future__ import annotations

import email
import sys
from email.message import EmailMessage
from email.policy import default
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

import pytest
from conftest import Cli
from owners_support import REPORT, SECURITE, SECURITE_NFD, build

R = {ref: f"{REPORT}/{ref}" for ref in ("R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8")}


@pytest.fixture
def owned(cli: Cli, ledger_path: Path) -> Cli:
    build(cli, ledger_path)
    return cli


def read(path: Path) -> EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=default)  # type: ignore[return-value]


def mailed(folder: Path) -> dict[str, EmailMessage]:
    return {p.name: read(p) for p in sorted(folder.glob("*.eml"))}


def to(msg: EmailMessage) -> list[str]:
    return [addr for _name, addr in getaddresses(msg.get_all("To", []))]


def ids_in(text: str) -> set[str]:
    return {rec for rec in R.values() if rec in text}


# --------------------------------------------------------------------------- one owner's part


def test_an_owner_is_matched_exactly_never_by_part_of_a_name(owned: Cli) -> None:
    hot = owned("remind", "--owner", "Head of Training").stdout
    assert hot.startswith("track remind: ledger as of 2018-06-30, for Head of Training\n")
    assert ids_in(hot) == {R["R1"], R["R3"]}  # R3 is the alias's; R2 is Head of Training and Development's
    hotd = owned("remind", "--owner", "Head of Training and Development").stdout
    assert ids_in(hotd) == {R["R2"]}
    assert "Director of Learning" not in hotd and "for Head of Training and Development" in hotd


def test_part_of_a_name_is_refused_with_the_names_it_could_mean(owned: Cli) -> None:
    result = owned("remind", "--owner", "Head", expect=1)
    assert result.stdout == ""
    assert result.stderr == ("track: no owner is named 'Head' exactly: did you mean Head of Estates, Head of Training, "
                             "Head of Training and Development?\n")


def test_an_alias_case_and_normal_form_name_the_same_owner(owned: Cli) -> None:
    by_name = owned("remind", "--owner", "Head of Training").stdout
    assert owned("remind", "--owner", "director of LEARNING").stdout == by_name
    nfc = owned("remind", "--owner", SECURITE).stdout
    assert ids_in(nfc) == {R["R4"]}
    assert owned("remind", "--owner", SECURITE_NFD).stdout == nfc
    assert owned("remind", "--owner", SECURITE.upper()).stdout == nfc


def test_an_owner_with_nothing_to_see_gets_nothing(owned: Cli) -> None:
    result = owned("remind", "--owner", "Head of Estates", "--fail-on-overdue")
    assert result.stdout == "" and result.stderr == ""


def test_an_owners_part_in_json_names_them_and_fail_on_overdue_counts_theirs(owned: Cli) -> None:
    data = owned.json("remind", "--owner", "Head of Training and Development")
    assert data["owner"] == "Head of Training and Development"
    assert [d["id"] for d in data["due_soon"]] == [R["R2"]] and data["overdue"] == []
    owned("remind", "--owner", "Head of Training and Development", "--fail-on-overdue")  # due soon only: 0
    owned("remind", "--owner", "Head of Training", "--fail-on-overdue", expect=3)
    assert "owner" not in owned.json("remind")  # the whole, as before


def test_an_undeclared_owner_is_matched_as_recommendations_name_them(owned: Cli) -> None:
    out = owned("remind", "--owner", "dcs public protection").stdout
    assert ids_in(out) == {R["R6"]} and ", for DCS Public Protection" in out


# --------------------------------------------------------------------------- the messages


def test_mail_to_dir_writes_one_message_per_owner_with_something_to_see_and_the_digest(owned: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = owned("remind", "--mail", "--mail-to-dir", out)
    assert result.stderr == ""
    msgs = mailed(out)
    assert set(msgs) == {"head-of-training.eml", "head-of-training-and-development.eml",
                         "directrice-de-la-securite.eml", "digest.eml"}  # none for Head of Estates
    assert sorted(result.stdout.splitlines()) == sorted(f"{out / name}  to {to(msg)[0]}" for name, msg in msgs.items())
    hot = msgs["head-of-training.eml"]
    assert to(hot) == ["hot@example.org"]
    assert hot["To"] == "Head of Training <hot@example.org>"
    assert hot["From"] == "track <track@ledger.example.org>"
    assert hot["Subject"] == "track: 2 overdue, 0 due soon for Head of Training — ledger"
    assert hot["Message-ID"].startswith("<") and hot["Message-ID"].endswith("@ledger.example.org>")
    assert parsedate_to_datetime(hot["Date"]).tzinfo is not None
    assert hot["Auto-Submitted"] == "auto-generated"
    assert hot.get_content_type() == "text/plain" and hot.get_content_charset() == "utf-8"
    body = hot.get_content()
    assert body == owned("remind", "--owner", "Head of Training", "--format", "plain").stdout
    assert ids_in(body) == {R["R1"], R["R3"]}
    hotd = msgs["head-of-training-and-development.eml"]
    assert to(hotd) == ["hotd@example.org"]
    assert hotd["Subject"] == "track: 0 overdue, 1 due soon for Head of Training and Development — ledger"
    assert ids_in(hotd.get_content()) == {R["R2"]}
    securite = msgs["directrice-de-la-securite.eml"]
    assert securite["To"] == f"{SECURITE} <dls@example.org>"  # encoded in the file, read back whole
    assert b"S\xc3\xa9curit" not in (out / "directrice-de-la-securite.eml").read_bytes().split(b"\n\n")[0]  # headers ASCII
    assert ids_in(securite.get_content()) == {R["R4"]}
    ids = {m["Message-ID"] for m in msgs.values()}
    assert len(ids) == 4


def test_the_digest_is_the_whole_remind_and_names_the_owners_without_an_address(owned: Cli, tmp_path: Path) -> None:
    owned("remind", "--mail-to-dir", tmp_path / "out")
    digest = mailed(tmp_path / "out")["digest.eml"]
    assert to(digest) == ["keeper@example.org"]
    assert digest["Subject"] == "track: 5 overdue, 1 due soon — ledger"
    body = digest.get_content()
    first, second, blank, rest = body.split("\n", 3)
    assert first == f"Mailed their own part: {SECURITE}, Head of Training, Head of Training and Development"
    assert second == "No address for: DCS Public Protection"
    assert blank == ""
    assert rest == owned("remind", "--format", "plain").stdout
    assert ids_in(body) == {R[r] for r in ("R1", "R2", "R3", "R4", "R6", "R7")}


def test_keeper_on_the_command_line_wins_and_a_missing_keeper_is_refused(owned: Cli, ledger_path: Path,
                                                                        tmp_path: Path) -> None:
    owned("remind", "--mail-to-dir", tmp_path / "a", "--keeper", "chief@example.org")
    assert to(mailed(tmp_path / "a")["digest.eml"]) == ["chief@example.org"]
    result = owned("remind", "--mail", "--keeper", "chief at example", expect=2)
    assert result.stderr == "track: --keeper 'chief at example' is not one e-mail address, such as 'name@example.org'\n"
    text = (ledger_path / "track.toml").read_text("utf-8").replace('keeper = "keeper@example.org"\n', "")
    (ledger_path / "track.toml").write_text(text, "utf-8")
    result = owned("remind", "--mail-to-dir", tmp_path / "b", expect=2)
    assert "[remind] keeper" in result.stderr and len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "b").exists()


def test_nothing_to_see_sends_nothing(owned: Cli, tmp_path: Path) -> None:
    result = owned("remind", "--mail-to-dir", tmp_path / "out", "--as-of", "2018-04-30")  # before publication
    assert result.stdout == "" and result.stderr == ""
    assert mailed(tmp_path / "out") == {}


def test_mail_with_an_owner_sends_that_owners_part_alone(owned: Cli, tmp_path: Path) -> None:
    owned("remind", "--mail-to-dir", tmp_path / "out", "--owner", "director of learning")
    msgs = mailed(tmp_path / "out")
    assert list(msgs) == ["head-of-training.eml"]
    result = owned("remind", "--mail", "--owner", "DCS Public Protection", expect=1)
    assert result.stderr == ("track: no address for 'DCS Public Protection': set email in "
                             "[owners.\"DCS Public Protection\"] in track.toml\n")


def test_mail_and_format_do_not_go_together(owned: Cli, tmp_path: Path) -> None:
    result = owned("remind", "--mail-to-dir", tmp_path / "out", "--format", "json", expect=2)
    assert result.stderr == "track: --format does not go with --mail: the messages are plain text\n"


def test_fail_on_overdue_exits_3_once_everything_is_written(owned: Cli, tmp_path: Path) -> None:
    owned("remind", "--mail-to-dir", tmp_path / "out", "--fail-on-overdue", expect=3)
    assert len(mailed(tmp_path / "out")) == 4


# --------------------------------------------------------------------------- sendmail

RECORDER = """\
import os, sys, pathlib
folder = pathlib.Path(os.environ["RECORD_TO"])
folder.mkdir(exist_ok=True)
data = sys.stdin.buffer.read()
n = len(list(folder.glob("*.eml")))
(folder / f"{n}.eml").write_bytes(data)
(folder / f"{n}.args").write_text(" ".join(sys.argv[1:]))
refuse = os.environ.get("REFUSE")
if refuse and refuse.encode() in data.split(b"\\n\\n")[0]:
    (folder / f"{n}.eml").unlink()
    print("550 5.1.1 mailbox unavailable", file=sys.stderr)
    sys.exit(75)
"""


@pytest.fixture
def recorder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    script = tmp_path / "fake-sendmail.py"
    script.write_text(RECORDER)
    monkeypatch.setenv("TRACK_SENDMAIL", f"{sys.executable} {script} -t -oi")
    monkeypatch.setenv("RECORD_TO", str(tmp_path / "sent"))
    return tmp_path / "sent"


def test_mail_hands_each_message_to_sendmail(owned: Cli, recorder: Path, tmp_path: Path) -> None:
    result = owned("remind", "--mail")
    assert result.stdout == "" and result.stderr == ""
    sent = [read(p) for p in sorted(recorder.glob("*.eml"))]
    assert sorted(a for m in sent for a in to(m)) == ["dls@example.org", "hot@example.org", "hotd@example.org",
                                                     "keeper@example.org"]
    assert {p.read_text() for p in recorder.glob("*.args")} == {"-t -oi"}
    owned("remind", "--mail-to-dir", tmp_path / "dry")
    dry = {to(m)[0]: m for m in mailed(tmp_path / "dry").values()}
    for m in sent:  # the same messages as the dry run writes
        assert m.get_content() == dry[to(m)[0]].get_content()
        assert m["Subject"] == dry[to(m)[0]]["Subject"]


def test_a_failed_send_is_said_and_the_others_still_go(owned: Cli, recorder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REFUSE", "hotd@example.org")
    result = owned("remind", "--mail", "--fail-on-overdue", expect=1)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("track: mail to Head of Training and Development <hotd@example.org>: not sent: ")
    assert lines[0].endswith("exited 75: 550 5.1.1 mailbox unavailable")
    sent = sorted(a for p in recorder.glob("*.eml") for a in to(read(p)))
    assert sent == ["dls@example.org", "hot@example.org", "keeper@example.org"]


def test_no_sendmail_at_all_is_said_for_every_message(owned: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRACK_SENDMAIL", str(tmp_path / "no-such-sendmail"))
    result = owned("remind", "--mail", expect=1)
    lines = result.stderr.splitlines()
    assert len(lines) == 4 and all("no-such-sendmail not found" in line for line in lines)
    assert lines[-1].startswith("track: digest to <keeper@example.org>: not sent: ")


# --------------------------------------------------------------------------- bad settings


@pytest.mark.parametrize("owners, remind, said", [
    ({"Head of Training": {"email": "nobody"}}, None,
     ("track: track.toml:{line}:1: owners.\"Head of Training\".email = 'nobody' must be one e-mail address, "
     "such as 'name@example.org'")),
    ({"Head of Training": {"email": "a@b.org", "aliases": "Director"}}, None,
     ("track: track.toml:{line}:1: owners.\"Head of Training\".aliases = 'Director' must be an array of names, "
     "such as [\"Head of Learning\"]")),
    ({"Head of Training": {"email": "a@b.org", "phone": "123"}}, None,
     "track: track.toml:{line}:1: unknown key 'owners.\"Head of Training\".phone' (an owner has email and aliases)"),
    ({"Head of Training": {"aliases": ["Director"]}, "DIRECTOR": {}}, None,
     ("track: track.toml:{line}:1: owners: 'DIRECTOR' of 'DIRECTOR' already names 'Head of Training': a name or alias "
     "stands for one owner")),
    ({}, {"keeper": "keeper at example"}, ("track: track.toml:{line}:1: remind.keeper = 'keeper at example' must be "
     "one e-mail address, such as 'name@example.org'")),
])
def test_bad_owner_settings_are_refused_in_one_line_where_they_stand(cli: Cli, ledger_path: Path, tmp_path: Path,
                                                                     owners: dict, remind: dict | None, said: str) -> None:
    build(cli, ledger_path, owners=owners, remind=remind)
    result = cli("remind", "--mail-to-dir", tmp_path / "out", expect=1)
    lines = (ledger_path / "track.toml").read_text("utf-8").splitlines()
    line = result.stderr.split(":")[2]
    assert result.stderr == said.format(line=line) + "\n"
    assert not (tmp_path / "out").exists()
    bad = lines[int(line) - 1]
    assert any(word in bad for word in ("email", "aliases", "phone", "[owners.DIRECTOR]", "keeper")), bad
    check = cli("check", expect=1)
    assert f"track.toml:{line}:1: " + said.split("{line}:1: ")[1] in check.stdout + check.stderr
