"""track publish: the public register (views/site.py) written into a folder, changing only the
files whose bytes changed and removing those of things that no longer exist.

The folder is worked in through file descriptors opened without following symbolic links, so
that nothing is read, written or removed outside it: a link where a folder of the register
should be is refused, and a link where a page should be is replaced by the page (its target is
left alone). Each file is written to a temporary name beside it and renamed over the old one,
so that a reader sees the old page or the new one, never half of one. `.track-published`
lists the files track wrote there; only those are ever removed (a CNAME, a README or a .git
beside them stays), and a run that is stopped part way leaves a list that still names every
file it wrote."""

import errno
import os
import re
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from typer import Typer

from track.cli.run import Run, as_of_date, echo
from track.domain.errors import BadValue, TrackError

MANIFEST = ".track-published"
_LISTED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%-]*(/[A-Za-z0-9][A-Za-z0-9._%-]*)*\Z")  # a path the list may name
_FLAGS = getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)


def publish(run: Run, *, folder: str, as_of: str | None, title: str | None, base_url: str | None) -> None:
    from track.domain.values import clean_text
    from track.views import site

    base = web_base(base_url)
    name = clean_text(title, "--title", single_line=True) if title is not None else None
    if name is not None and not name.strip():
        raise BadValue("--title is empty")
    ledger = run.ledger
    day = as_of_date(ledger, as_of)
    check_target(folder, ledger.root)
    reports = dict(ledger.reports.items())
    files = {**data_files(ledger, day), **site.render(reports, day, title=name or f"{ledger.name}: recommendations and progress",
                                                        ledger_name=ledger.name, base_url=base)}
    outcome = write_site(folder, files)
    echo(f"published {len(files):,} files to {folder} as of {day}: {outcome['written']:,} written, "
         f"{outcome['removed']:,} removed, {outcome['unchanged']:,} unchanged")


def web_base(text: str | None) -> str | None:
    """--base-url as the prefix of every absolute address: http(s), a host, ending in '/'."""
    if text is None:
        return None
    from urllib.parse import urlsplit

    url = text.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"[\x00-\x20\x7f-\x9f<>\"'`\\]", url) \
            or parts.query or parts.fragment:
        raise BadValue(f"--base-url {text!r} must be an http:// or https:// address, e.g. https://example.org/register/")
    return url if url.endswith("/") else url + "/"


def data_files(ledger: "Any", day: "Any") -> dict[str, bytes]:
    """The ledger as `track export` writes it, as JSON and CSV, as it stood at the end of `day`."""
    import io

    from track.exchange import export
    from track.views import site

    out = {}
    ids = sorted(ledger.reports)
    for path, fmt in ((site.DATA_JSON, "json"), (site.DATA_CSV, "csv")):
        buffer = io.BytesIO()
        export.write_export(buffer, ledger.root, ids, fmt, day, ledger_name=ledger.name, use_index=ledger.use_cache)
        out[path] = buffer.getvalue()
    return out


# --------------------------------------------------------------------------- the folder


def check_target(folder: str, ledger_root: "Any") -> None:
    """Refuse a folder that is not one: a file, a symbolic link, the ledger itself or a part of
    the ledger track keeps for itself (before anything is worked out or written)."""
    if not folder.strip():
        raise BadValue("DIR is empty: name the folder to publish into")
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        st = None
    except OSError as error:
        raise TrackError(f"{folder}: cannot look at it: {error.strerror}") from None
    if st is not None and stat.S_ISLNK(st.st_mode):
        raise TrackError(f"{folder} is a symbolic link: give the folder it points to (publish never follows a link)")
    if st is not None and not stat.S_ISDIR(st.st_mode):
        raise TrackError(f"{folder} is a file, not a folder: give a folder to publish into")
    real, root = os.path.realpath(folder), os.path.realpath(ledger_root)
    if real == root or any(real == p or real.startswith(p + os.sep) for p in
                           (os.path.join(root, "reports"), os.path.join(root, ".track"))):
        raise TrackError(f"{folder} is the ledger's own folder: publish into a folder of its own, such as {os.path.join(root, 'site')}")


class Tree:
    """The folder's subfolders as file descriptors, each opened from its parent without
    following a symbolic link."""

    def __init__(self, display: str, root_fd: int) -> None:
        self.display = display
        self.fds: dict[str, int] = {"": root_fd}

    def where(self, rel: str) -> str:
        return os.path.join(self.display, rel) if rel else self.display

    def folder(self, rel: str, create: bool) -> int | None:
        """The descriptor of the subfolder `rel` ("" the folder itself); made when `create`,
        else None when it is missing or not a plain folder."""
        fd = self.fds.get(rel)
        if fd is not None:
            return fd
        parent, _, name = rel.rpartition("/")
        parent_fd = self.folder(parent, create)
        if parent_fd is None:
            return None
        for attempt in (1, 2):
            try:
                fd = os.open(name, os.O_RDONLY | os.O_DIRECTORY | _FLAGS, dir_fd=parent_fd)
                break
            except FileNotFoundError:
                if not create or attempt == 2:
                    return None
                try:
                    os.mkdir(name, 0o777, dir_fd=parent_fd)
                except FileExistsError:
                    pass
                except OSError as error:
                    raise TrackError(f"{self.where(rel)}: cannot make the folder: {error.strerror}") from None
            except OSError as error:
                if not create:
                    return None
                if error.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise TrackError(f"{self.where(rel)} is a symbolic link or a file where the register keeps a folder: "
                                     "remove it, then publish again") from None
                raise TrackError(f"{self.where(rel)}: cannot open the folder: {error.strerror}") from None
        self.fds[rel] = fd
        return fd

    def close(self) -> None:
        for fd in self.fds.values():
            os.close(fd)
        self.fds.clear()


def _read(tree: Tree, rel: str, size: int | None = None) -> bytes | None:
    """The bytes of the plain file `rel`; None when there is none (or a link is there); when
    `size` is given and the file's differs, b"" without reading it."""
    parent, _, name = rel.rpartition("/")
    folder_fd = tree.folder(parent, create=False)
    if folder_fd is None:
        return None
    try:
        fd = os.open(name, os.O_RDONLY | _FLAGS, dir_fd=folder_fd)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:  # a symbolic link: never read through it
            return None
        raise TrackError(f"{tree.where(rel)}: cannot read it: {error.strerror}") from None
    with open(fd, "rb", closefd=True) as file:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise TrackError(f"{tree.where(rel)} is a folder where the register keeps a file: remove it, then publish again")
        if size is not None and st.st_size != size:
            return b""
        return file.read()


def _put(tree: Tree, rel: str, data: bytes) -> bool:
    """Write `data` as `rel` unless it holds those bytes already: True when written."""
    if _read(tree, rel, len(data)) == data:
        return False
    parent, _, name = rel.rpartition("/")
    folder_fd = tree.folder(parent, create=True)
    assert folder_fd is not None
    temp = f".{name}.{os.getpid()}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _FLAGS, 0o666, dir_fd=folder_fd)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(temp, name, src_dir_fd=folder_fd, dst_dir_fd=folder_fd)
    except OSError as error:
        try:
            os.unlink(temp, dir_fd=folder_fd)
        except OSError:
            pass
        if error.errno == errno.EISDIR:
            raise TrackError(f"{tree.where(rel)} is a folder where the register keeps a file: remove it, then publish again") from None
        raise TrackError(f"{tree.where(rel)}: cannot write it: {error.strerror}") from None
    return True


def _remove(tree: Tree, rel: str) -> bool:
    """Remove the file (or link) `rel` that an earlier run wrote; never a folder, never
    through a link."""
    parent, _, name = rel.rpartition("/")
    folder_fd = tree.folder(parent, create=False)
    if folder_fd is None:
        return False
    try:
        st = os.stat(name, dir_fd=folder_fd, follow_symlinks=False)
        if stat.S_ISDIR(st.st_mode):
            return False
        os.unlink(name, dir_fd=folder_fd)
    except FileNotFoundError:
        return False
    except OSError as error:
        raise TrackError(f"{tree.where(rel)}: cannot remove it: {error.strerror}") from None
    return True


def _listed(tree: Tree) -> set[str]:
    text = _read(tree, MANIFEST)
    if not text:
        return set()
    lines = text.decode("utf-8", "replace").splitlines()
    return {line for line in lines if _LISTED.match(line) and ".." not in line.split("/") and line != MANIFEST}


def _list_text(paths: set[str]) -> bytes:
    return ("# The files `track publish` wrote into this folder: it removes those it no longer writes.\n"
            + "".join(p + "\n" for p in sorted(paths))).encode("utf-8")


def write_site(folder: str, files: dict[str, bytes]) -> dict[str, int]:
    """Write `files` ({path: bytes}, in the order given) into `folder`, made if missing;
    remove the files an earlier run wrote that are no longer among them, and the folders
    left empty. Counts of written, removed and unchanged files."""
    try:
        os.makedirs(folder, exist_ok=True)
        root_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | _FLAGS)
    except OSError as error:
        raise TrackError(f"{folder}: cannot open it as a folder: {error.strerror}") from None
    tree = Tree(folder, root_fd)
    try:
        try:
            import fcntl

            fcntl.flock(root_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise TrackError(f"{folder}: another track publish is writing there; try again when it has finished") from None
        except (ImportError, OSError):
            pass  # no locks here: publish as it is
        before = _listed(tree)
        now = set(files)
        if not now <= before:  # first say what this run may write, so that a stopped run leaves nothing unlisted
            _put(tree, MANIFEST, _list_text(before | now))
        written = sum(_put(tree, rel, data) for rel, data in files.items())
        stale = sorted(before - now, key=lambda p: (-p.count("/"), p))
        removed = sum(_remove(tree, rel) for rel in stale)
        kept = {p.rpartition("/")[0] for p in now}
        emptied = {p.rpartition("/")[0] for p in stale} - kept - {""}
        for rel in sorted(emptied, key=lambda p: (-p.count("/"), p)):
            _prune(tree, rel, kept)
        _put(tree, MANIFEST, _list_text(now))
        return {"written": written, "removed": removed, "unchanged": len(files) - written}
    finally:
        tree.close()


def _prune(tree: Tree, rel: str, kept: set[str]) -> None:
    """Remove the folder `rel` and then its parents while they are empty and hold nothing
    this run wrote."""
    while rel and not any(k == rel or k.startswith(rel + "/") for k in kept):
        parent, _, name = rel.rpartition("/")
        parent_fd = tree.folder(parent, create=False)
        fd = tree.fds.pop(rel, None)
        if fd is not None:
            os.close(fd)
        if parent_fd is None:
            return
        try:
            os.rmdir(name, dir_fd=parent_fd)
        except OSError:  # not empty (something of someone else's), a link, or gone
            return
        rel = parent


def declare(app: "Typer") -> None:
    """The command line: options, arguments and help, read by Typer."""
    from typing import Annotated

    import typer

    from track.cli.declare import AsOfOpt, runs

    @app.command("publish")
    @runs(publish)
    def publish_command(
        ctx: typer.Context,
        folder: Annotated[str, typer.Argument(metavar="DIR", help="The folder to write the register into; made if missing. "
                                              "Only the files track wrote there before are ever removed.")],
        as_of: AsOfOpt = None,
        title: Annotated[str | None, typer.Option("--title", metavar="TEXT",
                         help="The register's title. Default: the ledger's name and 'recommendations and progress'.")] = None,
        base_url: Annotated[str | None, typer.Option("--base-url", metavar="URL",
                            help="Where the register will be served, e.g. https://example.org/register/: the feed's "
                                 "links become absolute (feed readers need them).")] = None,
    ) -> None:
        """Write the ledger as a static public register, for any web server or pages service.

        A front page (headline figures, every report with its progress, the follow-ups), a page
        per report, per recommendation (its record and history) and per owner, an Atom feed of
        changes (feed.xml) and the data as JSON and CSV (data/), as track export writes them:
        plain HTML, no external assets. Publishing again rewrites only the files whose bytes
        changed and removes the pages of what no longer exists; a recommendation's page keeps
        its address (reports/REPORT/REF.html).

        \b
        Example: track publish /var/www/register --base-url https://example.org/register/
        """
