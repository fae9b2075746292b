"""Records from the offline web form: answers (JSON) -> the form version's instance XML -> the one
submission service that OpenRosa uses, so checks, idempotency by instanceID and the commons are shared."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from landmosaic.accounts.models import User
from landmosaic.core import permissions
from landmosaic.core.errors import Forbidden, ValidationFailed

from ..files import safe_filename
from ..models import Form, FormVersion
from ..selectors import Collector
from ..webform import MESSAGES, WebForm, clean_answer, instance_xml, read_webform
from .submissions import Received, submission_receive

INSTANCE_ID = re.compile(r"^uuid:[0-9a-fA-F-]{32,36}$")
DEVICE_ID = re.compile(r"^webform:[0-9A-Za-z-]{1,60}$")


def webform_for(version: FormVersion) -> WebForm:
    return read_webform(version.xform)


def _moment(value: Any) -> str:
    """An ISO 8601 timestamp from the browser, or "" if it is not one."""
    text = str(value or "").strip()[:40]
    try:
        datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return ""
    return text


def collector_of(user: User) -> str:
    """How the web form names the person who saved a record: the account's id, as text.

    The fill page carries it, each queued record keeps it, and the record states it when sent.
    """
    return str(user.pk)


def check_collector(*, actor: User, payload: Mapping[str, Any]) -> None:
    """Refuse a record that says it was collected by another account than the one sending it.

    The queue of a shared phone holds the records of everyone who filled in the form on it; each is
    stored under the account that sends it, so one person's records must never go out under another's
    session (a modified or outdated page would do that). Records queued before pages stated their
    collector say nothing, and are received as the signed-in person's, as they always were.
    """
    stated = payload.get("collector")
    if stated is None or stated == "":
        return
    if str(stated) != collector_of(actor):
        raise Forbidden(
            _(
                "This record was saved on this device by another account. It can be sent only while "
                "that person is signed in; it stays on the device until then."
            ),
            code="collector_mismatch",
        )


def webform_submit(
    *, actor: User, form: Form, payload: Mapping[str, Any], files: Mapping[str, Any]
) -> Received:
    """Validate the answers of one web form record, write its XML and receive it like any submission.

    ``payload``: {"instanceID": "uuid:…", "version", "start", "end", "deviceid", "collector",
    "answers": {path: value}}; ``collector`` (see ``collector_of``), when given, must be the actor.
    ``files``: uploaded photos by file name, named in the answers.
    """
    permissions.check(actor, "collect", form)
    check_collector(actor=actor, payload=payload)
    instance_id = str(payload.get("instanceID") or "")
    if not INSTANCE_ID.match(instance_id):
        raise ValidationFailed(_("The record has no valid instance ID."), code="no_instance_id")
    version = form.versions.filter(version=str(payload.get("version") or "")[:100]).first()
    if version is None:
        raise ValidationFailed(
            _("This record was filled in with a version of the form that this server does not know."),
            code="unknown_version",
        )
    webform = webform_for(version)
    if not webform.supported:
        raise ValidationFailed(
            _("This form needs ODK Collect: the web form cannot fill it."), code="unsupported"
        )
    raw_answers = payload.get("answers")
    raw_answers = raw_answers if isinstance(raw_answers, dict) else {}
    names = {safe_filename(name) for name in files}
    answers: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for question in webform.questions:
        if question.readonly:
            continue
        if question.relevant is not None and not question.relevant.holds(answers):
            # Not asked, given the earlier answers: whatever the browser sent is dropped.
            answers[question.path] = ""
            continue
        try:
            answers[question.path] = clean_answer(question, raw_answers.get(question.path), names)
        except ValueError as exc:
            code = str(exc)
            message = (
                question.constraint_message if code == "constraint" and question.constraint_message else ""
            )
            errors[question.path] = [message or _(MESSAGES[code])]
    if errors:
        raise ValidationFailed(
            _("Some answers need correcting: %(questions)s.")
            % {"questions": ", ".join(q.label for q in webform.questions if q.path in errors)},
            code="answers_invalid",
            details=errors,
        )
    start = _moment(payload.get("start"))
    device = str(payload.get("deviceid") or "")
    meta = {
        "instanceID": instance_id,
        "start": start,
        "end": _moment(payload.get("end")),
        "today": start[:10],
        "deviceid": device if DEVICE_ID.match(device) else "webform",
        "username": actor.display_name,
    }
    xml = instance_xml(version.xform, webform, answers, meta)
    used = {v for q in webform.questions if q.kind == "image" for v in [answers.get(q.path)] if v}
    attachments = {safe_filename(name): f for name, f in files.items() if safe_filename(name) in used}
    return submission_receive(
        collector=Collector(landscape=form.landscape, user=actor), xml=xml, files=attachments
    )
