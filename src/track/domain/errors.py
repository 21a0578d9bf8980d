"""Errors that track expects. Each knows its exit code; the command line turns it into one line."""

from __future__ import annotations


class TrackError(Exception):
    """A failure a user can act on: the message says what is wrong and what to fix."""

    exit_code = 1


class BadValue(TrackError):
    """A value given on the command line that does not parse or is not allowed (Click's 2)."""

    exit_code = 2


class LedgerNotFound(TrackError):
    pass


class InvalidLedger(TrackError):
    """A ledger file that cannot be read: the message names file, line and column."""


class LedgerLocked(TrackError):
    pass


class UnknownId(TrackError):
    pass


class AmbiguousId(TrackError):
    pass


class Refused(TrackError):
    """A change that breaks a rule of the ledger; nothing was written."""


class ChangedOnDisk(TrackError):
    pass
