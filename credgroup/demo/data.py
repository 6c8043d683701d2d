"""The demo association, as data. ``credgroup/demo/load.py`` turns it into rows.

Everything here is fictitious: companies, people and addresses (``.example`` domains,
RFC 2606, so no demo email can ever reach a real mailbox). Later features extend the demo
by adding tuples (here or in a module of their own, like ``report_data.py`` for the reports
and their discussion) and a step in load.py.

Every demo account, the admin's included, uses :data:`DEMO_PASSWORD`. It is published in
the README, which is why the loader refuses to run in production.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from credgroup.accounts.models import Role
from credgroup.groups.models import CustomerNaming

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - published on purpose, demo only


@dataclass(frozen=True)
class DemoAssociation:
    website: str


@dataclass(frozen=True)
class DemoGroup:
    slug: str
    name: str
    industry: str
    description: str
    timezone: str
    anonymity_threshold: int
    customer_naming: CustomerNaming


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    timezone: str = "America/New_York"


@dataclass(frozen=True)
class DemoCompany:
    name: str
    industry: str
    groups: tuple[str, ...]  # group slugs
    people: tuple[DemoPerson, ...]
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoStaff:
    email: str
    name: str
    role: Role
    groups: tuple[str, ...] = field(default=())  # facilitated groups (admins see all anyway)
    timezone: str = "America/New_York"


ASSOCIATION = DemoAssociation(website="https://demo-credit.example")

BUILDING, FOOD, OILFIELD = "building-materials", "food-beverage", "oilfield-services"

GROUPS: tuple[DemoGroup, ...] = (
    DemoGroup(
        slug=BUILDING,
        name="Building Materials Credit Group",
        industry="Building materials",
        description=(
            "Credit managers of manufacturers and distributors of aggregates, gypsum, "
            "lumber, roofing and fasteners who sell to contractors, dealers and home "
            "centers.\n\nMeets by video on the second Tuesday of each month and in person "
            "every spring. Standing items: home-center deduction portals and contractors' "
            "pay-application portals."
        ),
        timezone="America/Chicago",
        anonymity_threshold=5,
        customer_naming=CustomerNaming.NAMED,
    ),
    DemoGroup(
        slug=FOOD,
        name="Food & Beverage Credit Group",
        industry="Food and beverage",
        description=(
            "Credit professionals of ingredient, dairy and packaging suppliers to food "
            "processors, grocery chains and foodservice distributors.\n\nMeets quarterly, "
            "alternating between Atlanta and video. Frequent topics: retailers' deduction "
            "and short-pay portals, SAP Business Network fees, Coupa onboarding."
        ),
        timezone="America/New_York",
        anonymity_threshold=5,
        customer_naming=CustomerNaming.INDUSTRY_ONLY,
    ),
    DemoGroup(
        slug=OILFIELD,
        name="Oilfield Services Credit Group",
        industry="Oil and gas services",
        description=(
            "Credit managers of suppliers to exploration and production operators: "
            "wellhead equipment, proppant, chemicals and fasteners. Most operators take "
            "invoices through OpenInvoice, some through SAP Business Network.\n\nA small "
            "group, hence the lower anonymity threshold; customers are never named. Meets "
            "monthly by video."
        ),
        timezone="America/Denver",
        anonymity_threshold=3,
        customer_naming=CustomerNaming.NOT_NAMED,
    ),
)

CHICAGO, NEW_YORK, DENVER = "America/Chicago", "America/New_York", "America/Denver"

COMPANIES: tuple[DemoCompany, ...] = (
    DemoCompany(
        name="Northfield Aggregates",
        industry="Aggregates and ready-mix",
        aliases=("Northfield Sand & Gravel", "NFA"),
        groups=(BUILDING,),
        people=(
            DemoPerson("credit@northfield-aggregates.example", "Dana Whitfield", CHICAGO),
            DemoPerson("luis.ortega@northfield-aggregates.example", "Luis Ortega", CHICAGO),
        ),
    ),
    DemoCompany(
        name="Ridgeline Gypsum Supply",
        industry="Gypsum wallboard",
        aliases=("Ridgeline Gypsum", "RGS"),
        groups=(BUILDING,),
        people=(
            DemoPerson("karen.holt@ridgelinegypsum.example", "Karen Holt"),
            DemoPerson("tom.becker@ridgelinegypsum.example", "Tom Becker"),
            DemoPerson("ar@ridgelinegypsum.example", "Priya Raman"),
        ),
    ),
    DemoCompany(
        name="Keystone Lumber & Millwork",
        industry="Lumber and millwork",
        aliases=("Keystone Lumber",),
        groups=(BUILDING,),
        people=(DemoPerson("greg.novak@keystonelumber.example", "Greg Novak"),),
    ),
    DemoCompany(
        name="Summit Roofing Products",
        industry="Roofing",
        aliases=("Summit Roofing",),
        groups=(BUILDING,),
        people=(
            DemoPerson("angela.price@summitroofing.example", "Angela Price", CHICAGO),
            DemoPerson("sam.whitaker@summitroofing.example", "Sam Whitaker", CHICAGO),
        ),
    ),
    DemoCompany(
        name="Ironclad Fasteners & Industrial Supply",
        industry="Fasteners and industrial supply",
        aliases=("Ironclad Fasteners", "Ironclad Industrial"),
        groups=(BUILDING, OILFIELD),
        people=(
            DemoPerson("renee.castillo@ironcladfasteners.example", "Renée Castillo", CHICAGO),
            DemoPerson("mike.dunn@ironcladfasteners.example", "Mike Dunn", CHICAGO),
        ),
    ),
    DemoCompany(
        name="Blue Prairie Foods",
        industry="Grain and bakery ingredients",
        aliases=("Blue Prairie",),
        groups=(FOOD,),
        people=(
            DemoPerson("linda.marsh@blueprairiefoods.example", "Linda Marsh", CHICAGO),
            DemoPerson("ben.oconnor@blueprairiefoods.example", "Ben O'Connor", CHICAGO),
        ),
    ),
    DemoCompany(
        name="Cascade Packaging Solutions",
        industry="Food packaging",
        aliases=("Cascade Packaging",),
        groups=(FOOD,),
        people=(DemoPerson("hannah.lee@cascadepackaging.example", "Hannah Lee"),),
    ),
    DemoCompany(
        name="Golden Valley Dairy Cooperative",
        industry="Dairy",
        aliases=("Golden Valley Dairy", "GVD Co-op"),
        groups=(FOOD,),
        people=(
            DemoPerson("robert.king@goldenvalleydairy.example", "Robert King"),
            DemoPerson("maria.santos@goldenvalleydairy.example", "Maria Santos"),
        ),
    ),
    DemoCompany(
        name="Lakeshore Beverage Ingredients",
        industry="Beverage ingredients",
        aliases=("Lakeshore Ingredients", "LBI"),
        groups=(FOOD,),
        people=(DemoPerson("julie.park@lakeshorebev.example", "Julie Park", CHICAGO),),
    ),
    DemoCompany(
        name="Meridian Process Chemicals",
        industry="Process and specialty chemicals",
        aliases=("Meridian Chemicals",),
        groups=(FOOD, OILFIELD),
        people=(
            DemoPerson("steve.grant@meridianchem.example", "Steve Grant"),
            DemoPerson("olivia.reed@meridianchem.example", "Olivia Reed"),
            DemoPerson("credit.dept@meridianchem.example", "Anthony Russo"),
        ),
    ),
    DemoCompany(
        name="Permian Wellhead Services",
        industry="Wellhead equipment and services",
        aliases=("Permian Wellhead", "PWS"),
        groups=(OILFIELD,),
        people=(
            DemoPerson("cody.harmon@permianwellhead.example", "Cody Harmon", CHICAGO),
            DemoPerson("tina.vega@permianwellhead.example", "Tina Vega", CHICAGO),
        ),
    ),
    DemoCompany(
        name="Basin Proppant & Logistics",
        industry="Frac sand and logistics",
        aliases=("Basin Proppant",),
        groups=(OILFIELD,),
        people=(DemoPerson("wade.larsen@basinproppant.example", "Wade Larsen", DENVER),),
    ),
    # The rest of each group's members: one credit manager each, who post the everyday
    # reports of ``activity_data.py`` (a group of 10-40 companies is usual; with five, no
    # figure could ever reach a threshold of five without naming everybody).
    DemoCompany(
        name="Prairie State Brick & Block",
        industry="Brick and concrete block",
        aliases=("Prairie State Brick",),
        groups=(BUILDING,),
        people=(DemoPerson("joe.malinowski@prairiestatebrick.example", "Joe Malinowski", CHICAGO),),
    ),
    DemoCompany(
        name="Great Lakes Insulation Supply",
        industry="Insulation",
        aliases=("GL Insulation",),
        groups=(BUILDING,),
        people=(DemoPerson("megan.foster@glinsulation.example", "Megan Foster", CHICAGO),),
    ),
    DemoCompany(
        name="Cornerstone Windows & Doors",
        industry="Windows and doors",
        aliases=("Cornerstone Windows",),
        groups=(BUILDING,),
        people=(DemoPerson("alan.brooks@cornerstonewindows.example", "Alan Brooks"),),
    ),
    DemoCompany(
        name="Heartland Pipe & Plumbing Supply",
        industry="Plumbing supply",
        aliases=("Heartland Pipe",),
        groups=(BUILDING,),
        people=(DemoPerson("denise.carter@heartlandpipe.example", "Denise Carter", CHICAGO),),
    ),
    DemoCompany(
        name="Redwood Coast Siding & Trim",
        industry="Siding and trim",
        aliases=("Redwood Coast Siding",),
        groups=(BUILDING,),
        people=(
            DemoPerson(
                "kevin.tran@redwoodcoastsiding.example", "Kevin Tran", "America/Los_Angeles"
            ),
        ),
    ),
    DemoCompany(
        name="Lakeview Paint & Coatings",
        industry="Paints and coatings",
        aliases=("Lakeview Coatings",),
        groups=(BUILDING,),
        people=(DemoPerson("rachel.kim@lakeviewcoatings.example", "Rachel Kim"),),
    ),
    DemoCompany(
        name="Midstate Electrical Distributors",
        industry="Electrical supply",
        aliases=("Midstate Electrical",),
        groups=(BUILDING,),
        people=(DemoPerson("paul.jensen@midstateelectrical.example", "Paul Jensen", CHICAGO),),
    ),
    DemoCompany(
        name="Harvest Mill Flour Company",
        industry="Flour milling",
        aliases=("Harvest Mill",),
        groups=(FOOD,),
        people=(DemoPerson("grace.whitman@harvestmill.example", "Grace Whitman", CHICAGO),),
    ),
    DemoCompany(
        name="Sunridge Produce Packers",
        industry="Fresh produce",
        aliases=("Sunridge Produce",),
        groups=(FOOD,),
        people=(
            DemoPerson(
                "carlos.mendez@sunridgeproduce.example", "Carlos Mendez", "America/Los_Angeles"
            ),
        ),
    ),
    DemoCompany(
        name="Northstar Frozen Foods",
        industry="Frozen foods",
        aliases=("Northstar Frozen",),
        groups=(FOOD,),
        people=(DemoPerson("erin.walsh@northstarfrozen.example", "Erin Walsh", CHICAGO),),
    ),
    DemoCompany(
        name="Copper Kettle Confections",
        industry="Confectionery",
        aliases=("Copper Kettle",),
        groups=(FOOD,),
        people=(DemoPerson("nina.patel@copperkettle.example", "Nina Patel"),),
    ),
    DemoCompany(
        name="Hollis Creek Meats",
        industry="Meat processing",
        aliases=("Hollis Creek",),
        groups=(FOOD,),
        people=(DemoPerson("doug.harper@holliscreekmeats.example", "Doug Harper", CHICAGO),),
    ),
    DemoCompany(
        name="Clearwater Spring Water",
        industry="Bottled water",
        aliases=("Clearwater Spring",),
        groups=(FOOD,),
        people=(DemoPerson("amy.chen@clearwaterspring.example", "Amy Chen"),),
    ),
    DemoCompany(
        name="High Plains Valve & Supply",
        industry="Valves and pipe",
        aliases=("High Plains Valve",),
        groups=(OILFIELD,),
        people=(DemoPerson("ray.dominguez@highplainsvalve.example", "Ray Dominguez", DENVER),),
    ),
    DemoCompany(
        name="Red Mesa Water Hauling",
        industry="Water hauling and disposal",
        aliases=("Red Mesa Hauling",),
        groups=(OILFIELD,),
        people=(DemoPerson("jolene.pruitt@redmesahauling.example", "Jolene Pruitt", DENVER),),
    ),
)

ADMIN_EMAIL = "admin@demo-credit.example"

STAFF: tuple[DemoStaff, ...] = (
    DemoStaff(ADMIN_EMAIL, "Patricia Alvarez", Role.ADMIN),
    DemoStaff(
        "facilitator@demo-credit.example",
        "Carol Jennings",
        Role.FACILITATOR,
        groups=(BUILDING, FOOD),
        timezone=CHICAGO,
    ),
    DemoStaff(
        "energy.facilitator@demo-credit.example",
        "Marcus Boyd",
        Role.FACILITATOR,
        groups=(OILFIELD,),
        timezone=DENVER,
    ),
)


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: str
    who: str


def demo_logins() -> list[DemoLogin]:
    """Every demo account, staff first, for the banner and the command output."""
    logins = [DemoLogin(s.email, s.role.value, _staff_label(s)) for s in STAFF]
    for company in COMPANIES:
        groups = ", ".join(_group_name(slug) for slug in company.groups)
        logins += [
            DemoLogin(p.email, Role.MEMBER.value, f"{p.name}, {company.name} ({groups})")
            for p in company.people
        ]
    return logins


def login_table(indent: str = "") -> list[str]:
    """The demo logins as aligned text lines: email, role, who."""
    logins = demo_logins()
    width = max(len(login.email) for login in logins)
    return [f"{indent}{x.email:<{width}}  {x.role:<11}  {x.who}" for x in logins]


def _staff_label(staff: DemoStaff) -> str:
    if staff.role is Role.ADMIN:
        return f"{staff.name}, association admin"
    return f"{staff.name}, facilitates " + ", ".join(_group_name(s) for s in staff.groups)


def _group_name(slug: str) -> str:
    return next(g.name for g in GROUPS if g.slug == slug).removesuffix(" Credit Group")
