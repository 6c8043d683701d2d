"""Demo reports, as data: what members of the demo groups tell each other about portals.

Drawn from ``shared/domain/portal_facts.md`` (the rules and error messages are the vendors'
documented ones); customers are fictitious, named only where the group's naming policy
allows (building materials: named; food and beverage: industry only; oilfield: not at all).

People are given by email (see ``data.COMPANIES`` and ``data.STAFF``). Dates are relative to
the day the demo is loaded: a report was published ``days_ago`` days ago and its discussion
follows ``days_after`` days later, so the demo always looks lived-in. Nothing is random.

A report is identified by (group slug, title): loading again skips reports already there.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from credgroup.demo.data import BUILDING, FOOD, OILFIELD
from credgroup.reports.enums import (
    AmountBand,
    ConfirmationKind,
    FeeKind,
    FeeSizeBand,
    InvoicesBand,
    ProblemCategory,
    ReportStatus,
    SubmissionChannel,
)

Category, Channel, Status = ProblemCategory, SubmissionChannel, ReportStatus
HIT_TOO, WORKED = ConfirmationKind.HIT_TOO, ConfirmationKind.WORKAROUND_WORKED


class Stage(Enum):
    """Where the demo leaves a report."""

    PUBLISHED = "published"
    DRAFT = "draft"  # saved, never posted: only its author sees it
    REVIEW = "review"  # flagged wording, sent to the facilitator's review queue


@dataclass(frozen=True)
class DemoComment:
    author: str  # email of a member or facilitator of the group
    body: str
    days_after: int  # after the report was published
    workaround: bool = False  # the reporter marked it as the workaround


@dataclass(frozen=True)
class DemoQuestion:
    asker: str
    body: str
    days_after: int
    answer: str = ""  # "" = still waiting for the reporter
    answer_days_later: int = 2
    shared: bool = False  # the reporter shared the answer with the group


@dataclass(frozen=True)
class DemoConfirmation:
    by: str  # one person per company and kind
    kind: ConfirmationKind = HIT_TOO
    days_after: int = 3


@dataclass(frozen=True)
class DemoReport:
    group: str
    author: str
    title: str
    portal: str  # catalogue slug, or the name a member typed for an unlisted portal
    category: ProblemCategory
    body: str
    days_ago: int  # published (drafts and the review item: last saved) this many days ago
    incident_months_before: int = 0  # the incident, in months before publication
    buyer_name: str = ""
    buyer_industry: str = ""
    error_message: str = ""
    channel: SubmissionChannel | None = None
    invoices: InvoicesBand | None = None
    amount: AmountBand | None = None
    fee_kind: FeeKind | None = None
    fee_size: FeeSizeBand | None = None
    status: ReportStatus = ReportStatus.OPEN
    workaround: str = ""
    stage: Stage = Stage.PUBLISHED
    comments: tuple[DemoComment, ...] = ()
    confirmations: tuple[DemoConfirmation, ...] = ()
    questions: tuple[DemoQuestion, ...] = ()
    status_days_after: int = 0  # when the status last changed (0: on publication)


# --- the people who write (see data.COMPANIES) ---------------------------------------------

DANA = "credit@northfield-aggregates.example"  # the demo member of the README
LUIS = "luis.ortega@northfield-aggregates.example"
KAREN = "karen.holt@ridgelinegypsum.example"
TOM = "tom.becker@ridgelinegypsum.example"
PRIYA = "ar@ridgelinegypsum.example"
GREG = "greg.novak@keystonelumber.example"
ANGELA = "angela.price@summitroofing.example"
SAM = "sam.whitaker@summitroofing.example"
RENEE = "renee.castillo@ironcladfasteners.example"
MIKE = "mike.dunn@ironcladfasteners.example"
LINDA = "linda.marsh@blueprairiefoods.example"
BEN = "ben.oconnor@blueprairiefoods.example"
HANNAH = "hannah.lee@cascadepackaging.example"
ROBERT = "robert.king@goldenvalleydairy.example"
MARIA = "maria.santos@goldenvalleydairy.example"
JULIE = "julie.park@lakeshorebev.example"
STEVE = "steve.grant@meridianchem.example"
OLIVIA = "olivia.reed@meridianchem.example"
ANTHONY = "credit.dept@meridianchem.example"
CODY = "cody.harmon@permianwellhead.example"
TINA = "tina.vega@permianwellhead.example"
WADE = "wade.larsen@basinproppant.example"
CAROL = "facilitator@demo-credit.example"  # facilitates building materials and food
MARCUS = "energy.facilitator@demo-credit.example"  # facilitates oilfield services

# Fictitious customers of the building-materials group (the only group that names them).
LAKESIDE = "Lakeside Home Centers"
GREAT_PLAINS = "Great Plains Builders Supply"
METRO = "Metro Commercial Contractors"
HARBOR_POINT = "Harbor Point Construction"
PRAIRIE_HOME = "Prairie Home Stores"


def hit(*people: str, days_after: int = 3) -> tuple[DemoConfirmation, ...]:
    """ "We hit this too" from each person's company, a few days apart."""
    return tuple(DemoConfirmation(p, HIT_TOO, days_after + 4 * i) for i, p in enumerate(people))


def worked(*people: str, days_after: int = 20) -> tuple[DemoConfirmation, ...]:
    """ "The workaround worked for us" from each person's company."""
    return tuple(DemoConfirmation(p, WORKED, days_after + 6 * i) for i, p in enumerate(people))


BUILDING_REPORTS: tuple[DemoReport, ...] = (
    DemoReport(
        group=BUILDING,
        author=DANA,
        title="INV-15 rejections for orders the buyer placed by phone",
        portal="sap-business-network",
        category=Category.REJECTED_FORMAT,
        buyer_name=LAKESIDE,
        body=(
            "Some stores call in aggregate orders and their purchasing desk keys the PO into "
            "their ERP afterwards. Those POs never reach the network, so every cXML invoice "
            "against them comes back the same day with INV-15.\n\nThe invoices themselves "
            "were fine; the problem is only that the order does not exist on the network."
        ),
        error_message=(
            "INV-15: The customer does not accept invoices for orders sent outside Ariba SN."
        ),
        channel=Channel.CXML,
        invoices=InvoicesBand.SOME,
        amount=AmountBand.TO_100K,
        status=Status.WORKAROUND_FOUND,
        workaround=(
            "Ask the buyer's purchasing desk to send the PO through the network first, then "
            "invoice against it. In cXML, reference the PO in `InvoiceDetailOrderInfo` with "
            "the PO's `payloadID`."
        ),
        days_ago=205,
        incident_months_before=1,
        comments=(
            DemoComment(
                KAREN,
                "Same at our end in the spring. Their buyers re-send the PO on the network "
                "if you ask with the order date; it takes two or three days.",
                days_after=4,
            ),
            DemoComment(
                CAROL,
                "Background for the next meeting: SAP's article KB0392737 explains how the "
                "invoice has to reference the order for INV-15 and INV-13.",
                days_after=9,
            ),
        ),
        confirmations=hit(KAREN, GREG, ANGELA) + worked(ANGELA),
        questions=(
            DemoQuestion(
                RENEE,
                "Did the re-sent PO keep the original PO number, or did you have to invoice "
                "against a new one?",
                days_after=12,
                answer=(
                    "Same number, new version. The earlier version shows as obsoleted and "
                    "does not count toward the document total."
                ),
                shared=True,
            ),
        ),
    ),
    DemoReport(
        group=BUILDING,
        author=DANA,
        title="Invoices sit in Pending Approval for weeks with no dispute reason",
        portal="coupa",
        category=Category.STATUS_STALE,
        buyer_name=GREAT_PLAINS,
        body=(
            "Since their Coupa instance was changed in the summer, our invoices stay in "
            "**Pending Approval** for three to five weeks. Nothing is disputed and the CSP "
            "shows no reason. Their AP team answers that the invoice is with the approver."
        ),
        channel=Channel.PO_FLIP,
        invoices=InvoicesBand.MANY,
        amount=AmountBand.TO_1M,
        days_ago=48,
        comments=(
            DemoComment(
                TOM,
                "We see the same since the summer. Their AP team told us approvals are now "
                "routed to the site superintendents, who rarely log in.",
                days_after=3,
            ),
        ),
        confirmations=hit(TOM, MIKE),
        questions=(
            DemoQuestion(
                SAM,
                "Do you know whether their approvers get reminder emails from Coupa, or is "
                "the approval queue checked by hand?",
                days_after=40,
            ),
        ),
    ),
    DemoReport(
        group=BUILDING,
        author=DANA,
        title="Enterprise account became chargeable after a second customer moved over",
        portal="sap-business-network",
        category=Category.FEES,
        buyer_name=LAKESIDE,
        body=(
            "We upgraded to an Enterprise account to use CSV invoice upload for one "
            "customer. Within a year two relationships passed both 5 documents and USD 50K, "
            "the account became chargeable, and the subscription landed in the Silver tier "
            "(25 to 99 documents), plus the quarterly transaction fee on that volume."
        ),
        channel=Channel.CSV_SFTP,
        fee_kind=FeeKind.SUBSCRIPTION,
        fee_size=FeeSizeBand.TO_1K,
        status=Status.WORKAROUND_FOUND,
        workaround=(
            "Standard accounts stay free. We went back to a Standard account for that "
            "customer and invoice by PO flip; rejected invoices do not count toward the tier."
        ),
        days_ago=320,
        incident_months_before=2,
        confirmations=hit(GREG, RENEE, KAREN),
        comments=(
            DemoComment(
                RENEE,
                "The transaction fee is capped per customer relationship and year "
                "(KB0394021), which is worth checking before deciding.",
                days_after=6,
            ),
        ),
    ),
    DemoReport(
        group=BUILDING,
        author=DANA,
        title="Standard account shows only the last 200 documents",
        portal="sap-business-network",
        category=Category.CAPACITY,
        buyer_name=LAKESIDE,
        body="Looking for older invoices to match a remittance, the list stops at 200.",
        channel=Channel.PORTAL_UI,
        stage=Stage.DRAFT,
        days_ago=6,
    ),
    DemoReport(
        group=BUILDING,
        author=KAREN,
        title="PDF invoices dropped silently when the email signature has a logo",
        portal="basware",
        category=Category.SKIPPED,
        buyer_name=METRO,
        body=(
            "We email PDF invoices to the customer's Basware address. A batch never arrived "
            "in their system and we got no rejection. Basware's rules say non-PDF "
            "attachments are discarded and even a logo in the signature can stop processing."
        ),
        channel=Channel.PDF,
        invoices=InvoicesBand.SOME,
        amount=AmountBand.TO_100K,
        status=Status.RESOLVED,
        workaround=(
            "Send from a plain mailbox without a signature image, one invoice per PDF, the "
            "Basware address in To (not Cc), and from an address that accepts replies so "
            "rejection notices arrive."
        ),
        days_ago=290,
        incident_months_before=1,
        comments=(
            DemoComment(
                ANGELA,
                "We had this with scanned PDFs under 300 dpi. The notice only reached us "
                "because our sending mailbox accepts replies.",
                days_after=2,
            ),
            DemoComment(
                DANA,
                "This was our problem too: removing the logo fixed it the same day.",
                days_after=8,
            ),
        ),
        confirmations=hit(ANGELA, DANA) + worked(DANA, MIKE),
        status_days_after=15,
    ),
    DemoReport(
        group=BUILDING,
        author=TOM,
        title='"Unauthorized or expired account" after the customer merged supplier records',
        portal="coupa",
        category=Category.ONBOARDING,
        buyer_name=HARBOR_POINT,
        body=(
            "After the customer merged two of our supplier records, every log-in to their "
            "part of the Coupa Supplier Portal failed. Other Coupa customers worked."
        ),
        error_message="Unauthorized or expired account",
        channel=Channel.PORTAL_UI,
        invoices=InvoicesBand.FEW,
        amount=AmountBand.TO_10K,
        status=Status.RESOLVED,
        workaround=(
            "Ask the customer's supplier-enablement contact to reactivate the surviving "
            "supplier record. They had to escalate to Coupa support, which took a week."
        ),
        days_ago=150,
        confirmations=hit(GREG),
        status_days_after=9,
    ),
    DemoReport(
        group=BUILDING,
        author=GREG,
        title='"This document number has already been used" after deleting our own draft',
        portal="tradeshift",
        category=Category.REJECTED_FORMAT,
        buyer_name=PRAIRIE_HOME,
        body=(
            "We deleted a wrong invoice on our side and re-sent it under the same number. "
            "Tradeshift refused it: the duplicate check also looks at the customer's side."
        ),
        error_message="This document number has already been used",
        channel=Channel.PORTAL_UI,
        invoices=InvoicesBand.FEW,
        amount=AmountBand.TO_10K,
        status=Status.WORKAROUND_FOUND,
        workaround=(
            "Deleting our copy does not free the number. Use the next suggested number and "
            "mention the original one in the invoice note."
        ),
        days_ago=110,
        comments=(DemoComment(RENEE, "The same rule applies to credit notes.", days_after=5),),
        confirmations=hit(RENEE, KAREN),
    ),
    DemoReport(
        group=BUILDING,
        author=ANGELA,
        title="Invoices paid but still shown as Approved on the network",
        portal="sap-business-network",
        category=Category.STATUS_STALE,
        buyer_name=LAKESIDE,
        body=(
            "Invoices paid weeks ago still show **Approved**, never **Paid**. SAP says not "
            "every buyer sends payment data back to the network, so the status never moves."
        ),
        channel=Channel.CXML,
        invoices=InvoicesBand.VERY_MANY,
        amount=AmountBand.OVER_1M,
        days_ago=160,
        comments=(
            DemoComment(
                LUIS,
                "Their remittance advice comes by email two days after payment. We match "
                "payments from that and ignore the network status.",
                days_after=4,
                workaround=True,
            ),
            DemoComment(
                KAREN,
                "Same here. Their AP desk confirms expected payment dates on request.",
                days_after=11,
            ),
        ),
        confirmations=hit(LUIS, KAREN, GREG, RENEE) + worked(KAREN),
    ),
    DemoReport(
        group=BUILDING,
        author=ANGELA,
        title="Pay-application portal has no support contact for suppliers",
        portal="BuildPay Subcontractor Portal",
        category=Category.NO_CONTACT,
        buyer_name=METRO,
        body=(
            "The contractor moved pay applications for material suppliers to a new portal. "
            "Its help page lists no support address, and the contractor's AP team forwards "
            "questions to the portal vendor, who does not answer suppliers."
        ),
        channel=Channel.PORTAL_UI,
        invoices=InvoicesBand.SOME,
        amount=AmountBand.TO_1M,
        days_ago=25,
        confirmations=hit(PRIYA),
    ),
    DemoReport(
        group=BUILDING,
        author=RENEE,
        title="Early-payment offers accepted automatically after Cashflow was switched on",
        portal="taulia",
        category=Category.FEES,
        buyer_name=GREAT_PLAINS,
        body=(
            "Someone on our team switched on Cashflow while setting up the account. From "
            "then on every approved invoice was paid early with a percentage taken off, and "
            "accepted early payments cannot be reversed."
        ),
        channel=Channel.PORTAL_UI,
        fee_kind=FeeKind.EARLY_PAYMENT,
        fee_size=FeeSizeBand.TO_10K,
        invoices=InvoicesBand.MANY,
        amount=AmountBand.TO_100K,
        status=Status.RESOLVED,
        workaround="Switch Cashflow off in the Taulia account settings.",
        days_ago=240,
        incident_months_before=1,
        comments=(
            DemoComment(
                TOM,
                "Good to know that accepted offers stay accepted. We checked our settings.",
                days_after=3,
            ),
        ),
        confirmations=hit(SAM),
        questions=(
            DemoQuestion(
                CAROL,
                "Did the settings page show the percentage before Cashflow was switched on?",
                days_after=5,
                answer="Yes, on the Cashflow settings page, but not on each invoice.",
                shared=True,
            ),
        ),
        status_days_after=2,
    ),
    DemoReport(
        group=BUILDING,
        author=MIKE,
        title="Flat-file invoices rejected over the attachment size limit",
        portal="coupa",
        category=Category.CAPACITY,
        buyer_name=HARBOR_POINT,
        body=(
            "Our sFTP invoices carry delivery tickets as attachments. Invoices with many "
            "tickets were rejected: Coupa allows 10 attachments and 8 MB per invoice."
        ),
        channel=Channel.CSV_SFTP,
        invoices=InvoicesBand.SOME,
        amount=AmountBand.TO_100K,
        status=Status.WORKAROUND_FOUND,
        workaround=(
            "Keep each invoice's attachments under 2 MB (Coupa's advice) and at most 10; "
            "zip the CSV with its attachments and compress scanned tickets."
        ),
        days_ago=75,
        confirmations=worked(GREG, days_after=10),
    ),
    DemoReport(
        group=BUILDING,
        author=PRIYA,
        title="Future-dated invoices refused before the customer sees them",
        portal="tungsten-network",
        category=Category.REJECTED_FORMAT,
        buyer_name=PRAIRIE_HOME,
        body=(
            "Invoices dated on the delivery day (a day ahead of sending, because of the "
            "time difference with our Ridgeline Gypsum billing run) were rejected by "
            "Tungsten's own validation and never reached the customer."
        ),
        error_message="Invoice date cannot be in the future",
        channel=Channel.PORTAL_UI,
        invoices=InvoicesBand.FEW,
        amount=AmountBand.TO_10K,
        status=Status.NO_LONGER_OCCURS,
        days_ago=340,
        status_days_after=60,
    ),
    DemoReport(
        group=BUILDING,
        author=SAM,
        title="Invoice history disappears from the portal after three months",
        portal="basware",
        category=Category.OTHER,
        buyer_name=METRO,
        body=(
            "We went back to check an invoice from the spring and it was gone. Basware "
            "keeps documents visible for 3 months and has no archive."
        ),
        channel=Channel.PORTAL_UI,
        status=Status.WORKAROUND_FOUND,
        workaround="Keep your own copies (we save the PDF when sending).",
        days_ago=60,
        confirmations=hit(MIKE),
    ),
    DemoReport(
        group=BUILDING,
        author=GREG,
        title="New transaction fee on every home-center invoice",
        portal="sap-business-network",
        category=Category.FEES,
        buyer_name=LAKESIDE,
        body=(
            "Since the customer moved all suppliers to the network our account became "
            "chargeable and a quarterly transaction fee is taken on the volume. We should "
            "all refuse to register until they waive the fee."
        ),
        channel=Channel.PO_FLIP,
        fee_kind=FeeKind.PERCENTAGE,
        fee_size=FeeSizeBand.TO_10K,
        stage=Stage.REVIEW,
        days_ago=2,
    ),
)

FOOD_REPORTS: tuple[DemoReport, ...] = (
    DemoReport(
        group=FOOD,
        author=LINDA,
        title="Subscription tier went from Bronze to Silver within a year",
        portal="sap-business-network",
        category=Category.FEES,
        buyer_industry="Grocery retail",
        body=(
            "The network re-analyses the previous 12 months on the 1st of each month. Our "
            "document count with one grocery customer passed 25 and the annual subscription "
            "moved from Bronze to Silver. We had counted rejected invoices and old PO "
            "versions, which SAP does not count."
        ),
        channel=Channel.PO_FLIP,
        fee_kind=FeeKind.SUBSCRIPTION,
        fee_size=FeeSizeBand.TO_1K,
        workaround=(
            "Check the document count the way SAP does (KB0399773: rejected invoices and "
            "earlier PO versions excluded) before the monthly re-analysis."
        ),
        days_ago=270,
        incident_months_before=1,
        comments=(
            DemoComment(
                ROBERT,
                "The transaction fee is capped at USD 20,000 per customer relationship a "
                "year, which mattered for us with one retailer.",
                days_after=6,
            ),
            DemoComment(
                JULIE,
                "Our first subscription invoice fixed an anniversary date; later ones came "
                "quarterly from it.",
                days_after=15,
            ),
        ),
        confirmations=hit(HANNAH, ROBERT, JULIE, STEVE),
        questions=(
            DemoQuestion(
                MARIA,
                "Did the tier change show on an invoice from SAP first, or in the account "
                "settings?",
                days_after=20,
                answer="On SAP's quarterly invoice first; the account page showed it later.",
                shared=True,
            ),
        ),
    ),
    DemoReport(
        group=FOOD,
        author=BEN,
        title="PDF invoices emailed to the customer's AP inbox keyed in weeks later",
        portal="coupa",
        category=Category.SKIPPED,
        buyer_industry="Foodservice distribution",
        body=(
            "We emailed PDF invoices to the customer's invoice address as instructed. "
            "They were keyed in by hand three to six weeks later, and some not at all."
        ),
        channel=Channel.EMAIL,
        invoices=InvoicesBand.MANY,
        amount=AmountBand.TO_1M,
        status=Status.WORKAROUND_FOUND,
        workaround=(
            "Create the invoice in the Coupa Supplier Portal by PO flip and attach the PDF "
            "there. Paid on time since."
        ),
        days_ago=180,
        incident_months_before=2,
        confirmations=hit(HANNAH, OLIVIA) + worked(HANNAH, MARIA),
    ),
    DemoReport(
        group=FOOD,
        author=HANNAH,
        title='"Unacceptable invoice date": the customer allows only 30 days',
        portal="tradeshift",
        category=Category.REJECTED_FORMAT,
        buyer_industry="Snack food manufacturing",
        body=(
            "Invoices for deliveries held at the customer's dock were issued late and "
            "refused by the customer's date rule."
        ),
        error_message="Unacceptable invoice date. The invoice date must be within 30 days.",
        channel=Channel.PORTAL_UI,
        invoices=InvoicesBand.FEW,
        amount=AmountBand.TO_10K,
        status=Status.RESOLVED,
        workaround=(
            "The customer's validation rules are on its landing page in the Support app. "
            "We now issue and send on the same day."
        ),
        days_ago=130,
        status_days_after=10,
    ),
    DemoReport(
        group=FOOD,
        author=ROBERT,
        title="One-cent differences from rounding rejected by the totals check",
        portal="tradeshift",
        category=Category.REJECTED_FORMAT,
        buyer_industry="Grocery retail",
        body=(
            "Totals keyed in the web form differ by a cent from our ERP's totals on some "
            "multi-line invoices, and the customer's rule rejects any difference."
        ),
        error_message="Invoice totals do not reconcile with line totals",
        channel=Channel.PORTAL_UI,
        invoices=InvoicesBand.SOME,
        amount=AmountBand.UNDER_1K,
        status=Status.WORKAROUND_FOUND,
        workaround=(
            "Tradeshift's web form rounds half to even (banker's rounding). Compute line "
            "totals the same way in the ERP export."
        ),
        days_ago=95,
        comments=(
            DemoComment(
                BEN,
                "Worth knowing: it only shows on lines ending in exactly half a cent.",
                days_after=7,
            ),
        ),
        confirmations=hit(JULIE) + worked(JULIE, days_after=30),
    ),
    DemoReport(
        group=FOOD,
        author=MARIA,
        title="INVOICE_DUPLICATE after resubmitting a corrected invoice",
        portal="sap-business-network",
        category=Category.REJECTED_FORMAT,
        buyer_industry="Beverage bottling",
        body=(
            "The customer rejected an invoice for a wrong quantity. The corrected invoice, "
            "sent under the same number, was refused as a duplicate."
        ),
        error_message="INVOICE_DUPLICATE",
        channel=Channel.CXML,
        invoices=InvoicesBand.ONE,
        amount=AmountBand.TO_10K,
        status=Status.RESOLVED,
        workaround=(
            "A resubmitted invoice needs a different number: add a suffix letter and create "
            "it by PO flip so quantities and units mirror the PO."
        ),
        days_ago=215,
        confirmations=hit(LINDA, STEVE),
        status_days_after=3,
    ),
    DemoReport(
        group=FOOD,
        author=JULIE,
        title="Disputed invoices turned Abandoned without a message",
        portal="coupa",
        category=Category.STATUS_STALE,
        buyer_industry="Quick-service restaurants",
        body=(
            "Two disputed invoices changed to **Abandoned** with no message from the "
            "customer. We did not know whether to wait or resend."
        ),
        channel=Channel.PO_FLIP,
        invoices=InvoicesBand.FEW,
        amount=AmountBand.TO_10K,
        days_ago=70,
        comments=(
            DemoComment(
                OLIVIA,
                "Abandoned means the customer gave up on the disputed invoice. Resubmitting "
                "under a new invoice number worked for us.",
                days_after=2,
                workaround=True,
            ),
        ),
        confirmations=hit(OLIVIA) + worked(ROBERT, days_after=12),
    ),
    DemoReport(
        group=FOOD,
        author=STEVE,
        title="cXML invoices rejected for unmapped units of measure",
        portal="jaggaer",
        category=Category.REJECTED_FORMAT,
        buyer_industry="Dairy processing",
        body=(
            "After the customer moved to Jaggaer, cXML invoices for drums and totes were "
            "rejected at intake; the unit codes from our ERP were not mapped on their side."
        ),
        channel=Channel.CXML,
        invoices=InvoicesBand.MANY,
        amount=AmountBand.TO_100K,
        status=Status.WORKAROUND_FOUND,
        workaround=(
            "Map our unit-of-measure codes to the ones in the customer's Jaggaer setup and "
            "validate against the DTD before sending; escape special characters."
        ),
        days_ago=155,
        incident_months_before=1,
    ),
    DemoReport(
        group=FOOD,
        author=OLIVIA,
        title="sFTP invoice files refused because of a byte-order mark",
        portal="coupa",
        category=Category.REJECTED_FORMAT,
        buyer_industry="Snack food manufacturing",
        body=(
            "A new export from our ERP added a byte-order mark, so the first column name no "
            "longer matched and whole files were refused. We resent too early at first: "
            "files are only picked up every few minutes."
        ),
        error_message='Header "Invoice Number" not recognised',
        channel=Channel.CSV_SFTP,
        invoices=InvoicesBand.VERY_MANY,
        amount=AmountBand.TO_1M,
        status=Status.RESOLVED,
        workaround=(
            "Save the CSV as UTF-8 without a byte-order mark, every field double-quoted. "
            "Files are picked up every 3 to 6 minutes: wait before resending."
        ),
        days_ago=40,
        confirmations=hit(BEN),
        status_days_after=1,
    ),
    DemoReport(
        group=FOOD,
        author=LINDA,
        title="Supplier questions about the customer's Esker portal go unanswered",
        portal="esker",
        category=Category.NO_CONTACT,
        buyer_industry="Grocery retail",
        body=(
            "The portal's contact form goes to the customer's AP team, which has not "
            "answered in a month. Invoices are accepted but we cannot ask about any of them."
        ),
        channel=Channel.PORTAL_UI,
        invoices=InvoicesBand.SOME,
        amount=AmountBand.TO_100K,
        days_ago=12,
        confirmations=hit(HANNAH, days_after=2),
    ),
    DemoReport(
        group=FOOD,
        author=ANTHONY,
        title="Invoices stuck at TBD with no reason given",
        portal="taulia",
        category=Category.SKIPPED,
        buyer_industry="Foodservice distribution",
        body="eFile invoices stayed In Process with a TBD status for weeks.",
        channel=Channel.PDF,
        invoices=InvoicesBand.SOME,
        amount=AmountBand.TO_100K,
        status=Status.WORKAROUND_FOUND,
        workaround=(
            "Taulia's daily invoice submission report email explains why eFile invoices did "
            "not process; ask the account admin to add your address to it."
        ),
        days_ago=100,
        confirmations=hit(ROBERT),
    ),
    DemoReport(
        group=FOOD,
        author=HANNAH,
        title='Invoice emails refused with "530 Must issue a STARTTLS command first"',
        portal="basware",
        category=Category.ONBOARDING,
        buyer_industry="Beverage bottling",
        body="Every PDF invoice email to the customer's Basware address bounced.",
        error_message="530 Must issue a STARTTLS command first",
        channel=Channel.PDF,
        invoices=InvoicesBand.SOME,
        amount=AmountBand.TO_10K,
        status=Status.RESOLVED,
        workaround="Basware accepts TLS 1.2 or later only; our IT switched outgoing mail to it.",
        days_ago=230,
        incident_months_before=1,
        confirmations=hit(BEN),
        status_days_after=4,
    ),
    DemoReport(
        group=FOOD,
        author=BEN,
        title="CSV invoice upload not available on a Standard account",
        portal="sap-business-network",
        category=Category.CAPACITY,
        buyer_industry="Grocery retail",
        body=(
            "One customer asked us to upload invoices in bulk. CSV invoicing needs an "
            "Enterprise account; on a Standard account every invoice is keyed or flipped."
        ),
        channel=Channel.PO_FLIP,
        invoices=InvoicesBand.VERY_MANY,
        amount=AmountBand.TO_1M,
        days_ago=300,
        comments=(
            DemoComment(
                CAROL,
                "SAP's PDF invoicing may be an option for 100 to 500 invoices a year; SAP "
                "suggests cXML or EDI above about 1,500.",
                days_after=10,
            ),
        ),
        confirmations=hit(MARIA),
    ),
)

OILFIELD_REPORTS: tuple[DemoReport, ...] = (
    DemoReport(
        group=OILFIELD,
        author=CODY,
        title="New operator enablement took a week after self-registration",
        portal="openinvoice",
        category=Category.ONBOARDING,
        body=(
            "Self-registration took a few minutes, but the account was only enabled for the "
            "operator days later, and the first request was refused because our company name "
            "did not match the registered one exactly."
        ),
        channel=Channel.PORTAL_UI,
        status=Status.RESOLVED,
        workaround=(
            "Quote the exact company name registered in OpenInvoice when asking each new "
            "operator for enablement, and allow 2 to 3 days."
        ),
        days_ago=250,
        confirmations=hit(WADE, MIKE),
        status_days_after=7,
    ),
    DemoReport(
        group=OILFIELD,
        author=WADE,
        title="Disputed field tickets short-paid without a line-level reason",
        portal="openinvoice",
        category=Category.SHORT_PAY,
        body=(
            "Payments arrive short by a few lines. The dispute notice says only that the "
            "invoice was disputed, not which lines or why."
        ),
        channel=Channel.PORTAL_UI,
        invoices=InvoicesBand.SOME,
        amount=AmountBand.TO_100K,
        days_ago=35,
        comments=(
            DemoComment(
                TINA,
                "The invoice journal shows the dispute note if you open the line; the "
                "summary does not.",
                days_after=2,
            ),
            DemoComment(
                MARCUS,
                "Moved to the agenda of the next call: dispute visibility in OpenInvoice.",
                days_after=6,
            ),
        ),
        confirmations=hit(RENEE, STEVE),
        questions=(
            DemoQuestion(
                MIKE,
                "Were the disputes on field tickets or on the monthly rental lines?",
                days_after=4,
                answer="Field tickets only, so far.",
            ),
        ),
    ),
    DemoReport(
        group=OILFIELD,
        author=TINA,
        title='Line error "subtotal exceeds limit" on service invoices',
        portal="sap-business-network",
        category=Category.REJECTED_FORMAT,
        body=(
            "Service invoices against a blanket PO failed at line level. The PO carries a "
            "maximum amount of 0.00 that comes from the operator's ERP."
        ),
        error_message="The subtotal/serviced amount under this line exceeds limit",
        channel=Channel.PO_FLIP,
        invoices=InvoicesBand.FEW,
        amount=AmountBand.TO_1M,
        status=Status.WORKAROUND_FOUND,
        workaround=(
            "Only the operator can correct or remove the maximum amount on the PO. Ask for "
            "a PO change before invoicing; the supplier cannot fix it alone."
        ),
        days_ago=140,
        incident_months_before=1,
        confirmations=hit(MIKE, ANTHONY) + worked(MIKE),
    ),
    DemoReport(
        group=OILFIELD,
        author=RENEE,
        title="Integrated Supplier Link subscription asked for by one operator",
        portal="openinvoice",
        category=Category.FEES,
        body=(
            "Web submissions cost us nothing, but one operator asked for integrated "
            "submissions, which means the Supplier Link subscription, reported at about "
            "USD 200 a month."
        ),
        channel=Channel.EDI,
        fee_kind=FeeKind.SUBSCRIPTION,
        fee_size=FeeSizeBand.TO_10K,
        days_ago=190,
        confirmations=hit(CODY),
    ),
    DemoReport(
        group=OILFIELD,
        author=OLIVIA,
        title="Per-invoice fee after the free allowance of web-form invoices",
        portal="tungsten-network",
        category=Category.FEES,
        body=(
            "Beyond 52 free web-form invoices a year, each invoice costs a flat fee, bought "
            "in blocks of 25; unused ones expire after 12 months."
        ),
        channel=Channel.PORTAL_UI,
        fee_kind=FeeKind.PER_INVOICE,
        fee_size=FeeSizeBand.TO_1K,
        days_ago=85,
        confirmations=hit(WADE),
    ),
    DemoReport(
        group=OILFIELD,
        author=MIKE,
        title="Blanket PO balances not shown in PO inquiry",
        portal="tungsten-network",
        category=Category.OTHER,
        body="Blanket and planned POs are not listed in SupplierExpress PO inquiry.",
        channel=Channel.PORTAL_UI,
        status=Status.WORKAROUND_FOUND,
        workaround="Ask the operator's AP team for blanket PO balances each month.",
        days_ago=55,
    ),
    DemoReport(
        group=OILFIELD,
        author=WADE,
        title="Invoices stuck in Sent: the operator never picked them up",
        portal="sap-business-network",
        category=Category.SKIPPED,
        body=(
            "Invoices showed routing status **Sent** for two weeks. SAP support said that "
            "means waiting for the buyer to pick them up."
        ),
        channel=Channel.CXML,
        invoices=InvoicesBand.SOME,
        amount=AmountBand.TO_1M,
        status=Status.RESOLVED,
        workaround=(
            "Stuck in Sent: contact the operator. Queued for more than 30 minutes: contact "
            "SAP support."
        ),
        days_ago=275,
        confirmations=hit(CODY, STEVE),
        status_days_after=14,
    ),
    DemoReport(
        group=OILFIELD,
        author=STEVE,
        title="Invoices approved in the field but not released for payment",
        portal="openinvoice",
        category=Category.STATUS_STALE,
        body=(
            "Field approval shows on the invoice journal, but the invoices stay unpaid for "
            "weeks and the status does not change after approval."
        ),
        channel=Channel.PORTAL_UI,
        invoices=InvoicesBand.SOME,
        amount=AmountBand.TO_100K,
        days_ago=15,
        confirmations=hit(TINA, days_after=1),
    ),
)

REPORTS: tuple[DemoReport, ...] = BUILDING_REPORTS + FOOD_REPORTS + OILFIELD_REPORTS
