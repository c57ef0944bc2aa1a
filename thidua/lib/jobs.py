"""Jobs orphaned by a job worker that died (killed, out of memory, the machine restarted).

A worker that dies mid-task never records the task's end: its row in the queue stays
"running" and the app's own job row says "importing" for ever. Every worker started with
`manage.py worker` is named `<host>:<pid>`; when one starts, it looks for running tasks
claimed by a worker of its own host whose process no longer exists, marks them failed at
once, and hands each to the app that owns its task (`on_orphaned`), which marks its own
row so that the page says what happened and offers to run it again. Workers on other hosts
do the same for theirs when they restart.
"""

from __future__ import annotations

import importlib
import logging
import os
import socket
import traceback
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

Handler = Callable[[list[Any], dict[str, Any]], None]
_HANDLERS: dict[str, Handler] = {}
_STATUS_RUNNING = TaskResultStatus.RUNNING.value
_STATUS_FAILED = TaskResultStatus.FAILED.value


class WorkerDied(Exception):
    """The worker running the task stopped before the task ended."""


def on_orphaned(task_path: str) -> Callable[[Handler], Handler]:
    """Register what to do with the arguments of an orphaned task of `task_path`
    (`module.function`); the handler must be idempotent."""

    def register(handler: Handler) -> Handler:
        _HANDLERS[task_path] = handler
        return handler

    return register


def host() -> str:
    return socket.gethostname()[:40]


def worker_id(pid: int | None = None) -> str:
    return f"{host()}:{pid if pid is not None else os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def _pid_on_this_host(worker: str) -> int | None:
    name, _, pid = worker.rpartition(":")
    return int(pid) if name == host() and pid.isdigit() else None


def recover_orphans(alive: Callable[[int], bool] = _alive) -> list[str]:
    """Fail the running tasks whose worker, on this host, is gone; returns their ids."""
    running = DBTaskResult.objects.filter(status=_STATUS_RUNNING)
    recovered: list[str] = []
    for result in running.only("id", "worker_ids", "task_path", "args_kwargs"):
        pid = _pid_on_this_host(result.worker_ids[-1]) if result.worker_ids else None
        if pid is None or pid == os.getpid() or alive(pid):
            continue
        died = WorkerDied(f"worker {result.worker_ids[-1]} stopped while running this task")
        claimed = DBTaskResult.objects.filter(pk=result.pk, status=_STATUS_RUNNING).update(
            status=_STATUS_FAILED,
            finished_at=timezone.now(),
            exception_class_path=f"{WorkerDied.__module__}.{WorkerDied.__qualname__}",
            traceback="".join(traceback.format_exception_only(died)),
        )
        if not claimed:  # another worker starting at the same moment took it
            continue
        recovered.append(str(result.pk))
        logger.warning("task %s (%s) orphaned: %s", result.pk, result.task_path, died)
        module = result.task_path.rpartition(".")[0]
        if module and result.task_path not in _HANDLERS:
            try:
                importlib.import_module(module)  # registers the app's handler, if it has one
            except ImportError:
                logger.warning("task %s: module %s not found", result.pk, module)
        handler = _HANDLERS.get(result.task_path)
        if handler is not None:
            arguments = result.args_kwargs or {}
            handler(list(arguments.get("args", [])), dict(arguments.get("kwargs", {})))
    return recovered
