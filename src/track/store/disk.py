"""The ledger folder on disk: discovery, settings, reading report files, atomic writes and
the lock. Nothing here knows about the terminal."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

from track.domain import model
from track.domain.dates import parse_duration
from track.domain.fields import Field, declaration_problems, declarations
from track.domain.errors import ChangedOnDisk, InvalidLedger, LedgerLocked, LedgerNotFound, TrackError
from track.domain.model import Report
from track.store.layout import PRIVATE, REPORTS, SCHEMA, SETTINGS
from track.store.reportfile import (
    MAX_DEPTH,
    Problem,
    conflict_problems,
    decode_report,
    locate,
    nesting_problem,
    not_a_string,
    syntax_problem,
    toml_reader,
    written_as,
)

# --------------------------------------------------------------------------- the folder


def find_ledger(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path:
    """--ledger, else $TRACK_LEDGER, else the nearest folder upwards holding track.toml."""
    given = explicit if explicit is not None else os.environ.get("TRACK_LEDGER") or None
    if given is not None:
        path = Path(given).expanduser()
        if path.name == SETTINGS and path.is_file():
            path = path.parent
        if not (path / SETTINGS).is_file():
            source = "--ledger" if explicit is not None else "TRACK_LEDGER"
            raise LedgerNotFound(f"{path}: not a ledger (no {SETTINGS}; {source} names it); create one with `track init {path}`")
        return path
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / SETTINGS).is_file():
            return folder
    raise LedgerNotFound(
        f"no ledger found: no {SETTINGS} in {here} or any folder above it; "
        "run `track init`, pass --ledger PATH or set TRACK_LEDGER"
    )


MAX_FILE = 64 * 1024 * 1024  # bytes: the largest report or settings file read


def check_private(root: Path) -> None:
    """Refuse a .track/ (or .track/cache/) that is a symbolic link or not a folder: track keeps
    its lock, undo journal and index there, and follows no link out of the ledger."""
    for path in (root / PRIVATE, root / PRIVATE / "cache"):
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
            kind = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a folder"
            raise InvalidLedger(f"{path}: {kind} where track keeps its lock, undo journal and index: "
                                "track follows no link there; remove it")


def refuse_link(path: Path, what: str) -> None:
    """Refuse to read or replace `path` (one of track's own files) when it is a symbolic link or
    not a regular file: a link could point anywhere outside the ledger."""
    try:
        st = os.lstat(path)
    except OSError:
        return
    if stat.S_ISLNK(st.st_mode):
        raise TrackError(f"{path}: a symbolic link where track keeps {what}: track follows no link there; remove it")
    if not stat.S_ISREG(st.st_mode):
        raise TrackError(f"{path}: not a regular file where track keeps {what}; remove it")


def read_text(path: Path, shown: str, root: Path | None = None) -> str:
    """A ledger file's text: a regular file (not a FIFO or a device, which would block or never
    end), at most MAX_FILE bytes, and, when `root` is given, not a symbolic link out of it."""
    if root is not None and os.path.islink(path):
        inside = os.path.realpath(root)
        if os.path.commonpath([inside, os.path.realpath(path)]) != inside:
            raise InvalidLedger(f"{shown}: a symbolic link to {os.path.realpath(path)}, outside the ledger: "
                                "track reads only the ledger's own files")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise InvalidLedger(f"{shown}: cannot read: {error.strerror}") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InvalidLedger(f"{shown}: cannot read: {os.strerror(errno.EISDIR)}")
        if not stat.S_ISREG(st.st_mode):
            raise InvalidLedger(f"{shown}: not a regular file: a ledger's files are plain files")
        if st.st_size > MAX_FILE:
            raise InvalidLedger(f"{shown}: {st.st_size:,} bytes, more than the {MAX_FILE:,} a ledger's file may hold")
        chunks = []
        size = 0
        while size <= MAX_FILE:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    except OSError as error:
        raise InvalidLedger(f"{shown}: cannot read: {error.strerror}") from None
    finally:
        os.close(fd)
    if len(data) > MAX_FILE:
        raise InvalidLedger(f"{shown}: more than the {MAX_FILE:,} bytes a ledger's file may hold")
    if data.startswith(b"\xef\xbb\xbf"):
        raise InvalidLedger(f"{shown}:1:1: starts with a UTF-8 byte-order mark: save it as UTF-8 without BOM")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise InvalidLedger(f"{shown}:{line}:{column}: not UTF-8 text (byte 0x{data[error.start]:02x})") from None


def load_settings(root: Path) -> dict[str, Any]:
    tomllib = toml_reader()

    shown = SETTINGS
    text = read_text(root / SETTINGS, shown, root)
    conflicts = conflict_problems(shown, text)
    if conflicts:
        raise InvalidLedger(str(conflicts[0]))
    deep = nesting_problem(shown, text)
    if deep:
        raise InvalidLedger(str(deep))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidLedger(str(syntax_problem(shown, text, error))) from None
    except RecursionError:
        raise InvalidLedger(f"{shown}:1:1: nested too deeply to read") from None
    return data


MAX_LOCK_TIMEOUT = 3600  # seconds


def lock_timeout_problem(value: Any) -> str | None:
    """What is wrong with a lock_timeout setting, if anything."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= MAX_LOCK_TIMEOUT:
        return f"lock_timeout = {written_as(value)} must be a number of seconds from 0 to {MAX_LOCK_TIMEOUT}"
    return None


def day_first_problem(value: Any) -> str | None:
    """What is wrong with a day_first setting, if anything."""
    if not isinstance(value, bool):
        return f"day_first = {written_as(value)} must be true or false"
    return None


def day_first(settings: dict[str, Any]) -> bool | str:
    """How the ledger reads a numeric date that reads two ways (10/08/2017): True (day first,
    day_first = true in track.toml), False (refused: the default), or the message of an
    invalid setting (dates.read_day_first takes any of the three)."""
    value = settings.get("day_first", False)
    return day_first_problem(value) or value


EVIDENCE_AFTER = "90 days"  # [report] evidence_after when not set


def report_problems(data: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    """What is wrong with [report] in track.toml (evidence_after: how old the newest evidence in
    scope may be before report, list and remind say so), each with the keys where it stands."""
    table = data.get("report", {})
    if not isinstance(table, dict):
        return [("report must be a table, such as [report] evidence_after = '90 days'", ("report",))]
    out = [(f"unknown key 'report.{key}'", ("report", key)) for key in table if key != "evidence_after"]
    value = table.get("evidence_after", EVIDENCE_AFTER)
    try:
        parse_duration(value) if isinstance(value, str) else not_a_string()
    except TrackError:
        out.append((f"report.evidence_after = {written_as(value)} is not a duration such as '90 days'",
                    ("report", "evidence_after")))
    return out


ADDRESS = re.compile(r"[!#-'*+\-/-9=?A-Z^-~.]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")  # local@domain, in ASCII


def address_problem(what: str, value: Any) -> str | None:
    """What is wrong with an e-mail address setting (remind.keeper, owners."X".email), if anything."""
    if not isinstance(value, str) or not ADDRESS.fullmatch(value):
        return f"{what} = {written_as(value)} must be one e-mail address, such as 'name@example.org'"
    return None


def owners_problems(data: dict[str, Any]) -> list[tuple[str, tuple[Any, ...]]]:
    """What is wrong with track.toml's [owners."NAME"] tables (email, aliases), each with the
    keys of where it stands. A name or alias may stand for one owner only (compared as owners
    are matched: NFC, casefolded)."""
    from track.domain.owners import key as owner_key

    owners = data.get("owners", {})
    if not isinstance(owners, dict):
        return [("owners must be tables such as [owners.\"Head of Training\"] email = \"...\"", ("owners",))]
    out: list[tuple[str, tuple[Any, ...]]] = []
    claimed: dict[str, str] = {}

    def claim(name: str, owner: str, keys: tuple[Any, ...]) -> None:
        other = claimed.setdefault(owner_key(name), owner)
        if other != owner:
            out.append((f"owners: {name!r} of {owner!r} already names {other!r}: a name or alias stands for one owner", keys))

    for name, fields in owners.items():
        where = f"owners.{json.dumps(name, ensure_ascii=False)}"
        if not name.strip() or model.CONTROL.search(name) or name != name.strip():
            out.append((f"{where}: an owner's name must be text without control characters or surrounding spaces",
                        ("owners", name)))
            continue
        if not isinstance(fields, dict):
            out.append((f"{where} must be a table: [{where}] with email = \"...\" and aliases = [...]", ("owners", name)))
            continue
        claim(name, name, ("owners", name))
        for k in fields:
            if k not in ("email", "aliases"):
                out.append((f"unknown key '{where}.{k}' (an owner has email and aliases)", ("owners", name, k)))
        if "email" in fields:
            problem = address_problem(f"{where}.email", fields["email"])
            if problem:
                out.append((problem, ("owners", name, "email")))
        aliases = fields.get("aliases", [])
        if not isinstance(aliases, list) or not all(
                isinstance(a, str) and a.strip() and a == a.strip() and not model.CONTROL.search(a) for a in aliases):
            shown = written_as(aliases) if not isinstance(aliases, list) else "that array"
            message = f"{where}.aliases = {shown} must be an array of names, such as [\"Head of Learning\"]"
            out.append((message, ("owners", name, "aliases")))
        else:
            for alias in aliases:
                claim(alias, name, ("owners", name, "aliases"))
    return out


def owners(root: Path, settings: dict[str, Any]) -> dict[str, Any]:
    """track.toml's [owners] table, refused (InvalidLedger, at its place in the file) when it
    is wrong; {} when there is none."""
    problems = owners_problems(settings)
    if problems:
        message, keys = problems[0]
        raise InvalidLedger(str(_settings_problem(root, message, keys)))
    found = settings.get("owners", {})
    return found if isinstance(found, dict) else {}


def own_fields(root: Path, settings: dict[str, Any]) -> dict[str, Field]:
    """The fields track.toml declares ([fields.NAME]), refused (InvalidLedger, at its place in
    the file) when a declaration is wrong; {} when there are none."""
    if not settings.get("fields"):
        return {}
    problems = declaration_problems(settings)
    if problems:
        message, keys = problems[0]
        raise InvalidLedger(str(_settings_problem(root, message, keys)))
    return declarations(settings)


def remind_address(root: Path, settings: dict[str, Any], name: str) -> str | None:
    """[remind] keeper or from in track.toml (an e-mail address), refused when it is wrong."""
    remind = settings.get("remind", {})
    value = remind.get(name) if isinstance(remind, dict) else None
    if value is None:
        return None
    problem = address_problem(f"remind.{name}", value)
    if problem:
        raise InvalidLedger(str(_settings_problem(root, problem, ("remind", name))))
    return value  # type: ignore[no-any-return]


def _settings_problem(root: Path, message: str, keys: tuple[Any, ...]) -> Problem:
    try:
        text = read_text(root / SETTINGS, SETTINGS, root)
    except InvalidLedger:
        text = ""
    line, column = _table_place(text, keys) if text else (None, None)
    return Problem(SETTINGS, line, column, message)


def _table_place(text: str, keys: tuple[Any, ...]) -> tuple[int | None, int | None]:
    """Best-effort line and column of ("owners", NAME, "email") or ("remind", "keeper") in
    track.toml: the key's line within its table's [header], else the header's line, else
    where locate finds it."""
    tomllib = toml_reader()
    lines = text.splitlines()
    headers: list[tuple[int, tuple[Any, ...]]] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            try:
                parsed: Any = tomllib.loads(stripped.split("#")[0] if "\"" not in stripped else stripped)
            except tomllib.TOMLDecodeError:
                continue
            path: list[Any] = []
            while isinstance(parsed, dict) and len(parsed) == 1:
                name, parsed = next(iter(parsed.items()))
                path.append(name)
            headers.append((i, tuple(path)))
    for cut in range(len(keys), 0, -1):
        for n, (i, path) in enumerate(headers):
            if path == tuple(keys[:cut]):
                end = headers[n + 1][0] if n + 1 < len(headers) else len(lines)
                if cut < len(keys):
                    pattern = re.compile(r'^\s*"?' + re.escape(str(keys[cut])) + r'"?\s*[=.]')
                    for j in range(i + 1, end):
                        if pattern.match(lines[j]):
                            return j + 1, len(lines[j]) - len(lines[j].lstrip()) + 1
                return i + 1, 1
    return locate(text, keys)


def settings_problems(root: Path, data: dict[str, Any]) -> list[Problem]:
    """Every problem of track.toml's settings, each where it stands in the file when it can be found."""
    try:
        text = read_text(root / SETTINGS, SETTINGS, root)
    except InvalidLedger:
        text = ""
    out: list[Problem] = []

    def add(message: str, *keys: Any) -> None:
        line, column = locate(text, keys) if keys and text else (None, None)
        out.append(Problem(SETTINGS, line, column, message))

    known = {"name", "schema", "timezone", "remind", "lock_timeout", "day_first", "git", "owners", "report", "fields"}
    for key in data:
        if key not in known:
            add(f"unknown key {key!r}", key)
    if "lock_timeout" in data and lock_timeout_problem(data["lock_timeout"]):
        add(lock_timeout_problem(data["lock_timeout"]) or "", "lock_timeout")
    if "day_first" in data and day_first_problem(data["day_first"]):
        add(day_first_problem(data["day_first"]) or "", "day_first")
    if data.get("schema", SCHEMA) != SCHEMA:
        add(f"schema {data.get('schema')!r}: this track reads schema {SCHEMA}", "schema")
    found = model.CONTROL.search(data["name"]) if isinstance(data.get("name"), str) else None
    if found:
        add(f"name holds a control character ({found.group()!r}): only tab and newline are allowed", "name")
    remind = data.get("remind", {})
    if not isinstance(remind, dict):
        add("remind must be a table", "remind")
    else:
        for key in remind:
            if key not in ("within", "stale", "keeper", "from"):
                moved = " (it belongs above [remind], at the top of track.toml)" if key in known else ""
                add(f"unknown key 'remind.{key}'{moved}", "remind", key)
        for key in ("within", "stale"):
            if key in remind:
                try:
                    parse_duration(remind[key]) if isinstance(remind[key], str) else not_a_string()
                except TrackError:
                    add(f"remind.{key} = {remind[key]!r} is not a duration such as '14 days'", "remind", key)
        for key in ("keeper", "from"):
            if key in remind and address_problem(f"remind.{key}", remind[key]):
                out.append(_settings_problem(root, address_problem(f"remind.{key}", remind[key]) or "", ("remind", key)))
    for message, keys in owners_problems(data):
        out.append(_settings_problem(root, message, keys))
    for message, keys in report_problems(data):
        out.append(_settings_problem(root, message, keys))
    for message, keys in declaration_problems(data):
        out.append(_settings_problem(root, message, keys))
    git = data.get("git", {})
    if not isinstance(git, dict):
        add("git must be a table, such as [git] commit = true", "git")
    else:
        for key in git:
            if key != "commit":
                add(f"unknown key 'git.{key}'", "git", key)
        if "commit" in git and not isinstance(git["commit"], bool):
            add(f"git.commit = {written_as(git['commit'])} must be true or false", "git", "commit")
    tz = data.get("timezone")
    if tz is not None:
        try:
            from zoneinfo import ZoneInfo

            ZoneInfo(tz)
        except Exception:
            add(f"timezone {tz!r} is not a time zone name such as 'Europe/London'", "timezone")
    return out


def report_path(root: Path, report_id: str) -> Path:
    return root / REPORTS / f"{report_id}.toml"


def report_ids(root: Path) -> list[str]:
    try:
        names = os.listdir(os.path.join(root, REPORTS))  # not Path.iterdir: a national register has thousands
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(name[:-5] for name in names if name.endswith(".toml") and not name.startswith("."))


def read_report(root: Path, report_id: str) -> tuple[Report | None, list[Problem], list[Problem]]:
    """(report or None, blocking problems, unknown-key notices) for one report file."""
    report, problems, unknown, _raw = read_report_raw(root, report_id)
    return report, problems, unknown


def read_report_raw(root: Path, report_id: str) -> tuple[Report | None, list[Problem], list[Problem], bytes | None]:
    """read_report, plus the exact bytes the report was read from."""
    tomllib = toml_reader()

    shown = f"{REPORTS}/{report_id}.toml"
    if not model.safe_report_id(report_id):
        return None, [Problem(shown, None, None, "file name is not a safe report id (letters, digits, '.', '_', '-')")], [], None
    try:
        text = read_text(report_path(root, report_id), shown, root)
    except InvalidLedger as error:
        return None, [_raw_problem(str(error))], [], None
    conflicts = conflict_problems(shown, text)
    if conflicts:
        return None, conflicts, [], None
    if not text.strip():
        return None, [Problem(shown, 1, 1, "empty file: a report needs title, by, subject and published")], [], None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return None, [nesting_problem(shown, text) or syntax_problem(shown, text, error)], [], None
    except RecursionError:
        return None, [nesting_problem(shown, text) or Problem(shown, 1, 1, "nested too deeply to read")], [], None
    report, problems, unknown = decode_report(report_id, data, shown, text)
    if problems and any(f"nested more than {MAX_DEPTH} levels deep" in p.message for p in problems):
        deep = nesting_problem(shown, text)  # brackets too deep: say where they start
        if deep:
            return None, [deep], [], None
    return (None if problems else report), problems, unknown, text.encode("utf-8")


def unreadable(problems: list[Problem]) -> str:
    """What a command says of a report file it cannot read: the first problem, how many more,
    and where to see them all."""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    hint = "" if "track check" in str(problems[0]) else "; run `track check` to see every problem"
    return f"{problems[0]}{more}{hint}"


def _raw_problem(message: str) -> Problem:
    path, _, rest = message.partition(":")
    match = re.match(r"(\d+):(\d+): (.*)", rest)
    if match:
        return Problem(path, int(match.group(1)), int(match.group(2)), match.group(3))
    return Problem(path, None, None, rest.strip())


# --------------------------------------------------------------------------- writing


class WriteFailed(TrackError):
    """A file could not be replaced: it still holds exactly what it held, and no temp file is left."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


def write_temp(path: Path, data: bytes, *, sync: bool = False) -> None:
    """Write a new temp file in full, following no link (one planted at its name is refused)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)


def create_new(path: Path, text: str) -> bool:
    """Create `path` holding `text`, whole or not at all, unless it exists: False when it does
    (another process made it first). A temp file written in full is hard-linked to the name,
    which only one process can do; where links are not to be had, the name is claimed with
    O_EXCL and then filled atomically."""
    temp = path.parent / f".{path.name}.{os.getpid()}.new"
    write_temp(temp, text.encode("utf-8"), sync=True)
    try:
        os.link(temp, path)
    except FileExistsError:
        return False
    except OSError:  # no hard links here: claim the name, then fill it
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            return False
        atomic_write(path, text)
    finally:
        temp.unlink(missing_ok=True)
    fsync_dir(path.parent)
    return True


def atomic_write(path: Path, text: str) -> bool:
    """Replace `path` with `text` so that a reader or a crash sees the old or the new file,
    never a mixture: a temp file in the same folder with the original's mode, written and
    fsynced, then os.replace and an fsync of the folder. A symlink is written through to its
    target. Returns False (and touches nothing, mtime included) when the bytes are already
    there. On failure raises WriteFailed, having removed its temp file."""
    data = text.encode("utf-8")
    try:
        target = Path(os.path.realpath(path))
        try:
            st: os.stat_result | None = os.stat(target)
        except FileNotFoundError:
            st = None
        if st is not None and target.read_bytes() == data:
            return False
    except OSError as error:
        reason = _reason(error)
        raise WriteFailed(f"{path}: cannot read it before replacing it: {reason}; the file is unchanged", reason) from None
    folder = target.parent
    temp = folder / f".{target.name}.{os.getpid()}.tmp"
    try:
        # A new file gets the usual mode (0o666 less the umask); a replaced one keeps its own.
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0),
                     0o666 if st is None else 0o600)
        try:
            if st is not None:
                try:
                    os.fchown(fd, st.st_uid, st.st_gid)
                except OSError:
                    pass  # only root may give a file away; the mode still follows
                os.fchmod(fd, st.st_mode & 0o7777)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException as error:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(error, OSError):
            raise WriteFailed(f"{path}: could not write: {_reason(error)}; the file is unchanged", _reason(error)) from None
        raise
    fsync_dir(folder)
    return True


def _reason(error: OSError) -> str:
    import errno

    text = error.strerror or str(error) or type(error).__name__
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        text += " (the disk or quota is full)"
    return text


def why(error: OSError) -> str:
    """Why a write failed, in words (the disk or quota being full said so)."""
    return _reason(error)


def alive(pid: int) -> bool:
    """Whether process `pid` is running (the owner of a temp file or of a staged folder)."""
    return _alive(pid)


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.tmp\Z")  # .NAME.PID.tmp, as atomic_write names them


def remove_stale_temps(folder: Path) -> None:
    """Temp files left by a process killed mid-write are never part of the ledger: remove
    those whose process is gone (or is this one)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        match = TEMP.match(name)
        if not match:
            continue
        pid = int(match.group("pid"))
        if pid == os.getpid() or not _alive(pid):
            try:
                os.unlink(Path(folder) / name)
            except OSError:
                pass


def clean_temps(root: Path) -> None:
    """remove_stale_temps in every folder track writes to. Call it holding the lock."""
    for folder in (root, root / REPORTS, root / PRIVATE, root / PRIVATE / "cache"):
        remove_stale_temps(folder)


def tidy(root: Path) -> None:
    """On a read: remove the temp files a killed writer left, but only when no writer is at
    work (the lock is free), and never creating anything (a read-only ledger stays untouched)."""
    import fcntl

    try:
        fd = os.open(root / PRIVATE / "lock", os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return  # no lock file: no track writer has worked here (a fresh clone)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return
        clean_temps(root)
    finally:
        os.close(fd)  # releases the lock


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


HELD_BY_PARENT = "TRACK_LOCK_HELD"  # set, while a change holds the lock, for what it runs (git, and git's hooks)
_reading: dict[str, int] = {}  # ledger root -> the descriptor of .track/lock this process reads under
_writing: set[str] = set()  # the ledgers whose lock this process holds whole (locked)


def read_lock(root: Path, timeout: float) -> None:
    """Read the ledger under a shared lock on .track/lock, held until read_unlock (or the
    process ends): a change spanning files (an import, an undo) takes the lock whole, so a
    reader waits for it to finish (at most `timeout` seconds, then LedgerLocked) and never
    sees half of it, and a change waits for the readers at work. No lock file: no change has
    ever been made here, and nothing is created (a read-only ledger stays untouched)."""
    import fcntl

    key = str(root)
    if key in _reading or key in _writing:  # read already, or changing it: this process's own lock
        return
    if os.environ.get(HELD_BY_PARENT) == os.path.realpath(root):  # a git hook of track's own change: it waits for us
        return
    lock = root / PRIVATE / "lock"
    try:
        fd = os.open(lock, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise TrackError(f"{lock}: a symbolic link where track keeps its lock: track follows no link there; "
                             "remove it") from None
        return
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise TrackError(f"{lock}: not a regular file where track keeps its lock: remove it")
    try:
        _take(fd, fcntl.LOCK_SH, root, timeout)
    except LedgerLocked:
        os.close(fd)
        raise
    except OSError:  # a file system without locks: read as before
        os.close(fd)
        return
    _reading[key] = fd


def _take(fd: int, mode: int, root: Path, timeout: float) -> None:
    """flock(fd, mode), waiting at most `timeout` seconds for the holders to let go (then
    LedgerLocked, naming who holds it); any other failure to lock is the OSError itself."""
    import fcntl

    deadline = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LedgerLocked(f"{root}: the ledger is locked by {_lock_holder(fd)}; waited {timeout:g}s. "
                                   "Try again when it has finished.") from None
            time.sleep(0.005)


def read_unlock(root: Path | None = None) -> None:
    """Let go of the shared lock read_lock took on this ledger (every ledger, for None)."""
    for key in [str(root)] if root is not None else list(_reading):
        fd = _reading.pop(key, None)
        if fd is not None:
            os.close(fd)  # releases the lock


@contextmanager
def locked(root: Path, timeout: float, what: str) -> Iterator[None]:
    """Hold the ledger's lock (flock on .track/lock; the kernel releases it if we die). A
    shared lock this process holds to read the ledger is let go first: a change does not wait
    for its own reading."""
    import fcntl

    read_unlock(root)
    private = root / PRIVATE
    lock = private / "lock"
    try:
        private.mkdir(exist_ok=True)  # .track/ is not in git: a fresh clone has none
        check_private(root)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0), 0o666)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise TrackError(f"{lock}: a symbolic link where track keeps its lock: track follows no link there; "
                             "remove it; nothing was written") from None
        raise TrackError(f"{lock}: cannot create the lock: {_reason(error)}; nothing was written") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise TrackError(f"{lock}: not a regular file where track keeps its lock: remove it; nothing was written")
    try:
        try:
            _take(fd, fcntl.LOCK_EX, root, timeout)
        except OSError as error:
            raise TrackError(f"{lock}: cannot take the lock: {_reason(error)}; nothing was written") from None
        stamp = json.dumps({"pid": os.getpid(), "what": what, "since": datetime.now().isoformat(timespec="seconds")})
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, stamp.encode(), 0)
        except OSError:
            pass  # who holds it is only for the message of a process that waits
        _writing.add(str(root))
        # A program the change runs while it holds the lock (git commit, and its hooks, which may
        # well run `track check`) reads the ledger without waiting for the lock: it would wait
        # for us while we wait for it.
        before = os.environ.get(HELD_BY_PARENT)
        os.environ[HELD_BY_PARENT] = os.path.realpath(root)
        try:
            yield
        finally:
            if before is None:
                os.environ.pop(HELD_BY_PARENT, None)
            else:
                os.environ[HELD_BY_PARENT] = before
            _writing.discard(str(root))
            try:
                os.ftruncate(fd, 0)
            except OSError:
                pass
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _lock_holder(fd: int) -> str:
    try:
        stamp = os.pread(fd, 4096, 0).decode()
        if not stamp:  # a change writes who it is; readers write nothing
            return "another track command reading it"
        info = json.loads(stamp)
        return f"process {info['pid']} ({info['what']}, since {info['since']})"
    except (ValueError, KeyError, TypeError, OSError):
        return "another process"


def reports_state(root: Path) -> tuple:
    """What the report files are now, cheaply: each one's name, size, inode and time of last
    change, sorted; equal before and after means no writer has changed, added or removed one
    (every write replaces the file: a new inode, a new change time)."""
    out = []
    try:
        with os.scandir(root / REPORTS) as entries:
            for entry in entries:
                try:
                    st = entry.stat(follow_symlinks=False)
                except OSError:
                    continue
                out.append((entry.name, st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns))
    except OSError:
        pass
    return tuple(sorted(out))


def check_unchanged(path: Path, expected: bytes | None) -> None:
    """Refuse to overwrite a file that changed on disk since it was read."""
    try:
        now: bytes | None = path.read_bytes()
    except FileNotFoundError:
        now = None
    except OSError as error:
        raise TrackError(f"{path}: cannot read it again before writing: {_reason(error)}; nothing was written") from None
    if now != expected:
        raise ChangedOnDisk(f"{path}: changed on disk while track was working; nothing was written. Run the command again.")
