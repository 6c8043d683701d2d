"""The demo groups' everyday activity, as data: the steady stream of short reports that
members of a real credit group post month after month, so that the trend reports, portal
pages, the friction index and meeting snapshots have figures that at least the group's
threshold of companies stand behind.

``report_data.py`` holds the hand-written reports with their discussion; this module holds
*streams*: a portal and a problem that keep coming up, how many reports a month they bring,
and a few ways members describe them (drawn from ``shared/domain/portal_facts.md``: the
rules and error texts are the vendors' documented ones). ``load_activity.py`` turns the
streams into reports since the start of the quarter a year back, each by a member company
of the group in turn. Nothing is random.

Each group has a few big streams (the portals everybody fights with: their cells are
published), small ones (a handful of companies: their cells stay "fewer than k"), and the
two bigger groups one that started only a few months ago (shown as rising). Titles carry
the month the problem was met ("since {month}"), as members write them, which also keeps
them apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from credgroup.demo.data import BUILDING, FOOD, OILFIELD
from credgroup.reports.enums import FeeKind, FeeSizeBand, ProblemCategory, SubmissionChannel

Category, Channel = ProblemCategory, SubmissionChannel
# Activity runs from the start of the quarter this many quarters back to today: whatever
# a facilitator opens (this quarter, a meeting's last two whole quarters, twelve months, the
# friction index) has figures, and so has the period before it that "rising" compares with.
QUARTERS = 4


@dataclass(frozen=True)
class Wording:
    """One way members describe a problem. ``{month}`` in the title is the month they met
    it ("March 2026"); the workaround is what they found, shown once the status says so."""

    title: str
    body: str
    workaround: str
    error_message: str = ""
    channel: SubmissionChannel | None = None
    fee_kind: FeeKind | None = None
    fee_size: FeeSizeBand | None = None


@dataclass(frozen=True)
class Stream:
    """A portal and problem that keeps coming up in a group: ``per_month`` reports in one
    month out of ``every`` (3: the first month of each calendar quarter), in the last
    ``recent`` months only (a problem that started lately), each worded by one of
    ``wordings`` in turn (so no more a month than there are wordings: titles differ only by
    their month)."""

    portal: str  # catalogue slug
    category: ProblemCategory
    wordings: tuple[Wording, ...]
    per_month: int = 1
    every: int = 1
    recent: int = 3 * (QUARTERS + 1)


@dataclass(frozen=True)
class GroupActivity:
    group: str
    streams: tuple[Stream, ...]
    customers: tuple[str, ...] = ()  # in turn, as the group's naming policy allows
    customers_are_industries: bool = False


# --- SAP Business Network (portal_facts 1-19) ----------------------------------------------

ARIBA_REJECTED = (
    Wording(
        "INV-15 rejections on orders keyed outside the network since {month}",
        "Invoices against orders the customer's buyers entered straight into their ERP "
        "come back the same day: the order never reached the network, so there is nothing "
        "to match the invoice to.",
        "Ask the customer's purchasing desk to send the order through the network, then "
        "invoice against it by PO flip.",
        error_message=(
            "INV-15: The customer does not accept invoices for orders sent outside Ariba SN."
        ),
        channel=Channel.CXML,
    ),
    Wording(
        "INVOICE_DUPLICATE after resubmitting a corrected invoice in {month}",
        "The corrected invoice kept its number and was refused as a duplicate, although "
        "the first one had been rejected by the customer. The check looks at every channel, "
        "online, cXML, EDI and CSV alike.",
        "Resubmit the corrected invoice under a new number, the old one with a letter "
        "added (10452A), created by PO flip from the order.",
        error_message="INVOICE_DUPLICATE",
        channel=Channel.PO_FLIP,
    ),
    Wording(
        "Line rejected: serviced amount exceeds limit, {month} orders",
        "Service lines are refused because the order carries a maximum amount of 0.00. The "
        "value comes from the customer's purchasing system, so nothing on our side fixes it.",
        "Ask the customer's buyer to correct or remove the maximum amount on the order, "
        "then invoice again.",
        error_message="The subtotal/serviced amount under this line exceeds limit.",
        channel=Channel.PORTAL_UI,
    ),
    Wording(
        "INV-13 obsolete order reference on changed orders since {month}",
        "When the customer changes an order the network makes a new version, and invoices "
        "still pointing at the earlier version are refused with INV-13.",
        "Invoice against the latest version of the order; in cXML copy the order's own "
        "payloadID into the invoice's order reference.",
        error_message="INV-13: The order reference is obsolete, duplicate or replaced.",
        channel=Channel.CXML,
    ),
    Wording(
        "Rejection reason not in SAP's list of invoice errors, {month}",
        "Invoices come back with a reason worded by the customer itself, which SAP's list of "
        "invoice error messages does not explain.",
        "Buyers configure their own rejection messages: ask the customer's AP team what "
        "theirs means, and keep the answer for next time.",
        channel=Channel.PORTAL_UI,
    ),
    Wording(
        "Failed cXML invoices had to be resubmitted online, {month}",
        "Invoices rejected after arriving by cXML could not simply be sent again from our system.",
        "An invoice that failed on an integrated connection is resubmitted by hand online, "
        "under a new number (a letter added), by PO flip.",
        channel=Channel.CXML,
    ),
)

ARIBA_FEES = (
    Wording(
        "Enterprise account became chargeable in {month}",
        "One customer relationship passed both thresholds (5 documents and USD 50K within "
        "twelve months), and from then on every relationship on the account is chargeable.",
        "Check whether the account needs Enterprise features at all; a Standard account "
        "stays free whatever the volume.",
        fee_kind=FeeKind.SUBSCRIPTION,
        fee_size=FeeSizeBand.TO_1K,
    ),
    Wording(
        "Subscription moved up to the Gold tier in {month}",
        "The yearly document count crossed 100, so the annual subscription went to the "
        "Gold level. Rejected invoices do not count, so the count was ours alone.",
        "Rejected and obsoleted documents are left out of the count: ask SAP for the list "
        "behind the tier before paying.",
        fee_kind=FeeKind.SUBSCRIPTION,
        fee_size=FeeSizeBand.TO_10K,
    ),
    Wording(
        "Subscription fee at the Silver tier from {month}",
        "Between 25 and 99 documents a year with one customer put the account at the Silver "
        "level, billed quarterly from the anniversary of the first subscription invoice.",
        "The network re-counts the previous twelve months on the first of each month; fewer "
        "documents (one invoice per shipment, not per ticket) kept the next year lower.",
        fee_kind=FeeKind.SUBSCRIPTION,
        fee_size=FeeSizeBand.TO_1K,
    ),
    Wording(
        "Quarterly transaction fee invoice received in {month}",
        "A transaction fee as a percentage of the volume invoiced to one customer in the "
        "previous quarter arrived on top of the subscription.",
        "The transaction fee is capped at USD 20,000 per customer relationship a year; "
        "check the invoice against the cap.",
        fee_kind=FeeKind.PERCENTAGE,
        fee_size=FeeSizeBand.TO_10K,
    ),
    Wording(
        "Transaction fees reached the yearly cap in {month}",
        "With one large customer the percentage fee added up quickly; it stops at USD 20,000 "
        "for the relationship in a year.",
        "Fees stop at the cap: compare the year's fee invoices with it before paying the next one.",
        fee_kind=FeeKind.PERCENTAGE,
        fee_size=FeeSizeBand.OVER_10K,
    ),
)

ARIBA_STATUS = (
    Wording(
        "Paid invoices still Approved on the network since {month}",
        "The money arrived but the invoices never move past Approved: the customer does "
        "not send its remittance back to the network.",
        "Ask the customer's AP team for the expected payment date and match the bank "
        "remittance instead; nothing more to do on the network.",
        channel=Channel.CXML,
    ),
    Wording(
        "Invoices queued for hours on the network in {month}",
        "Routing status stayed Queued for most of a day instead of moving to Sent.",
        "Anything queued for more than 30 minutes is a case for SAP support; open a ticket "
        "with the invoice numbers.",
        channel=Channel.PORTAL_UI,
    ),
)

ARIBA_SKIPPED = (
    Wording(
        "PDF invoices never converted on the network in {month}",
        "Invoices sent through PDF invoicing stayed unconverted for days and never reached "
        "the customer; the network had not activated PDF invoicing for the account.",
        "PDF invoicing is meant for a few hundred invoices a year and SAP may refuse to "
        "activate it: send these by PO flip or cXML instead.",
        channel=Channel.PDF,
    ),
)

ARIBA_CAPACITY = (
    Wording(
        "CSV invoice upload refused on a Standard account, {month}",
        "Uploading a month's invoices as CSV is not offered: CSV invoicing needs an "
        "Enterprise account.",
        "Either invoice one by one by PO flip or upgrade, knowing that fees may follow.",
        channel=Channel.CSV_SFTP,
    ),
    Wording(
        "Only 200 documents visible on the network since {month}",
        "Older invoices dropped out of the history: a Standard account shows the most recent "
        "200 documents only.",
        "Keep your own copies, or use the Enterprise account's unlimited history.",
        channel=Channel.PORTAL_UI,
    ),
)

# --- Coupa (portal_facts 20-31) ------------------------------------------------------------

COUPA_STATUS = (
    Wording(
        "Coupa invoices in Pending Approval for weeks since {month}",
        "Invoices stay in Pending Approval with no dispute and no reason; the approver on "
        "the customer's side seems to have changed.",
        "Ask the customer's AP team who approves in Coupa now; once the approver was "
        "replaced, the invoices moved within days.",
        channel=Channel.PO_FLIP,
    ),
    Wording(
        "Coupa shows Booking Hold on {month} invoices",
        "A status we had never seen: Booking Hold. It is one the customer added to its own "
        "Coupa, for a mismatch in its supplier master data.",
        "Ask the customer which master-data field does not match (remit-to address, most "
        "often) and have it corrected on their side.",
        channel=Channel.PORTAL_UI,
    ),
    Wording(
        "Disputed invoices turned Abandoned in {month}",
        "Invoices the customer disputed later showed Abandoned: the dispute was given up "
        "and the invoice will not be paid as it stands.",
        "Resubmit under a different invoice number after correcting what the dispute said.",
        channel=Channel.PORTAL_UI,
    ),
    Wording(
        "Coupa status Awaiting Supplier POD on {month} invoices",
        "Invoices wait in a status the customer added, Awaiting Supplier POD, and nobody "
        "asked us for anything.",
        "Upload the proof of delivery to the invoice in Coupa; it moved on within a day.",
        channel=Channel.PORTAL_UI,
    ),
    Wording(
        "Coupa invoices Approved but unpaid past due since {month}",
        "Invoices show Approved in Coupa for weeks past their due date and nothing arrives.",
        "Approved in Coupa is not paid: the payment run is in the customer's ERP. Ask its AP "
        "team for the payment date of the approved invoices.",
        channel=Channel.PO_FLIP,
    ),
)

COUPA_REJECTED = (
    Wording(
        "cXML invoices refused at Coupa's intake since {month}",
        "Every cXML invoice to one customer fails at intake; the customer's admins get an "
        "error e-mail, we get nothing.",
        "Ask the customer for the error e-mail: it was the shared secret in the header, "
        "which no longer matched the supplier setup.",
        channel=Channel.CXML,
    ),
    Wording(
        "Flat-file invoices rejected for attachments over 8 MB in {month}",
        "Invoices with delivery tickets attached are refused: up to 10 attachments and 8 MB "
        "in all per invoice.",
        "Compress the delivery tickets and keep each invoice's files under 2 MB, as Coupa "
        "recommends.",
        channel=Channel.CSV_SFTP,
    ),
)

COUPA_ONBOARDING = (
    Wording(
        "Coupa says Unauthorized or expired account since {month}",
        "Signing in to the Coupa Supplier Portal for one customer fails with 'Unauthorized "
        "or expired account' after the customer moved to a new Coupa instance.",
        "The customer deactivated the old supplier record; ask them to reactivate it or to "
        "invite the new one.",
        error_message="Unauthorized or expired account",
        channel=Channel.PORTAL_UI,
    ),
    Wording(
        "Coupa supplier invitation lost in the customer's migration, {month}",
        "After the customer's move to a new Coupa instance our supplier record did not come "
        "along, and invoices cannot be created at all.",
        "Ask the customer's supplier-enablement team to send a new invitation to the "
        "address on file.",
        channel=Channel.PORTAL_UI,
    ),
    Wording(
        "Coupa: We're sorry, but something went wrong, {month}",
        "Every page of one customer's Coupa Supplier Portal shows only 'We're sorry, but "
        "something went wrong'.",
        "It is the customer's Coupa, not ours: ask them to open a ticket with Coupa support.",
        error_message="We're sorry, but something went wrong",
        channel=Channel.PORTAL_UI,
    ),
    Wording(
        "Two Coupa supplier accounts for one company since {month}",
        "The customer invited a second address and now half the orders go to an account "
        "nobody watches.",
        "Ask the customer to merge the supplier contacts into one account and re-send the "
        "open orders there.",
        channel=Channel.PORTAL_UI,
    ),
    Wording(
        "Coupa actionable e-mails stopped arriving in {month}",
        "Orders used to arrive as Supplier Actionable Notifications to invoice from the "
        "e-mail; after the customer's upgrade they stopped.",
        "Register in the Coupa Supplier Portal for that customer and invoice by PO flip.",
        channel=Channel.EMAIL,
    ),
)

COUPA_SKIPPED = (
    Wording(
        "PDF invoices e-mailed to Coupa never processed, {month}",
        "Invoices sent as PDF to the customer's invoice inbox were keyed in weeks later or "
        "not at all.",
        "Create the invoice in the Coupa Supplier Portal by PO flip and attach the PDF there "
        "instead of e-mailing it.",
        channel=Channel.EMAIL,
    ),
    Wording(
        "Coupa flat files picked up but no invoices created, {month}",
        "Invoice files on the customer's sFTP were collected and then nothing: no invoice, no "
        "rejection.",
        "Coupa reads UTF-8 without a byte-order mark, every field in double quotes: our export "
        "added a BOM. Files are picked up every 3 to 6 minutes, so allow for the lag.",
        channel=Channel.CSV_SFTP,
    ),
    Wording(
        "Coupa invoices deleted by the customer without notice, {month}",
        "Invoices we submitted disappeared from the customer's Coupa; nobody told us, and "
        "they were never paid.",
        "A deleted invoice's number can be used again: re-issue it under the same number "
        "and ask the customer's AP team why it was deleted.",
        channel=Channel.PORTAL_UI,
    ),
)

BASWARE_CAPACITY = (
    Wording(
        "Basware refuses invoice e-mails over 10 MB, {month}",
        "E-mails with several invoices and their delivery notes bounce as too large.",
        "Stay under 10 MB per e-mail (one article says 30 MB, an older one 10 MB) and send "
        "one invoice per e-mail when attachments go with it.",
        channel=Channel.PDF,
    ),
    Wording(
        "Basware takes at most 100 PDFs per e-mail, {month}",
        "A month-end batch of invoices in one e-mail was only partly processed.",
        "No more than 100 PDFs in one e-mail, one invoice per PDF; split month-end batches.",
        channel=Channel.PDF,
    ),
    Wording(
        "Basware Portal history gone after three months, {month}",
        "Invoices sent through the Basware Portal no longer show after three months, and "
        "there is no archive to look them up.",
        "Keep your own copies of what was sent; the Portal keeps documents for three months only.",
        channel=Channel.PORTAL_UI,
    ),
)

# --- the others -------------------------------------------------------------------------------

TRADESHIFT_REJECTED = (
    Wording(
        "Tradeshift refuses invoice dates older than 30 days since {month}",
        "Late invoices are refused as 'Unacceptable invoice date'; the customer only "
        "accepts dates within 30 days.",
        "The window is the customer's rule, shown on its landing page in Tradeshift's "
        "Support app; re-date within it.",
        error_message="Unacceptable invoice date",
        channel=Channel.PORTAL_UI,
    ),
    Wording(
        "Tradeshift: Matching with Order failed in {month}",
        "Invoices with a line the order does not have are refused.",
        "Rebuild the invoice from the order's own lines.",
        error_message="Matching with Order failed",
        channel=Channel.PORTAL_UI,
    ),
)

BASWARE_REJECTED = (
    Wording(
        "Basware drops PDF invoices sent with a logo in the signature, {month}",
        "E-mailed PDF invoices disappear: the logo image in the e-mail signature counts as "
        "a second attachment and stops processing.",
        "One invoice per PDF, the Basware address in To, and no images in the signature.",
        channel=Channel.PDF,
    ),
    Wording(
        "Basware: 530 Must issue a STARTTLS command first, {month}",
        "Invoice e-mails bounce with an SMTP error from Basware.",
        "Basware accepts mail only over TLS 1.2 or later; our mail server had to be set to "
        "use STARTTLS.",
        error_message="530 Must issue a STARTTLS command first",
        channel=Channel.PDF,
    ),
)

TAULIA_STATUS = (
    Wording(
        "Taulia invoices In Process with status TBD since {month}",
        "Invoices sit In Process with no payment date for weeks.",
        "Taulia does not approve invoices, the customer does: ask its AP team; the daily "
        "submission report explains eFile invoices that did not process.",
        channel=Channel.CSV_SFTP,
    ),
)

TAULIA_SHORT_PAY = (
    Wording(
        "Taulia early-payment discount taken without asking, {month}",
        "Payments arrived early and short: the account had Cashflow switched on, which "
        "accepts early payment automatically in exchange for a percentage.",
        "Turn Cashflow off in the Taulia account; accepted early payments cannot be reversed.",
        channel=Channel.PORTAL_UI,
    ),
    Wording(
        "Taulia remittances short by an early-payment percentage, {month}",
        "Remittances came in below the invoice total with only 'early payment' as the "
        "reason, for invoices nobody here offered early.",
        "Check the account's early-payment settings for the customer in Taulia and ask its "
        "AP team for the offer that was accepted.",
        channel=Channel.PORTAL_UI,
    ),
)

ESKER_SKIPPED = (
    Wording(
        "Invoices uploaded to Esker never reach the customer's AP, {month}",
        "The portal shows the upload as received, but the customer's AP team has no trace "
        "of the invoices.",
        "Send the invoice numbers to the customer's AP team and ask them to look in their "
        "exception queue.",
        channel=Channel.PDF,
    ),
    Wording(
        "Esker shows invoices received for weeks, {month}",
        "Invoices stay at 'received' in the customer's Esker portal with no approval and no "
        "payment date.",
        "Ask the customer's AP team for the status on their side; the portal's status is "
        "not updated until they act.",
        channel=Channel.PORTAL_UI,
    ),
    Wording(
        "Invoices e-mailed to the customer's Esker inbox not captured, {month}",
        "PDF invoices sent to the address the customer gave for Esker were never captured.",
        "Send one invoice per PDF to that address only, and ask the customer to confirm "
        "capture of the first few.",
        channel=Channel.EMAIL,
    ),
)

OPENINVOICE_ONBOARDING = (
    Wording(
        "OpenInvoice enablement for a new operator took weeks, {month}",
        "Registering took minutes, but the operator enabled us only after we quoted the "
        "exact company name registered in OpenInvoice.",
        "Quote the company name exactly as registered when asking a new operator for "
        "enablement, and plan for two or three days.",
        channel=Channel.PORTAL_UI,
    ),
)

OPENINVOICE_SHORT_PAY = (
    Wording(
        "OpenInvoice invoices paid short after a line dispute, {month}",
        "Lines were disputed and the rest paid; the reason was only in the invoice journal.",
        "Read the invoice journal for the dispute reason and answer there; the operator "
        "sees the message at once.",
        channel=Channel.PORTAL_UI,
    ),
)

OPENINVOICE_REJECTED = (
    Wording(
        "OpenInvoice rejects field tickets without the operator's coding, {month}",
        "Invoices are rejected because the operator's cost coding is missing on each line.",
        "Ask the operator's field contact for the coding with the field ticket and enter it "
        "per line.",
        channel=Channel.PORTAL_UI,
    ),
    Wording(
        "OpenInvoice rejects invoices without the AFE number, {month}",
        "Invoices for well work are returned because the operator's AFE number is missing.",
        "Get the AFE number with the work order and enter it on the invoice header.",
        channel=Channel.PORTAL_UI,
    ),
    Wording(
        "OpenInvoice: field ticket attachment required since {month}",
        "The operator now returns any invoice without the signed field ticket attached.",
        "Attach the signed field ticket as a PDF to each invoice before submitting.",
        channel=Channel.PORTAL_UI,
    ),
)

JAGGAER_CONNECTION = (
    Wording(
        "Jaggaer cXML connection fails on unit-of-measure mapping, {month}",
        "Setting up the cXML connection to an operator's Jaggaer, test invoices fail because "
        "our units of measure are not mapped in their setup.",
        "Map the units to the ones the operator's cXML handbook lists and validate against "
        "the DTD before the next test.",
        channel=Channel.CXML,
    ),
    Wording(
        "Jaggaer cXML test invoices fail on special characters, {month}",
        "Test invoices with an ampersand or a degree sign in the description are refused "
        "while the connection is being set up.",
        "Escape special characters (or wrap the text in CDATA) and send dates and amounts in "
        "the handbook's formats.",
        channel=Channel.CXML,
    ),
)

COUPA_SHORT_PAY = (
    Wording(
        "Coupa payments short with no deduction reason, {month}",
        "Remittances from one operator's Coupa are below the invoice total and name no "
        "reason for the difference.",
        "Ask the operator's AP team for the deduction detail; the Coupa invoice shows the "
        "lines as approved, so the gap is in their payment run.",
        channel=Channel.PORTAL_UI,
    ),
    Wording(
        "Coupa invoice paid at the order quantity, not the delivered one, {month}",
        "Extra footage delivered and invoiced was paid only up to the order quantity.",
        "Ask the operator to change the order before invoicing overruns; otherwise invoice "
        "the overrun separately against a change order.",
        channel=Channel.PO_FLIP,
    ),
)


# The main streams bring at least the group's threshold of companies' reports every month,
# so even a quarter just begun publishes them; others build up over a quarter (published
# once enough companies met them) or stay small. Small ones come in pairs along every row
# and column of the heat map, so that two small cells hide each other and suppression need
# not take a big one to protect them; most come in the first month of each quarter.
ACTIVITY: tuple[GroupActivity, ...] = (
    GroupActivity(
        group=BUILDING,
        streams=(
            Stream("sap-business-network", Category.REJECTED_FORMAT, ARIBA_REJECTED, per_month=5),
            Stream("coupa", Category.STATUS_STALE, COUPA_STATUS, per_month=5),
            Stream("sap-business-network", Category.FEES, ARIBA_FEES, per_month=2),
            Stream("coupa", Category.ONBOARDING, COUPA_ONBOARDING, per_month=2, recent=5),
            Stream("sap-business-network", Category.STATUS_STALE, ARIBA_STATUS),
            Stream("coupa", Category.REJECTED_FORMAT, COUPA_REJECTED),
            Stream("tradeshift", Category.REJECTED_FORMAT, TRADESHIFT_REJECTED),
            Stream("taulia", Category.STATUS_STALE, TAULIA_STATUS),
            Stream("sap-business-network", Category.CAPACITY, ARIBA_CAPACITY, per_month=2, every=3),
            Stream("coupa", Category.SKIPPED, COUPA_SKIPPED, per_month=3, every=3),
            Stream("esker", Category.SKIPPED, ESKER_SKIPPED, per_month=3, every=3),
            Stream("basware", Category.CAPACITY, BASWARE_CAPACITY, per_month=3, every=3),
        ),
        customers=(
            "Lakeside Home Centers",
            "Great Plains Builders Supply",
            "Metro Commercial Contractors",
            "Lakeside Home Centers",
            "Harbor Point Construction",
            "Prairie Home Stores",
            "Great Plains Builders Supply",
            "Riverside Building Centers",
        ),
    ),
    GroupActivity(
        group=FOOD,
        streams=(
            Stream("sap-business-network", Category.FEES, ARIBA_FEES, per_month=5),
            Stream("coupa", Category.ONBOARDING, COUPA_ONBOARDING, per_month=5),
            Stream("sap-business-network", Category.REJECTED_FORMAT, ARIBA_REJECTED, per_month=2),
            Stream("taulia", Category.SHORT_PAY, TAULIA_SHORT_PAY, per_month=2, recent=5),
            Stream("sap-business-network", Category.STATUS_STALE, ARIBA_STATUS),
            Stream("coupa", Category.SKIPPED, COUPA_SKIPPED),
            Stream("sap-business-network", Category.CAPACITY, ARIBA_CAPACITY, per_month=2, every=3),
            Stream("coupa", Category.STATUS_STALE, COUPA_STATUS, per_month=2, every=3),
            Stream("basware", Category.CAPACITY, BASWARE_CAPACITY, per_month=3, every=3),
            Stream("esker", Category.SKIPPED, ESKER_SKIPPED, per_month=3, every=3),
        ),
        customers=(
            "Grocery retail",
            "Foodservice distribution",
            "Grocery retail",
            "Quick-service restaurants",
            "Snack food manufacturing",
            "Grocery retail",
            "Beverage bottling",
        ),
        customers_are_industries=True,
    ),
    GroupActivity(
        group=OILFIELD,
        streams=(
            Stream("openinvoice", Category.REJECTED_FORMAT, OPENINVOICE_REJECTED, per_month=3),
            Stream("sap-business-network", Category.REJECTED_FORMAT, ARIBA_REJECTED, per_month=3),
            Stream("openinvoice", Category.SHORT_PAY, OPENINVOICE_SHORT_PAY),
            Stream("openinvoice", Category.ONBOARDING, OPENINVOICE_ONBOARDING),
            Stream("jaggaer", Category.ONBOARDING, JAGGAER_CONNECTION, per_month=2, every=3),
            Stream("coupa", Category.SHORT_PAY, COUPA_SHORT_PAY, per_month=2, every=3),
        ),
    ),
)
