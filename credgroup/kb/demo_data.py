"""Demo knowledge-base articles, as data: real supplier-side workarounds paraphrased from
``shared/domain/portal_facts.md`` (the vendors' and buyers' public help pages).

Authors, confirmers and groups refer to the demo association of ``credgroup/demo/data.py``
by email and slug; ``credgroup/kb/demo.py`` turns this into rows through the services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

BUILDING, FOOD, OILFIELD = "building-materials", "food-beverage", "oilfield-services"
FACILITATOR = "facilitator@demo-credit.example"
ENERGY_FACILITATOR = "energy.facilitator@demo-credit.example"

# Members who may confirm association-wide articles, by group.
DANA = "credit@northfield-aggregates.example"
KAREN = "karen.holt@ridgelinegypsum.example"
GREG = "greg.novak@keystonelumber.example"
ANGELA = "angela.price@summitroofing.example"
RENEE = "renee.castillo@ironcladfasteners.example"
LINDA = "linda.marsh@blueprairiefoods.example"
HANNAH = "hannah.lee@cascadepackaging.example"
ROBERT = "robert.king@goldenvalleydairy.example"
JULIE = "julie.park@lakeshorebev.example"
STEVE = "steve.grant@meridianchem.example"
CODY = "cody.harmon@permianwellhead.example"
WADE = "wade.larsen@basinproppant.example"


@dataclass(frozen=True)
class DemoArticle:
    key: str  # external id: "demo:<key>"
    title: str
    portal: str  # catalogue slug
    problem: str
    workaround: str
    categories: tuple[str, ...]
    channels: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    error_text: str = ""
    buyer_name: str = ""
    group: str | None = None  # None: association-wide
    author: str | None = FACILITATOR  # email; None: "The association"
    anonymous: bool = False
    published_months_ago: int = 4
    worked: tuple[str, ...] = ()  # members whose company says "worked for us"
    worked_months_ago: int = 1
    failed: tuple[str, ...] = ()  # members whose company says "no longer works" (recently)
    # A later edit: (editor email, summary, changed fields).
    edit: tuple[str, str, dict[str, Any]] | None = None
    # A pending suggested edit: (member email, summary, proposed fields).
    suggestion: tuple[str, str, dict[str, Any]] | None = field(default=None)


ARTICLES: tuple[DemoArticle, ...] = (
    DemoArticle(
        key="ariba-inv-15",
        title="INV-15 / INV-13: the invoice must reference the PO as it exists on the network",
        portal="sap-business-network",
        problem=(
            "Invoices sent by cXML or EDI come back although the PO exists. The customer's "
            "SAP Business Network account only accepts invoices against orders it sent "
            "itself, and matches them by the PO's own reference, not by the PO number alone."
        ),
        error_text=(
            "INV-15 customer does not accept invoices for orders sent outside Ariba SN\n"
            "INV-13 order reference is obsolete, duplicate or replaced"
        ),
        workaround=(
            "1. Find the PO on the network and note its `payloadID` and order date.\n"
            "2. **cXML:** in `InvoiceDetailOrderInfo`, send either `OrderReference` with the "
            "PO's `DocumentReference payloadID`, or `OrderIDInfo` with the PO's `orderDate` "
            "in the same format as on the PO.\n"
            "3. **EDI 810:** put the PO number in BIG04 and copy the PO date from the 850's "
            "BEG05 into BIG03.\n"
            "4. Resubmit under a **new** invoice number (the rejected one counts as used).\n\n"
            "Source: SAP KB0392737."
        ),
        categories=("rejected_format",),
        channels=("cxml", "edi"),
        tags=("inv-15", "inv-13", "po reference", "payloadid"),
        published_months_ago=7,
        worked=(DANA, KAREN, LINDA, STEVE),
        worked_months_ago=1,
        edit=(
            FACILITATOR,
            "Added the EDI 810 fields",
            {"tags": ["inv-15", "inv-13", "po reference", "payloadid", "edi 810"]},
        ),
    ),
    DemoArticle(
        key="ariba-duplicate",
        title="INVOICE_DUPLICATE after a rejection: resubmit under a new number",
        portal="sap-business-network",
        problem=(
            "A corrected invoice is refused as a duplicate. The network checks the invoice "
            "number on every channel (online, cXML, EDI, CSV), including invoices it rejected."
        ),
        error_text="INVOICE_DUPLICATE",
        workaround=(
            "1. Give the corrected invoice a different number: add a suffix letter "
            "(`12345A`).\n"
            "2. Create it by **PO flip** so catalogue number, unit of measure and price mirror "
            "the PO.\n"
            "3. An invoice that failed through an integrated (cXML/EDI) connection must be "
            "resubmitted manually online.\n\n"
            "Rejected invoices do not count toward the document count that sets the fee tier."
        ),
        categories=("rejected_format",),
        channels=("portal_ui", "po_flip", "cxml", "edi"),
        tags=("duplicate", "resubmit", "suffix"),
        author=LINDA,
        anonymous=True,
        worked=(HANNAH, ROBERT, GREG),
        worked_months_ago=2,
    ),
    DemoArticle(
        key="ariba-paid-approved",
        title="Paid, but the network still says “Approved”",
        portal="sap-business-network",
        problem=(
            "The money arrived weeks ago but the invoice status never moved to Paid, so the "
            "portal cannot be used to reconcile."
        ),
        workaround=(
            "1. Know the two fields apart: **routing status** is transport (Queued, Sent, "
            "Acknowledged, Failed); **invoice status** is the customer's processing.\n"
            "2. Not every customer sends payment data back to the network: a status stuck "
            "on Approved is normal for them.\n"
            "3. Ask the customer's AP team for the expected payment date, and reconcile from "
            "the remittance advice instead of the portal."
        ),
        categories=("status_stale",),
        channels=("portal_ui",),
        tags=("status", "remittance", "approved"),
        worked=(KAREN, ANGELA, JULIE),
        worked_months_ago=3,
    ),
    DemoArticle(
        key="ariba-routing",
        title="Routing status Queued, Sent or Failed: who to call",
        portal="sap-business-network",
        problem="The customer says it never got the invoice; the network shows it went out.",
        workaround=(
            "- **Queued for more than 30 minutes:** open a case with SAP support.\n"
            "- **Sent** (never Acknowledged): the customer has not picked it up; contact "
            "the customer.\n"
            "- **Failed:** it broke one of the customer's rules and was never delivered; "
            "edit and resubmit it.\n"
            "- **Obsoleted:** it was cancelled or replaced."
        ),
        categories=("skipped", "status_stale"),
        channels=("portal_ui", "cxml", "edi"),
        tags=("routing status", "queued", "failed"),
        worked=(DANA, RENEE),
    ),
    DemoArticle(
        key="ariba-fees",
        title="Enterprise account became chargeable: check the two thresholds first",
        portal="sap-business-network",
        problem=(
            "A subscription invoice arrived from the network after years of free use. "
            "Enterprise accounts start free and become chargeable once, within one customer "
            "relationship over a rolling 12 months, the supplier passes both 5 documents "
            "and USD 50,000."
        ),
        workaround=(
            "1. Check the account type: Standard accounts are always free.\n"
            "2. If the Enterprise features are not needed, stay on (or return to) Standard "
            "with that customer and work by interactive email.\n"
            "3. Rejected invoices, obsoleted POs and earlier PO versions do not count toward "
            "the document count.\n"
            "4. Transaction fees stop at the published cap per customer relationship per "
            "year (KB0394021)."
        ),
        categories=("fees",),
        channels=("portal_ui",),
        tags=("standard account", "enterprise account", "subscription"),
        worked=(ROBERT, HANNAH),
        worked_months_ago=2,
    ),
    DemoArticle(
        key="ariba-csv",
        title="CSV invoice upload is greyed out on a Standard account",
        portal="sap-business-network",
        problem="Bulk CSV invoicing is not offered; only one invoice at a time can be keyed.",
        workaround=(
            "CSV invoicing needs an Enterprise account. Either:\n\n"
            "1. invoice by **PO flip**, one invoice at a time (free), or\n"
            "2. move high volumes to cXML or EDI, or\n"
            "3. upgrade knowingly: fees may follow (see the thresholds article)."
        ),
        categories=("capacity",),
        channels=("csv_sftp", "po_flip"),
        tags=("csv", "standard account", "bulk"),
        group=BUILDING,
        author=GREG,
        worked=(DANA, ANGELA),
    ),
    DemoArticle(
        key="ariba-maxamount",
        title="“Subtotal exceeds limit” on a line: the PO's MaxAmount is too low",
        portal="sap-business-network",
        problem=(
            "A line is refused although the invoice matches the delivery. The PO carries a "
            "maximum amount (often 0.00) that comes from the customer's ERP."
        ),
        error_text="subtotal/serviced amount under this line exceeds limit",
        workaround=(
            "1. Open the PO's details and look for `MaxAmount`, `MaximumUnplanned` or "
            "`ExpectedUnplanned`.\n"
            "2. Ask the customer's buyer to correct or remove the value on the PO: the "
            "supplier cannot change it.\n"
            "3. Invoice again once the PO is re-sent."
        ),
        categories=("rejected_format",),
        channels=("cxml", "portal_ui"),
        tags=("maxamount", "service po", "line limit"),
        group=FOOD,
        author=JULIE,
        anonymous=True,
        worked=(LINDA, ROBERT),
    ),
    DemoArticle(
        key="ariba-pdf",
        title="PDF invoicing on the network: volume and file rules",
        portal="sap-business-network",
        problem=(
            "PDF invoices are converted slowly or come back unreadable, and the customer "
            "still rejects some of them."
        ),
        workaround=(
            "1. PDF invoicing suits about 100 to 500 invoices a year; above about 1,500 use "
            "cXML or EDI.\n"
            "2. Send digitally generated PDFs only (not scans), one invoice per file, no "
            "password, the layout mapped at onboarding.\n"
            "3. Check the converted invoice: conversion takes minutes to hours and every "
            "customer rule still applies."
        ),
        categories=("capacity", "rejected_format"),
        channels=("pdf",),
        tags=("pdf", "conversion", "volume"),
        published_months_ago=10,
        worked=(GREG,),
        worked_months_ago=9,
        failed=(HANNAH,),
    ),
    DemoArticle(
        key="coupa-unauthorized",
        title="Coupa: “Unauthorized or expired account”",
        portal="coupa",
        problem="Signing in to the customer's Coupa Supplier Portal fails.",
        error_text="Unauthorized or expired account",
        workaround=(
            "1. The customer has deactivated the supplier record or the supplier user on its "
            "side; Coupa cannot fix this for you.\n"
            "2. Ask the customer's supplier-enablement or AP team to reactivate it.\n"
            "3. If that does not help, they escalate to Coupa support."
        ),
        categories=("onboarding",),
        channels=("portal_ui",),
        tags=("login", "deactivated"),
        worked=(DANA, LINDA, JULIE, CODY),
        worked_months_ago=0,
        suggestion=(
            KAREN,
            "Mention the supplier actionable notifications",
            {
                "workaround": (
                    "1. The customer has deactivated the supplier record or the supplier user "
                    "on its side; Coupa cannot fix this for you.\n"
                    "2. Ask the customer's supplier-enablement or AP team to reactivate it.\n"
                    "3. If that does not help, they escalate to Coupa support.\n"
                    "4. Meanwhile, invoices can still be created from the PO email (Supplier "
                    "Actionable Notifications) if the customer has them switched on."
                )
            },
        ),
    ),
    DemoArticle(
        key="coupa-went-wrong",
        title="Coupa: “We're sorry, but something went wrong”",
        portal="coupa",
        problem="The portal shows a generic error page on the customer's instance.",
        error_text="We're sorry, but something went wrong",
        workaround=(
            "This is a configuration or update problem on the customer's instance.\n\n"
            "1. Tell the customer's AP team the page and the time it happened.\n"
            "2. The customer opens a ticket with Coupa support; suppliers cannot."
        ),
        categories=("other", "no_contact"),
        channels=("portal_ui",),
        tags=("error page",),
        worked=(HANNAH,),
    ),
    DemoArticle(
        key="coupa-submitted-error",
        title="Coupa: a submitted invoice has a mistake",
        portal="coupa",
        problem="Only drafts can be edited; a submitted invoice with a wrong amount is stuck.",
        workaround=(
            "1. Ask the customer to reject (dispute) or void the invoice.\n"
            "2. If the customer deletes it, its number can be reused; otherwise issue the "
            "corrected invoice under a new number.\n"
            "3. In clearance countries (e-invoicing compliance) the corrected invoice may "
            "need a new number anyway."
        ),
        categories=("rejected_format",),
        channels=("portal_ui", "po_flip"),
        tags=("dispute", "void", "correction"),
        worked=(KAREN, STEVE),
    ),
    DemoArticle(
        key="coupa-email-pdf",
        title="PDF invoices emailed to the customer's AP inbox get paid late",
        portal="coupa",
        problem=(
            "Invoices emailed as PDF to the customer's invoice address take weeks longer "
            "than those created in the portal."
        ),
        workaround=(
            "A PDF sent to the invoice inbox may be keyed in by hand at the customer.\n\n"
            "1. Create the invoice in the Coupa Supplier Portal by **PO flip**.\n"
            "2. Attach the PDF copy to it there.\n"
            "3. If email must be used, send to the single address the customer gave, one "
            "invoice per PDF."
        ),
        categories=("skipped",),
        channels=("email", "pdf", "po_flip"),
        tags=("pdf", "ap inbox", "late payment"),
        group=FOOD,
        author=HANNAH,
        worked=(LINDA, STEVE, ROBERT),
    ),
    DemoArticle(
        key="coupa-cxml",
        title="Coupa: cXML invoices refused at intake",
        portal="coupa",
        problem="Integrated invoices never show up; the customer's admins get an error email.",
        workaround=(
            "Most failures are configuration, not content:\n\n"
            "1. The DOCTYPE must point at `InvoiceDetail.dtd`.\n"
            "2. The header credentials must match the supplier set-up at that customer.\n"
            "3. Check the `DocumentReference payloadID` of the PO you invoice.\n"
            "4. Ask the customer for the error email: it holds the error and your cXML."
        ),
        categories=("rejected_format",),
        channels=("cxml",),
        tags=("cxml", "credentials", "dtd"),
        worked=(STEVE,),
    ),
    DemoArticle(
        key="coupa-flat-file",
        title="Coupa flat files over sFTP: format, attachments and timing",
        portal="coupa",
        problem="CSV invoice files are silently skipped or attachments are missing.",
        workaround=(
            "1. Follow RFC 4180: comma separated, every field double-quoted, quotes doubled, "
            "UTF-8 **without BOM**.\n"
            "2. At most 10 attachments and 8 MB per invoice (keep it near 2 MB): zip the CSV "
            "with its attachments.\n"
            "3. Files are picked up every 3 to 6 minutes; do not resend before then."
        ),
        categories=("capacity", "rejected_format"),
        channels=("csv_sftp",),
        tags=("sftp", "csv", "bom", "attachments"),
        author=None,
        worked=(RENEE, WADE),
    ),
    DemoArticle(
        key="coupa-abandoned",
        title="Coupa statuses a customer added: “Abandoned”, “Awaiting Supplier POD”",
        portal="coupa",
        problem="The invoice shows a status that Coupa's own help does not list.",
        workaround=(
            "Customers can add their own workflow states.\n\n"
            "- **Abandoned:** a disputed invoice was given up; resubmit under a different "
            "invoice number.\n"
            "- **Awaiting Supplier POD:** upload the proof of delivery in Coupa.\n"
            "- **Booking Hold:** master data does not match; ask AP which field."
        ),
        categories=("status_stale",),
        channels=("portal_ui",),
        tags=("status", "pod", "abandoned"),
        buyer_name="John Lewis Partnership",
        worked=(KAREN,),
    ),
    DemoArticle(
        key="tradeshift-duplicate",
        title="Tradeshift: “This document number has already been used”",
        portal="tradeshift",
        problem="A new invoice is refused although our own copy of the old one was deleted.",
        error_text="This document number has already been used",
        workaround=(
            "The check also looks at the customer's side, so deleting your copy does not "
            "free the number.\n\n"
            "1. Search Document Manager for the clashing document.\n"
            "2. Use the next number Tradeshift suggests."
        ),
        categories=("rejected_format",),
        channels=("portal_ui",),
        tags=("duplicate", "document number"),
        worked=(ANGELA, JULIE),
    ),
    DemoArticle(
        key="tradeshift-sodexo",
        title="Sodexo on Tradeshift: pre-check the customer's rules before sending",
        portal="tradeshift",
        problem="Invoices that Tradeshift accepts are rejected by the customer's own checks.",
        workaround=(
            "Check each invoice against the published rules before sending:\n\n"
            "1. Invoice number at most 16 characters.\n"
            "2. Issue date present, not older than 6 months, not in the future.\n"
            "3. Totals reconcile within 1 cent.\n"
            "4. The PO is still Open; a cost centre is given.\n"
            "5. No supplier + number combination twice."
        ),
        categories=("rejected_format",),
        channels=("portal_ui", "csv_sftp"),
        tags=("validation rules", "invoice number length"),
        buyer_name="Sodexo",
        group=BUILDING,
        author=ANGELA,
        anonymous=True,
        worked=(DANA, GREG),
    ),
    DemoArticle(
        key="tradeshift-rounding",
        title="Tradeshift: one-cent differences and backdated invoices",
        portal="tradeshift",
        problem="Totals differ from the ERP by a cent, or older invoices are refused.",
        error_text="Unacceptable invoice date",
        workaround=(
            "1. Tradeshift's web form rounds half to even (banker's rounding): compare totals "
            "with the same rule.\n"
            "2. Customers set a date window (often 14, 30, 60 or 90 days): re-date inside it "
            "as the customer's rules allow.\n"
            "3. The customer's rules are on its landing page in the Support app."
        ),
        categories=("rejected_format",),
        channels=("portal_ui",),
        tags=("rounding", "invoice date"),
        worked=(ROBERT,),
    ),
    DemoArticle(
        key="basware-pdf-email",
        title="Basware: PDF invoices by email that are never processed",
        portal="basware",
        problem="Emailed PDF invoices disappear without an answer.",
        workaround=(
            "1. Put the Basware address in **To** (not Cc/Bcc), only one Basware address per "
            "email.\n"
            "2. One invoice per PDF; no password; first page not blank; scans at 300 dpi or "
            "more; at most 100 PDFs per email.\n"
            "3. File names: letters, digits, dot, underscore and space only.\n"
            "4. Remove logo images from the signature; non-PDF attachments are dropped.\n"
            "5. Send from an address that can receive replies, so rejection notices arrive.\n"
            "6. Stay under 10 MB per email."
        ),
        categories=("skipped", "rejected_format"),
        channels=("pdf", "email"),
        tags=("scan and capture", "pdf", "email"),
        group=FOOD,
        author=FACILITATOR,
        worked=(LINDA, HANNAH, JULIE),
    ),
    DemoArticle(
        key="basware-starttls",
        title="Basware: “530 Must issue a STARTTLS command first”",
        portal="basware",
        problem="Our mail server's invoices bounce.",
        error_text="530 Must issue a STARTTLS command first",
        workaround=(
            "Basware accepts mail only over TLS 1.2 or newer.\n\n"
            "1. Ask IT to enable STARTTLS with TLS 1.2+ on the sending server.\n"
            "2. Stop-gap suggested by Basware: send from a mail provider that enforces TLS."
        ),
        categories=("rejected_format",),
        channels=("email",),
        tags=("tls", "smtp"),
        worked=(STEVE,),
    ),
    DemoArticle(
        key="tungsten-rejection",
        title="Tungsten Network: automatic rejection before the customer sees it",
        portal="tungsten-network",
        problem="The customer has no trace of invoices we sent through Tungsten.",
        workaround=(
            "1. Tungsten checks mandatory data first; a failure emails **you** automatically.\n"
            "2. Then it checks the customer's file format and timelines; that failure emails "
            "the customer.\n"
            "3. Future-dated invoices are not accepted.\n"
            "4. Approval status is only visible if the customer uses the Invoice Status "
            "Service; if nothing shows, ask them."
        ),
        categories=("skipped", "status_stale"),
        channels=("portal_ui",),
        tags=("rejection email", "invoice status service"),
        author=None,
        published_months_ago=15,
    ),
    DemoArticle(
        key="taulia-cashflow",
        title="Taulia: early payment taken automatically (“Cashflow”)",
        portal="taulia",
        problem="Payments arrive early but short by a percentage we never agreed to each time.",
        workaround=(
            "1. Accepted early-payment offers cannot be reversed.\n"
            "2. The Cashflow setting accepts early payment automatically after approval; "
            "turn it off in the supplier settings if it is not wanted.\n"
            "3. For invoices stuck “In Process”, read the daily invoice submission report "
            "email: it says why an invoice did not process."
        ),
        categories=("short_pay", "fees"),
        channels=("portal_ui",),
        tags=("early payment", "cashflow", "discount"),
        worked=(GREG, ROBERT),
    ),
    DemoArticle(
        key="openinvoice-onboarding",
        title="OpenInvoice: new customer enablement takes days",
        portal="openinvoice",
        problem="A new operator's invoices cannot be sent although we are registered.",
        workaround=(
            "1. Self-registration takes about 15 minutes; the account is enabled 2 to 3 days "
            "later.\n"
            "2. Already registered: ask each new customer to enable you, quoting the exact "
            "company name registered in OpenInvoice.\n"
            "3. Plan the first invoices with that lag in mind."
        ),
        categories=("onboarding",),
        channels=("portal_ui",),
        tags=("enablement", "registration"),
        group=OILFIELD,
        author=ENERGY_FACILITATOR,
        worked=(CODY, WADE),
    ),
    DemoArticle(
        key="jaggaer-cxml",
        title="Jaggaer cXML rejects: units of measure, currencies and special characters",
        portal="jaggaer",
        problem="Integrated invoices fail validation at the customer's Jaggaer.",
        workaround=(
            "1. Validate the document against the cXML DTD version the customer supports.\n"
            "2. Map every unit of measure; unmapped UoM values are the most common reject.\n"
            "3. Currencies as ISO 4217 codes; dates and numbers in the documented formats.\n"
            "4. Escape special characters (or wrap text in CDATA)."
        ),
        categories=("rejected_format",),
        channels=("cxml",),
        tags=("cxml", "uom", "iso 4217"),
        group=OILFIELD,
        author=WADE,
        anonymous=True,
        worked=(CODY,),
    ),
)
