"""Serve the demo: the web server and the background job worker, side by side."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Run the web server on 127.0.0.1:8000 and the job worker until Ctrl-C."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **options: Any) -> None:
        # A service manager stops us with SIGTERM: stop the children the same way as Ctrl-C.
        signal.signal(signal.SIGTERM, _interrupt)
        manage = [sys.executable, "manage.py"]
        children = [
            subprocess.Popen([*manage, "runserver", options["addr"], "--noreload"]),
            subprocess.Popen([*manage, "worker", "--interval", "2", "--no-reload"]),
        ]
        self.stdout.write(f"Serving on http://{options['addr']}/ with a job worker beside it.")
        interrupted = False
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            interrupted = True
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGINT)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
        if not interrupted:
            raise CommandError("a child process stopped on its own; see its output above")


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
