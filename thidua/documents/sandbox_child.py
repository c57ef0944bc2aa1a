"""The child process that fills an uploaded template (see sandbox.py). No Django here: it
gets its work as a pickle on stdin from the parent, limits itself once its imports are
done, and answers in JSON on stdout (never a pickle: the parent must not unpickle what a
template's code might have shaped)."""

from __future__ import annotations

import base64
import dataclasses
import json
import pickle
import resource
import sys
from typing import Any

from thidua.documents import rendering


def _limit(seconds: float, memory_mb: int) -> None:
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(used.ru_utime + used.ru_stime + seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * resource.getpagesize()
    except OSError:  # not Linux: the wall-clock timeout of the parent still holds
        return
    limit = size + memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _run(operation: str, args: dict[str, Any]) -> dict[str, Any]:
    if operation == "problems":
        found = rendering.template_problems(args["template"], args["sample"])
        return {"problems": [dataclasses.asdict(problem) for problem in found]}
    if operation == "render":
        docx = rendering.render_in_process(
            args["content"], args["context"], args["images"], args["image_width_mm"]
        )
        return {"docx": base64.b64encode(docx).decode("ascii")}
    raise ValueError(f"unknown operation {operation!r}")


def main() -> None:
    seconds, memory_mb = float(sys.argv[1]), int(sys.argv[2])
    operation, args = pickle.loads(sys.stdin.buffer.read())
    _limit(seconds, memory_mb)
    try:
        answer = _run(operation, args)
    except MemoryError:
        answer = {"error": "memory"}
    except Exception as error:
        answer = {"error": "exception", "type": type(error).__name__, "message": str(error)}
    sys.stdout.write(json.dumps(answer))


if __name__ == "__main__":
    main()
