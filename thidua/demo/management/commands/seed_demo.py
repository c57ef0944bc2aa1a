from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from thidua.demo.loader import demo_accounts, load_demo


class Command(BaseCommand):
    help = "Load the seed's year (Kế hoạch 3887/KH-SVHTTDL, Cần Thơ, 2021). Safe to run twice."

    def handle(self, *args: Any, **options: Any) -> None:
        load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded: Sở VHTTDL Cần Thơ, 2021."))
        self.stdout.write("Demo accounts (username / password):")
        for username, password, label in demo_accounts():
            self.stdout.write(f"  {username:<6} / {password}   {label}")
