"""The demo's covenant: Khối 1's 2021 covenant, out for signature (domain.md §4.2).

Built through the covenant services, as a block leader would: minh (leader, QLVHGD) starts
and circulates it, then signs for his unit; hoa (deputy, TTVH) signs for hers. tuan (QLDL) has
not signed, so he finds it waiting for him. Khối 2 stays at the draft step.

Loading again changes nothing: once K1 has a covenant, whatever happened to it since is kept.
"""

from __future__ import annotations

from django.db import transaction

from thidua.campaigns.cycle import CycleState
from thidua.campaigns.models import BlockCycle
from thidua.org.demo import DEMO_PASSWORD
from thidua.org.models import Unit, User

from . import services
from .models import Covenant

DEMO_SIGNERS = (("minh", "QLVHGD"), ("hoa", "TTVH"))


@transaction.atomic
def load_demo_covenants() -> None:
    k1 = (
        BlockCycle.objects.filter(campaign__year=2021, term__block__code="K1")
        .select_related("term")
        .first()
    )
    if k1 is None or Covenant.objects.filter(term=k1.term).exists():
        return
    if k1.state != CycleState.COVENANT_DRAFT:
        return
    minh = User.objects.get(username="minh")
    covenant = services.covenant_start(actor=minh, cycle=k1)
    covenant = services.covenant_circulate(actor=minh, covenant=covenant)
    for username, unit_code in DEMO_SIGNERS:
        services.covenant_sign(
            actor=User.objects.get(username=username),
            covenant=covenant,
            unit=Unit.objects.get(code=unit_code),
            password=DEMO_PASSWORD,
        )
