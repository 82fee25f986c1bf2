"""Uploads on an S3-compatible object store (STORAGE_URL=s3://…), tried end to end against
moto's S3 server on a loopback port: a file uploaded through a page lands in the bucket,
private, and comes back only through the permission-checked download view; the upload
checks still refuse a bad file before anything is stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from thrive.core import storage

moto_server = pytest.importorskip("moto.server")
pytest.importorskip("storages.backends.s3")
boto3 = pytest.importorskip("boto3")

BUCKET = "thrive-uploads"
REGION = "eu-west-2"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A fresh private bucket as the uploads' store, reached the way production reaches one."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "thrive-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "thrive-test-secret")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {
        **settings.STORAGES,
        **storage.storages_for(f"s3://{BUCKET}?endpoint_url={s3_endpoint}&region={REGION}"),
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def _keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def _return_and_member():
    from thrive.accounts.tests.factories import MembershipFactory
    from thrive.monitoring.tests.factories import award_with_plan

    award, plan = award_with_plan()
    item = plan.returns.first()
    return item, MembershipFactory(organisation=award.organisation).user


@pytest.mark.django_db
def test_an_upload_lands_in_the_bucket_privately_and_comes_back_through_its_view(
    client, bucket
) -> None:
    item, member = _return_and_member()
    client.force_login(member)
    upload = SimpleUploadedFile("accounts.pdf", PDF)
    client.post(reverse("monitoring:return_upload", args=[item.pk]), {"file": upload})

    attachment = item.attachments.get()
    assert _keys(bucket) == [f"private/{attachment.file.name}"]
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=f"private/{attachment.file.name}")
    assert not [g for g in grants["Grants"] if "AllUsers" in str(g["Grantee"].get("URI", ""))]

    url = reverse("monitoring:return_attachment", args=[item.pk, attachment.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="accounts.pdf"' in response["Content-Disposition"]

    client.logout()
    assert client.get(url).status_code == 302  # to sign in: the store is never linked to


@pytest.mark.django_db
def test_the_upload_checks_refuse_a_bad_file_before_anything_is_stored(client, bucket) -> None:
    item, member = _return_and_member()
    client.force_login(member)
    program = SimpleUploadedFile("accounts.pdf", b"MZ\x90\x00 this is a program")
    response = client.post(
        reverse("monitoring:return_upload", args=[item.pk]), {"file": program}, follow=True
    )
    assert "must be a PDF" in response.text
    assert not item.attachments.exists()
    assert _keys(bucket) == []


@pytest.mark.django_db
def test_a_file_missing_from_the_bucket_is_not_found_never_an_error(client, bucket) -> None:
    item, member = _return_and_member()
    client.force_login(member)
    client.post(
        reverse("monitoring:return_upload", args=[item.pk]),
        {"file": SimpleUploadedFile("accounts.pdf", PDF)},
    )
    attachment = item.attachments.get()
    bucket.delete_object(Bucket=BUCKET, Key=f"private/{attachment.file.name}")
    url = reverse("monitoring:return_attachment", args=[item.pk, attachment.pk])
    assert client.get(url).status_code == 404


def test_storage_url_chooses_the_store() -> None:
    on_disk = storage.storages_for("")
    assert on_disk["default"]["BACKEND"].endswith("FileSystemStorage")
    assert on_disk["private"]["BACKEND"] == "thrive.core.storage.PrivateStorage"
    assert storage.storages_for("/srv/thrive/media") == on_disk
    assert str(storage.local_root("file:///srv/thrive/media")) == "/srv/thrive/media"
    assert storage.local_root("s3://bucket") is None

    s3 = storage.storages_for("s3://files?region=eu-west-2&location=thrive/")
    assert s3["default"]["OPTIONS"]["location"] == "thrive"
    assert s3["private"]["OPTIONS"]["location"] == "thrive/private"
    assert s3["private"]["OPTIONS"]["default_acl"] is None
    assert s3["private"]["OPTIONS"]["querystring_auth"] is True


def test_azure_takes_its_key_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("AZURE_ACCOUNT_KEY", "a2V5")
    azure = storage.storages_for("azure://uploads?account_name=westshire")
    options = azure["private"]["OPTIONS"]
    assert azure["private"]["BACKEND"] == "storages.backends.azure_storage.AzureStorage"
    assert (options["azure_container"], options["account_name"]) == ("uploads", "westshire")
    assert options["account_key"] == "a2V5"
    assert options["location"] == "private"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("gs://files", "must be a folder, s3://bucket or azure://container"),
        ("s3://", "needs a bucket or container name"),
        ("s3://files?acl=public-read", "does not take acl"),
        ("azure://uploads", "needs ?account_name"),
    ],
)
def test_a_wrong_storage_url_stops_the_service_with_a_clear_message(url, message) -> None:
    with pytest.raises(ImproperlyConfigured, match=message.replace("?", r"\?")):
        storage.storages_for(url)
