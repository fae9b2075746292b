"""HTTP Digest sign-in on the OpenRosa endpoints (RFC 7616, MD5, qop=auth), as ODK Collect uses it.

The happy paths run against the live server with ``requests.auth.HTTPDigestAuth``: an independent
client that reads our challenge and computes its answer itself. Cases a normal client never produces
(an expired nonce with a right answer, a foreign uri) are built here from the RFC formulas.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time

import pytest
import requests
from defusedxml.ElementTree import fromstring
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from requests.auth import HTTPDigestAuth

from landmosaic.accounts import services as account_services
from landmosaic.accounts.models import DigestCredential
from landmosaic.fieldwork import digest, openrosa
from landmosaic.fieldwork.models import Submission
from tests.factories import PASSWORD, UserFactory
from tests.fieldwork.conftest import submission_xml

XFORMS = "{http://openrosa.org/xforms/xformsList}"


def md5(text: str) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def rfc_authorization(*, email: str, password: str, method: str, uri: str, nonce: str) -> str:
    """The client side of RFC 7616 §3.4 (qop=auth, MD5), written out independently of the server."""
    nc, cnonce = "00000001", "0a4f113b"
    ha1 = md5(f"{email}:Landmosaic:{password}")
    ha2 = md5(f"{method}:{uri}")
    response = md5(f"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}")
    return (
        f'Digest username="{email}", realm="Landmosaic", nonce="{nonce}", uri="{uri}", '
        f'qop=auth, nc={nc}, cnonce="{cnonce}", response="{response}", algorithm=MD5, opaque="x"'
    )


def challenge_params(header: str) -> dict[str, str]:
    assert header.startswith("Digest ")
    return {name.lower(): a or b for name, a, b in re.findall(r'(\w+)=(?:"([^"]*)"|([^\s,]*))', header[7:])}


def with_digest_credential(user, password: str = PASSWORD):
    account_services.digest_credential_store(user=user, password=password)
    return user


# --- Challenge -----------------------------------------------------------------------------------------


def test_a_request_without_credentials_is_asked_for_digest_md5_qop_auth(field):
    response = Client().get(f"/collect/{field.landscape.slug}/formList")
    assert response.status_code == 401
    header = response["WWW-Authenticate"]
    assert header.startswith('Digest realm="Landmosaic", qop="auth", nonce="')
    params = challenge_params(header)
    assert params["algorithm"] == "MD5" and params["opaque"] and "stale" not in params
    assert digest.check_nonce(nonce=params["nonce"], secret=openrosa._nonce_secret(), now=time.time()) == "ok"


# --- Live server, real client -------------------------------------------------------------------------


def test_form_list_and_submission_with_digest_from_requests(field, live_server):
    member = with_digest_credential(field.cast.member)
    auth = HTTPDigestAuth(member.email, PASSWORD)
    base = f"{live_server.url}/collect/{field.landscape.slug}/"
    listing = requests.get(base + "formList", auth=auth, headers={"X-OpenRosa-Version": "1.0"}, timeout=30)
    assert listing.status_code == 200, listing.text
    assert [x.findtext(f"{XFORMS}formID") for x in fromstring(listing.content)] == ["trees"]
    # The Authorization header that succeeded is Digest: the password itself never went out.
    assert listing.request.headers["Authorization"].startswith("Digest ")
    assert PASSWORD not in listing.request.headers["Authorization"]

    xml = submission_xml(instance_id="uuid:by-digest")
    posted = requests.post(
        base + "submission",
        auth=HTTPDigestAuth(member.email, PASSWORD),
        files={"xml_submission_file": ("submission.xml", xml, "text/xml")},
        headers={"X-OpenRosa-Version": "1.0"},
        timeout=30,
    )
    assert posted.status_code == 201, posted.text
    record = Submission.objects.get(instance_id="uuid:by-digest")
    assert record.submitted_by == member and record.collector is None


def test_wrong_password_and_missing_credential_are_401(field, live_server):
    base = f"{live_server.url}/collect/{field.landscape.slug}/formList"
    member = with_digest_credential(field.cast.member)
    wrong = requests.get(base, auth=HTTPDigestAuth(member.email, "not-the-password"), timeout=30)
    assert wrong.status_code == 401
    assert wrong.headers["WWW-Authenticate"].startswith("Digest ")  # plain HTTP: Basic is not offered
    # The manager never typed a password since Digest came: no HA1, no Digest sign-in.
    assert not DigestCredential.objects.filter(user=field.cast.manager).exists()
    missing = requests.get(base, auth=HTTPDigestAuth(field.cast.manager.email, PASSWORD), timeout=30)
    assert missing.status_code == 401


@pytest.mark.parametrize("person,status", [("viewer", 403), ("outsider", 404), ("manager", 200)])
def test_digest_gets_the_same_permission_checks_as_basic(field, live_server, person, status):
    user = with_digest_credential(field.cast[person])
    response = requests.get(
        f"{live_server.url}/collect/{field.landscape.slug}/formList",
        auth=HTTPDigestAuth(user.email, PASSWORD),
        timeout=30,
    )
    assert response.status_code == status


def test_a_disabled_account_is_refused(field, live_server):
    member = with_digest_credential(field.cast.member)
    member.is_active = False
    member.save(update_fields=["is_active"])
    response = requests.get(
        f"{live_server.url}/collect/{field.landscape.slug}/formList",
        auth=HTTPDigestAuth(member.email, PASSWORD),
        timeout=30,
    )
    assert response.status_code == 401


# --- Nonce, uri, stored credential (built from the RFC formulas) --------------------------------------


def _get(field, user, *, password: str = PASSWORD, nonce: str | None = None, uri: str | None = None, **extra):
    path = f"/collect/{field.landscape.slug}/formList"
    nonce = nonce or digest.make_nonce(secret=openrosa._nonce_secret(), now=time.time())
    uri = uri or path
    header = rfc_authorization(email=user.email, password=password, method="GET", uri=uri, nonce=nonce)
    return Client().get(path, HTTP_AUTHORIZATION=header, **extra)


def test_the_rfc_formulas_sign_in(field):
    assert _get(field, with_digest_credential(field.cast.member)).status_code == 200


def test_an_expired_nonce_with_the_right_password_is_401_stale(field):
    member = with_digest_credential(field.cast.member)
    old = digest.make_nonce(secret=openrosa._nonce_secret(), now=time.time() - digest.NONCE_SECONDS - 60)
    response = _get(field, member, nonce=old)
    assert response.status_code == 401
    params = challenge_params(response["WWW-Authenticate"])
    assert params["stale"] == "true" and params["nonce"] != old
    # A wrong password with the same old nonce is not "stale": it is simply refused.
    wrong = _get(field, member, nonce=old, password="wrong")
    assert wrong.status_code == 401 and "stale" not in wrong["WWW-Authenticate"]


def test_a_forged_nonce_is_refused(field):
    member = with_digest_credential(field.cast.member)
    forged = f"{int(time.time())}.{'0' * 64}"
    assert _get(field, member, nonce=forged).status_code == 401


def test_a_response_for_another_address_is_400(field):
    member = with_digest_credential(field.cast.member)
    response = _get(field, member, uri=f"/collect/{field.landscape.slug}/submission")
    assert response.status_code == 400
    assert b"uri" in response.content


def test_a_password_change_voids_the_stored_credential(field):
    member = with_digest_credential(field.cast.member)
    member.set_password("another-long-password-2026")
    member.save(update_fields=["password"])
    assert _get(field, member).status_code == 401
    assert _get(field, member, password="another-long-password-2026").status_code == 401  # until stored again
    with_digest_credential(member, "another-long-password-2026")
    assert _get(field, member, password="another-long-password-2026").status_code == 200


def test_a_failed_digest_answer_over_https_offers_basic(field):
    response = _get(field, field.cast.member, secure=True)  # no HA1 stored for this account
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="Landmosaic", charset="UTF-8"'


# --- Where the credential is stored --------------------------------------------------------------------


def test_web_sign_in_stores_the_credential_so_digest_works(field):
    member = field.cast.member
    assert _get(field, member).status_code == 401
    signed_in = Client().post("/accounts/login/", {"email": member.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert _get(field, member).status_code == 200


def test_basic_sign_in_stores_the_credential_too(field):
    member = field.cast.member
    token = base64.b64encode(f"{member.email}:{PASSWORD}".encode()).decode()
    path = f"/collect/{field.landscape.slug}/formList"
    assert Client().get(path, HTTP_AUTHORIZATION=f"Basic {token}").status_code == 200
    assert _get(field, member).status_code == 200


def test_sign_up_stores_the_credential(db):
    user = account_services.user_signup(email="new.collector@example.org", password="a-long-enough-pass-2026")
    stored = DigestCredential.objects.get(user=user)
    assert stored.ha1 == md5("new.collector@example.org:Landmosaic:a-long-enough-pass-2026")


def test_an_unknown_account_is_401_like_a_wrong_password(db):
    user = UserFactory.build(email="nobody@example.org")
    path = "/collect/no-such-landscape/formList"
    nonce = digest.make_nonce(secret=openrosa._nonce_secret(), now=time.time())
    header = rfc_authorization(email=user.email, password=PASSWORD, method="GET", uri=path, nonce=nonce)
    assert Client().get(path, HTTP_AUTHORIZATION=header).status_code == 401


# --- Parser --------------------------------------------------------------------------------------------


def test_parser_reads_quoted_commas_and_refuses_other_algorithms():
    header = 'Digest username="a,b@x.org", realm="Landmosaic", nonce="1.ab", uri="/c?x=1,2", response="ff"'
    params = digest.parse_authorization(header)
    assert params["username"] == "a,b@x.org" and params["uri"] == "/c?x=1,2"
    assert digest.parse_authorization(header + ", algorithm=SHA-256") is None
    assert digest.parse_authorization(header + ", qop=auth") is None  # qop without nc and cnonce
    assert digest.parse_authorization("Basic abc") is None
    assert digest.parse_authorization('Digest username="a"') is None


def test_collectors_page_tells_members_to_sign_in_once(field):
    client = Client()
    client.force_login(field.cast.editor)
    page = client.get(f"/landscapes/{field.landscape.slug}/field-data/collectors/").content.decode()
    assert "Sign in on this website once with your password before using it in ODK Collect" in page


def test_a_password_reset_stores_the_credential_of_the_new_password(field):
    member = field.cast.member
    uid = urlsafe_base64_encode(force_bytes(member.pk))
    client = Client()
    # Django's reset page first swaps the token for a session marker, then shows the form.
    start = client.get(f"/accounts/password/reset/{uid}/{default_token_generator.make_token(member)}/")
    assert start.status_code == 302
    new = "a-brand-new-password-2026"
    done = client.post(start["Location"], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302, done.content
    member.refresh_from_db()
    assert _get(field, member, password=new).status_code == 200
    assert _get(field, member).status_code == 401
