"""Store calls in thread workers, and one way of telling the user that one failed.

Every read or write of the library runs off the UI thread through :func:`in_thread` (or
:func:`with_library`, which hands the call the open library). Afterwards, on the UI
thread:

- the result goes to ``done``, unless the worker was cancelled meanwhile (a newer one
  of its exclusive group started, or its screen closed): a stale answer is dropped,
  or handed to ``stale`` (to close what it holds);
- a :class:`~store.StoreError` (something the user can act on) goes to ``store_error``
  if given, else becomes an error notification, one line, never markup;
- anything else becomes a "Something failed" notification with the error's type and
  message, and is logged (logger ``tui.workers``) with its traceback.

Workers never crash the app and never leave a failure unsaid.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from textual.dom import DOMNode
from textual.worker import Worker, get_current_worker

from store.errors import StoreError
from store.text import strip_control

from .host import LibraryHost

if TYPE_CHECKING:
    from textual.app import App

    from store import Library

__all__ = ["in_thread", "one_line", "tell_failure", "tell_store_error", "with_library"]

T = TypeVar("T")

log = logging.getLogger(__name__)
# Nothing is printed unless the user configures logging: under a full-screen app,
# Python's last-resort handler would write over the screen.
log.addHandler(logging.NullHandler())


def one_line(text: str) -> str:
    """``text`` on one line, control characters dropped."""
    return " ".join(strip_control(text).split())


def tell_store_error(app: App[Any], error: StoreError) -> None:
    """An error the user can act on, as a notification (UI thread)."""
    app.notify(one_line(str(error)), severity="error", markup=False, timeout=8)


def tell_failure(app: App[Any], error: BaseException) -> None:
    """An unexpected failure, as a notification (UI thread)."""
    app.notify(
        one_line(f"{type(error).__name__}: {error}"),
        title="Something failed",
        severity="error",
        markup=False,
        timeout=8,
    )


def in_thread(
    node: DOMNode,
    call: Callable[[], T],
    *,
    done: Callable[[T], object] | None = None,
    stale: Callable[[T], object] | None = None,
    store_error: Callable[[StoreError], object] | None = None,
    group: str = "default",
    exclusive: bool = False,
    name: str = "",
) -> Worker[None]:
    """Run ``call`` in a thread worker of ``node`` (see the module's docstring).

    ``done`` and ``store_error`` run on the UI thread. A write whose outcome must be
    told even if the screen that started it closes belongs to the app: pass
    ``node=self.app``.
    """
    app = node.app

    def on_ui(
        worker: Worker[None],
        callback: Callable[[Any], object],
        value: object,
        if_cancelled: Callable[[Any], object] | None = None,
    ) -> None:
        """Run ``callback(value)`` on the UI thread, or ``if_cancelled(value)`` if the
        worker was cancelled by then."""

        def deliver() -> None:
            if not worker.is_cancelled:
                callback(value)
            elif if_cancelled is not None:
                if_cancelled(value)

        try:
            app.call_from_thread(deliver)
        except RuntimeError:
            if app.is_running:
                raise
            # The app closed meanwhile: nobody is left to tell.

    def run() -> None:
        worker = cast("Worker[None]", get_current_worker())
        try:
            result = call()
            if done is not None:
                on_ui(worker, done, result, stale)
        except StoreError as error:
            on_ui(worker, store_error or (lambda e: tell_store_error(app, e)), error)
        except Exception as error:
            log.error("worker %s failed", name or group, exc_info=error)
            on_ui(worker, lambda e: tell_failure(app, e), error)

    return node.run_worker(
        run, name=name or group, group=group, exclusive=exclusive, thread=True, exit_on_error=False
    )


def with_library(
    node: DOMNode,
    call: Callable[[Library], T],
    *,
    done: Callable[[T], object] | None = None,
    stale: Callable[[T], object] | None = None,
    store_error: Callable[[StoreError], object] | None = None,
    group: str = "default",
    exclusive: bool = False,
    name: str = "",
) -> Worker[None] | None:
    """:func:`in_thread` with the app's open library handed to ``call``; nothing runs
    (None) while the library is not open yet."""
    library = cast(LibraryHost, node.app).library
    if library is None:
        return None
    return in_thread(
        node,
        lambda: call(library),
        done=done,
        stale=stale,
        store_error=store_error,
        group=group,
        exclusive=exclusive,
        name=name,
    )
