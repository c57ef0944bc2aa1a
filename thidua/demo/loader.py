"""The whole demo: the seed's year (org, then the campaign) and then what happened in it
since (covenants, scoring, voting, initiatives), each loaded by its app's demo module through
that app's services."""

from __future__ import annotations

from thidua.campaigns.demo import load_demo_campaign
from thidua.covenants.demo import load_demo_covenants
from thidua.initiatives.demo import load_demo_initiatives
from thidua.org.demo import DEMO_PASSWORD, demo_accounts
from thidua.org.demo import load_demo as load_org_demo
from thidua.scoring.demo import load_demo_scoring
from thidua.titles.demo import load_demo_packs
from thidua.voting.demo import load_demo_voting

__all__ = ["DEMO_PASSWORD", "demo_accounts", "load_demo"]


def load_demo() -> None:
    load_org_demo()
    load_demo_campaign()
    load_demo_covenants()
    load_demo_scoring()
    load_demo_voting()
    load_demo_packs()
    load_demo_initiatives()
