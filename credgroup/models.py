"""Imports every feature's models so metadata (Alembic, create_all) sees all tables."""

from credgroup.accounts.models import (  # noqa: F401
    ApiToken,
    Invitation,
    LoginAttempt,
    PasswordResetToken,
    User,
)
from credgroup.audit.models import AuditEvent  # noqa: F401
from credgroup.groups.models import (  # noqa: F401
    Association,
    CreditGroup,
    FacilitatorAssignment,
    GroupMembership,
    MemberCompany,
)
from credgroup.kb.models import (  # noqa: F401
    Article,
    ArticleConfirmation,
    ArticleReportLink,
    ArticleRevision,
    EditSuggestion,
)
from credgroup.meetings.models import (  # noqa: F401
    ActionItem,
    AgendaItem,
    Attendance,
    CalendarFeedToken,
    CallForItems,
    ItemSubmission,
    Meeting,
    MeetingSeries,
    Minutes,
    MinutesEntry,
    MinutesReview,
    ReminderLog,
    Rsvp,
    StandingItem,
    StatementAcknowledgement,
)
from credgroup.notify.models import OutboxEmail  # noqa: F401
from credgroup.portals.models import Portal  # noqa: F401
from credgroup.reports.models import (  # noqa: F401
    DigestItem,
    Report,
    ReportComment,
    ReportConfirmation,
    ReportQuestion,
    Watch,
)
from credgroup.search.models import SearchOutbox, SearchQueryLog  # noqa: F401
from credgroup.trends.models import TrendSnapshot  # noqa: F401
from credgroup.worker.models import JobRun, WorkerLease  # noqa: F401
