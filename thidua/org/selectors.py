"""The read path of the organisation: the tree (now or on a past day), history, search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from thidua.lib.dated import valid_on
from thidua.lib.text import fold

from .models import (
    Block,
    BlockMembership,
    BlockTerm,
    Council,
    CouncilMember,
    Employment,
    Person,
    Role,
    RoleAssignment,
    Unit,
    UnitStatus,
    UnitVersion,
    User,
)
from .permissions import has_role


@dataclass
class TreeNode:
    unit: Unit
    name: str
    status: str
    depth: int
    children: list[TreeNode] = field(default_factory=list)
    block: str = ""


def org_tree(*, on: dt.date | None = None, include_closed: bool = False) -> list[TreeNode]:
    """The whole tree as nested nodes, in a constant number of queries.

    With `on`, names, parents and status are those in force that day, and each node carries
    the block the unit belonged to in that year.
    """
    nodes: dict[int, TreeNode] = {}
    parents: dict[int, int | None] = {}
    if on is None:
        units = Unit.objects.order_by("path")
        if not include_closed:
            units = units.filter(status=UnitStatus.ACTIVE)
        for unit in units:
            nodes[unit.pk] = TreeNode(unit, unit.name, unit.status, unit.depth)
            parents[unit.pk] = unit.parent_id
    else:
        versions = UnitVersion.objects.filter(valid_on(on)).select_related("unit")
        if not include_closed:
            versions = versions.filter(status=UnitStatus.ACTIVE)
        for version in versions.order_by("unit__path"):
            nodes[version.unit_id] = TreeNode(version.unit, version.name, version.status, 0)
            parents[version.unit_id] = version.parent_id
        memberships = BlockMembership.objects.filter(year=on.year).select_related("term__block")
        for membership in memberships:
            if membership.unit_id in nodes:
                nodes[membership.unit_id].block = membership.term.block.name
    roots: list[TreeNode] = []
    for unit_id, node in nodes.items():
        parent_id = parents[unit_id]
        if parent_id is not None and parent_id in nodes:
            nodes[parent_id].children.append(node)
        else:
            roots.append(node)
    _set_depths(roots, 0)
    return roots


def _set_depths(nodes: list[TreeNode], depth: int) -> None:
    for node in nodes:
        node.depth = depth
        node.children.sort(key=lambda n: (n.unit.kind != "division", n.name))
        _set_depths(node.children, depth + 1)


def flatten(nodes: list[TreeNode]) -> list[TreeNode]:
    out: list[TreeNode] = []
    for node in nodes:
        out.append(node)
        out.extend(flatten(node.children))
    return out


def unit_version_on(unit: Unit, day: dt.date) -> UnitVersion | None:
    return unit.versions.filter(valid_on(day)).select_related("parent").first()


def unit_block_on(unit: Unit, day: dt.date) -> BlockTerm | None:
    membership = (
        BlockMembership.objects.filter(unit=unit, year=day.year)
        .select_related("term__block", "term__leader", "term__deputy")
        .first()
    )
    return membership.term if membership else None


def unit_detail(pk: int) -> Unit:
    return (
        Unit.objects.select_related("parent", "merged_into")
        .prefetch_related(
            Prefetch("versions", queryset=UnitVersion.objects.select_related("parent")),
            Prefetch(
                "block_memberships",
                queryset=BlockMembership.objects.select_related("term__block").order_by("-year"),
            ),
            "ratings",
        )
        .get(pk=pk)
    )


def unit_staff(unit: Unit, *, on: dt.date) -> QuerySet[Employment]:
    return (
        Employment.objects.filter(valid_on(on), unit=unit)
        .select_related("person")
        .prefetch_related("person__ratings")
        .order_by("-is_head", "person__full_name")
    )


def _words_q(query: str) -> Q | None:
    """Every word of the query, folded, must appear: "van hoa gia dinh" finds
    "Phòng Quản lý Văn hóa và Gia đình"."""
    words = fold(query).split()
    if not words:
        return None
    q = Q()
    for word in words:
        q &= Q(search_text__contains=word)
    return q


def search_units(query: str, limit: int = 20) -> QuerySet[Unit]:
    q = _words_q(query)
    if q is None:
        return Unit.objects.none()
    return Unit.objects.filter(q).order_by("path")[:limit]


def search_people(query: str, limit: int = 20) -> QuerySet[Person]:
    q = _words_q(query)
    if q is None:
        return Person.objects.none()
    return Person.objects.filter(q).order_by("full_name")[:limit]


def person_detail(pk: int) -> Person:
    return Person.objects.prefetch_related(
        Prefetch("employments", queryset=Employment.objects.select_related("unit")),
        "ratings",
        "discipline__unit",
    ).get(pk=pk)


def block_list() -> QuerySet[Block]:
    return Block.objects.select_related("agency").prefetch_related(
        Prefetch(
            "terms",
            queryset=BlockTerm.objects.select_related("leader", "deputy").prefetch_related(
                "memberships__unit"
            ),
        )
    )


def block_term_detail(pk: int) -> BlockTerm:
    return (
        BlockTerm.objects.select_related("block__agency", "leader", "deputy")
        .prefetch_related(
            Prefetch("memberships", queryset=BlockMembership.objects.select_related("unit"))
        )
        .get(pk=pk)
    )


def terms_of_units(unit_ids: set[int], year: int) -> list[BlockTerm]:
    return list(
        BlockTerm.objects.filter(year=year, memberships__unit_id__in=unit_ids)
        .select_related("block", "leader", "deputy")
        .distinct()
    )


def council_detail(agency: Unit) -> Council | None:
    return (
        Council.objects.select_related("agency", "standing_body")
        .prefetch_related(
            Prefetch("members", queryset=CouncilMember.objects.select_related("person"))
        )
        .filter(agency=agency)
        .first()
    )


def agencies() -> QuerySet[Unit]:
    return Unit.objects.filter(kind="agency").order_by("path")


def person_scope_unit(person: Person) -> Unit | None:
    """The unit a person's rights are checked against: where they work most recently."""
    employment = person.employments.order_by("-valid_from").select_related("unit").first()
    return employment.unit if employment else None


# Who holds a role ----------------------------------------------------------------------------


def unit_heads(unit_ids: Iterable[int], on: dt.date) -> dict[int, list[User]]:
    """The active users heading each unit on the day, by unit id."""
    heads: dict[int, list[User]] = {}
    assignments = RoleAssignment.objects.filter(
        valid_on(on), role=Role.UNIT_HEAD, unit_id__in=list(unit_ids), user__is_active=True
    ).select_related("user")
    for assignment in assignments:
        heads.setdefault(assignment.unit_id, []).append(assignment.user)
    return heads


def agency_people(role: Role, agency: Unit, on: dt.date) -> list[User]:
    """The active users holding `role` (secretariat, council member) over the agency."""
    candidates = User.objects.filter(
        is_active=True,
        pk__in=RoleAssignment.objects.filter(valid_on(on), role=role).values("user_id"),
    )
    return [user for user in candidates if has_role(user, frozenset({role}), agency)]


def blocks_listed(
    *, agency: str | None = None, year: int | None = None, unit: str | None = None
) -> QuerySet[Block]:
    """The API's list of blocks by agency code and block code; `year` keeps the blocks with
    a term that year, `unit` the blocks the unit was ever a member of (in `year` if given)."""
    blocks = Block.objects.select_related("agency")
    if agency:
        blocks = blocks.filter(agency__code=agency)
    if year is not None:
        blocks = blocks.filter(terms__year=year)
    if unit:
        members = BlockMembership.objects.filter(unit__code=unit)
        if year is not None:
            members = members.filter(year=year)
        blocks = blocks.filter(terms__in=members.values("term"))
    return blocks.distinct().order_by("agency__code", "code", "pk")
