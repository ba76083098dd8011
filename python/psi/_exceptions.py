"""The exceptions of psi.

Defined in Python (not in the compiled core) so they behave like any other
Python exception: subclassable, picklable, documented by ``help()``. The
compiled core raises them from its single translation point.
"""

from __future__ import annotations

from typing import Optional

__all__ = [
    "AttrInsufficientPrivsError",
    "AttrNotAvailableError",
    "AttrNotImplementedError",
    "InsufficientPrivsError",
    "MissingResourceError",
    "NoSuchMountError",
    "NoSuchProcessError",
]


class _PsiErrorMixin:
    """``pid`` and ``attribute`` say what failed (None when they do not apply).

    psi sets them on the exceptions it raises; one built by hand has None.
    """

    pid: Optional[int] = None
    attribute: Optional[str] = None


class AttrNotAvailableError(_PsiErrorMixin, AttributeError):
    """The platform has the attribute but this process does not (now).

    A kernel thread's ``exe``, a zombie's ``cwd``, or an attribute whose lazy
    read found the process gone.
    """


class AttrInsufficientPrivsError(_PsiErrorMixin, AttributeError):
    """The operating system refused to show the attribute (EACCES/EPERM)."""


class AttrNotImplementedError(_PsiErrorMixin, AttributeError):
    """The attribute is not implemented on this platform."""


class MissingResourceError(_PsiErrorMixin, Exception):
    """Base of the "it is gone" errors."""


class NoSuchProcessError(MissingResourceError):
    """The process does not exist, or its pid now belongs to another process."""


class NoSuchMountError(MissingResourceError):
    """The filesystem is not mounted there any more (``MountBase.refresh()``)."""


class InsufficientPrivsError(_PsiErrorMixin, Exception):
    """The operating system refused an action (e.g. kill: EPERM)."""


# Public home of the classes (tracebacks, pickling): they are psi.<Name>.
for _cls in (
    AttrNotAvailableError,
    AttrInsufficientPrivsError,
    AttrNotImplementedError,
    MissingResourceError,
    NoSuchProcessError,
    NoSuchMountError,
    InsufficientPrivsError,
):
    _cls.__module__ = "psi"
del _cls
