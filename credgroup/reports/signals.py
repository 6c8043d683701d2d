"""Signals other features listen to (notify sends email, search indexes). Each carries the
report and never the author."""

from blinker import Namespace

_signals = Namespace()

#: A report became visible to its group (``sender`` is the Report).
report_published = _signals.signal("report-published")
#: A published report changed (edit, status, merge, moderation).
report_changed = _signals.signal("report-changed")
#: A report stopped being visible (withdrawn, rejected, merged).
report_removed = _signals.signal("report-removed")
#: Someone asked the reporter a question (``sender`` is the ReportQuestion).
question_asked = _signals.signal("question-asked")
#: The reporter answered (``sender`` is the ReportQuestion).
question_answered = _signals.signal("question-answered")
#: A facilitator left a note for the (unknown) author (``sender`` is the Report or comment).
facilitator_note_left = _signals.signal("facilitator-note-left")
