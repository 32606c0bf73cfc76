"""/admin/ changes e-mail addresses and staff flags: with the second factor required, a
password alone does not open it."""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.models import User

ADMIN_PASSWORD = "a-long-admin-password"


def sign_in_to_admin(client, *, verified: bool = True) -> User:
    """A superuser signed in on the client, with a confirmed TOTP device verified in the session."""
    admin = User.objects.create_superuser("root@platform.test", password=ADMIN_PASSWORD)
    device = TOTPDevice.objects.create(user=admin, name="admin", confirmed=True)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    if verified:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return admin


def _code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def test_a_staff_account_signed_in_with_its_password_alone_cannot_open_the_admin(tenant_db, client):
    admin = sign_in_to_admin(client, verified=False)
    for path in ["/admin/", "/admin/tenants/user/", f"/admin/tenants/user/{admin.pk}/change/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/admin/login/"), path


def test_a_staff_account_cannot_change_an_e_mail_address_without_the_second_factor(tenant_db, client):
    admin = sign_in_to_admin(client, verified=False)
    target = tenant_db["observer"].user
    client.post(
        f"/admin/tenants/user/{target.pk}/change/",
        {"email": "taken@evil.test", "full_name": "", "preferred_language": "fr", "is_active": "on", "is_staff": "on"},
    )
    target.refresh_from_db()
    assert target.email != "taken@evil.test" and not target.is_staff
    assert admin.is_staff


def test_the_admin_sign_in_form_refuses_a_password_without_a_code(tenant_db, client):
    sign_in_to_admin(client, verified=False)
    client.logout()
    response = client.post("/admin/login/?next=/admin/", {"username": "root@platform.test", "password": ADMIN_PASSWORD})
    assert response.status_code == 200  # the form again, with an error
    assert client.get("/admin/").status_code == 302


def test_the_admin_sign_in_form_accepts_the_password_with_a_code(tenant_db, client):
    admin = sign_in_to_admin(client, verified=False)
    client.logout()
    device = TOTPDevice.objects.get(user=admin)
    response = client.post(
        "/admin/login/?next=/admin/",
        {
            "username": "root@platform.test",
            "password": ADMIN_PASSWORD,
            "otp_device": device.persistent_id,
            "otp_token": _code(device),
        },
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_staff_account_verified_with_its_second_factor_opens_the_admin(tenant_db, client):
    sign_in_to_admin(client)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/tenants/user/").status_code == 200
