"""Meetings: series, the call for items, agendas, calendars and reminders (core), and
attendance, acknowledgements, minutes and action items (records)."""

from flask import Flask


def init_app(app: Flask) -> None:
    from credgroup.meetings import views

    app.register_blueprint(views.bp)
    from credgroup.meetings import records_views  # RSVP, attendance, minutes, actions, print

    app.register_blueprint(records_views.bp)
    from credgroup.meetings.digest_section import next_meetings_section
    from credgroup.trends.digest import register_section

    register_section(next_meetings_section)  # the weekly trends email's "next meeting"
