"""The form macro: a set of radio buttons is one question, asked as a fieldset."""

from __future__ import annotations

import re

from flask import render_template_string
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField
from wtforms.validators import InputRequired

from credgroup.groups.forms import choices

MACRO = '{% from "_macros/forms.html" import field %}{{ field(form.mode, hint=hint) }}'


class ModeForm(FlaskForm):
    class Meta:
        csrf = False

    mode = RadioField(
        "For",
        choices=choices([("discussion", "For discussion"), ("information", "For information")]),
        default="discussion",
        validators=[InputRequired("Choose what the item is for.")],
    )
    title = StringField("Title")


def render(app, form: ModeForm, hint: str | None = None) -> str:
    with app.test_request_context("/"):
        return render_template_string(MACRO, form=form, hint=hint)


def test_radio_buttons_are_one_fieldset_named_by_its_legend(app):
    with app.test_request_context("/"):
        form = ModeForm(formdata=None)
    html = render(app, form, hint="Members see this on the agenda.")
    fieldset = re.search(r"<fieldset[^>]*>.*</fieldset>", html, re.S).group(0)
    assert '<legend id="mode">For</legend>' in fieldset
    assert 'aria-describedby="mode-hint"' in fieldset
    assert '<p class="hint" id="mode-hint">Members see this on the agenda.</p>' in fieldset
    # Each button keeps a label of its own; no <label> points at the group.
    for index, text in enumerate(("For discussion", "For information")):
        assert f'id="mode-{index}"' in fieldset
        assert f'<label for="mode-{index}">{text}</label>' in fieldset
    assert 'for="mode"' not in html
    assert re.search(
        r'<input[^>]*checked[^>]*value="discussion"|<input[^>]*value="discussion"[^>]*checked', html
    )


def test_a_refused_answer_is_named_in_the_fieldset(app):
    with app.test_request_context("/", method="POST", data={"mode": ""}):
        form = ModeForm()
        assert not form.validate()
    html = render(app, form)
    fieldset = re.search(r"<fieldset[^>]*>", html).group(0)
    assert "has-error" in fieldset and 'aria-describedby="mode-error"' in fieldset
    assert '<p class="error" id="mode-error">Choose what the item is for.</p>' in html


def test_other_fields_keep_their_label(app):
    with app.test_request_context("/"):
        form = ModeForm(formdata=None)
        html = render_template_string(
            '{% from "_macros/forms.html" import field %}{{ field(form.title) }}', form=form
        )
    assert '<label for="title">Title</label>' in html and "<fieldset" not in html
