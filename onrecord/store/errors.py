"""The store's errors, and the one place where the database drivers' errors become them.

SQLAlchemy, sqlite3 and psycopg raise exceptions of their own. Every entry point of the
store (`open_store`, the `Store` methods, `ingest`, the query and export functions) is
`guarded`: such an exception leaves it as a `StoreError` whose message is one line naming
the database (never its password) and what the driver said, with the driver's exception
as ``__cause__``.
"""

from __future__ import annotations

import functools
import inspect
import re
import sqlite3
import sys
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar, cast

from ..errors import OnRecordError

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")
# SQLite's primary result codes for a database that cannot take the work now: BUSY, LOCKED,
# READONLY, IOERR, FULL, CANTOPEN (https://sqlite.org/rescode.html)
SQLITE_UNAVAILABLE = {5, 6, 8, 10, 13, 14}


class StoreError(OnRecordError):
    """The database cannot be opened or used, or a query argument is invalid."""


class StoreUnavailable(StoreError):
    """The database cannot be reached or cannot take the work now: connection refused or lost,
    locked past the busy timeout, read-only, disk full. Worth trying again later (the server
    answers 503)."""


# a secret in a query string or a libpq DSN: password=, sslpassword=, passwd=, pwd=, secret=, token=,
# quoted ('a b', "a b") or up to the next separator
_SECRET_PARAM = re.compile(r"""(?i)(?<![\w-])((?:ssl)?pass(?:word|wd)?|pwd|secret|token|api[_-]?key)(\s*=\s*)"""
                           r"""('(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|[^&;\s'"]*)""")
# user:password@ in scheme://user:password@host (the password may hold anything but @ / and space)
_USERINFO = re.compile(r"(?i)([a-z][a-z0-9+.-]*://[^:/@\s]*):([^@/\s]*)@")


def mask_secrets(text: str) -> str:
    """``text`` with every password a database URL or DSN can carry as ``***``: ``user:pw@``,
    ``?password=``, ``&password=``, ``sslpassword=``, a libpq ``password=... host=...`` string.

    The one masking function: every line that shows a database (ingest, link, speakers, serve,
    a store error, a log line) goes through it, via `database_name`.
    """
    text = _USERINFO.sub(lambda m: f"{m[1]}:***@", text)
    return _SECRET_PARAM.sub(lambda m: f"{m[1]}{m[2]}***", text)


def _secrets(url: str) -> list[str]:
    """The secret values in ``url`` (to blank them where a driver echoes them)."""
    found = [m[2] for m in _USERINFO.finditer(url)] + [m[3].strip("'\"") for m in _SECRET_PARAM.finditer(url)]
    try:
        from urllib.parse import unquote

        found += [unquote(value) for value in found]
    except Exception:  # pragma: no cover - unquote does not fail on str
        pass
    return sorted({value for value in found if len(value) >= 2}, key=len, reverse=True)


def database_name(url: str | None) -> str:
    """The database as a person names it: a SQLite file's path, else the URL with its secrets masked
    (`mask_secrets`)."""
    if not url:
        return "(unnamed)"
    try:
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
    except Exception:  # not a URL SQLAlchemy reads: a plain file path, a DSN, or garbage
        return mask_secrets(url)
    if parsed.get_backend_name() == "sqlite":
        return mask_secrets(parsed.database or ":memory:")
    return mask_secrets(parsed.render_as_string(hide_password=True))


def is_driver_error(err: BaseException) -> bool:
    """An exception of SQLAlchemy or of a database driver (sqlite3, psycopg)."""
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(err, (SQLAlchemyError, sqlite3.Error)):
        return True
    psycopg = sys.modules.get("psycopg")  # not imported: it raised nothing
    return psycopg is not None and isinstance(err, psycopg.Error)


def is_unavailable(err: BaseException) -> bool:
    """Whether the database could not take the work (PEP 249's OperationalError, InterfaceError),
    rather than failed on it (a corrupt file, a broken schema)."""
    from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, TimeoutError

    if isinstance(err, DBAPIError) and err.connection_invalidated:
        return True
    orig = getattr(err, "orig", None) or err
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):  # sqlite3 calls most errors operational ("no such table" too): its code says
        return code & 0xFF in SQLITE_UNAVAILABLE
    if isinstance(err, (OperationalError, InterfaceError, TimeoutError)):  # TimeoutError: the connection pool's
        return True
    return bool({cls.__name__ for cls in type(orig).__mro__} & {"OperationalError", "InterfaceError"})


def database_error(err: BaseException, url: str | None, what: str = "the database {name} failed") -> StoreError:
    """``err`` (a driver's exception) as a `StoreError` (`StoreUnavailable` where that fits).

    Args:
        err: the exception SQLAlchemy or the driver raised.
        url: the database; its password is never shown, not even when the driver echoes it.
        what: the start of the message, with ``{name}`` for the database.
    """
    orig = getattr(err, "orig", None) or err  # SQLAlchemy wraps the driver's exception: its text has no SQL
    text = str(orig).strip()
    line = text.splitlines()[0].strip() if text else ""
    for secret in _secrets(url or ""):
        line = line.replace(secret, "***")
    line = mask_secrets(line)
    cls = StoreUnavailable if is_unavailable(err) else StoreError
    return cls(f"{what.format(name=database_name(url))}: {type(orig).__name__}" + (f": {line}" if line else ""))


def guarded(func: Callable[P, R]) -> Callable[P, R]:
    """A store entry point whose driver errors leave it as `StoreError`s naming the database.

    The database is the ``url`` of the first argument (the store, for methods and for the
    functions over a store). A generator is guarded while it is iterated.
    """
    def url_of(args: tuple[Any, ...]) -> str | None:
        return getattr(args[0], "url", None) if args else None

    if inspect.isgeneratorfunction(func):
        @functools.wraps(func)
        def generator(*args: Any, **kwargs: Any) -> Iterator[Any]:
            try:
                yield from cast(Callable[..., Iterator[Any]], func)(*args, **kwargs)
            except Exception as err:
                if not is_driver_error(err):
                    raise
                raise database_error(err, url_of(args)) from err
        return cast(Callable[P, R], generator)

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except Exception as err:
            if not is_driver_error(err):
                raise
            raise database_error(err, url_of(args)) from err
    return wrapper


def guarded_methods(cls: type[T]) -> type[T]:
    """Class decorator: every public method of ``cls`` is `guarded` (a method added later too)."""
    for name, value in list(vars(cls).items()):
        if not name.startswith("_") and inspect.isfunction(value):
            setattr(cls, name, guarded(value))
    return cls
