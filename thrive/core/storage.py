"""Where uploaded files are kept: private, read only through permission-checked views.

``STORAGE_URL`` chooses the place for every machine at once (``settings.STORAGES``):

- unset, or a folder (``/srv/thrive/media`` or ``file:///srv/thrive/media``): this machine's
  disk under MEDIA_ROOT (that folder when given); private files under ``private/``;
- ``s3://BUCKET?endpoint_url=…&region=…``: an S3-compatible object store through
  django-storages, credentials from the usual ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY``
  (or the machine's role); ``addressing_style`` and ``location`` (a key prefix) may be given;
- ``azure://CONTAINER?account_name=…``: Azure Blob Storage, the key from
  ``AZURE_ACCOUNT_KEY``, a SAS token from ``AZURE_SAS_TOKEN`` or the whole connection string
  from ``AZURE_CONNECTION_STRING``; ``endpoint_suffix`` and ``location`` may be given.

Nothing is ever public: objects take the bucket's or container's own (private) access,
no URL of an upload is put on a page, and every download is read by a view that checks who
is asking (``FieldFile.open``). Private files (attachments, documents, exports) sit under
``private/`` beside the others on the store as on disk.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.utils.functional import LazyObject, empty

PRIVATE = "private"
FILE_SYSTEM = "django.core.files.storage.FileSystemStorage"
_S3_OPTIONS = {"endpoint_url", "region", "addressing_style", "location"}
_AZURE_OPTIONS = {"account_name", "endpoint_suffix", "location"}


class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private, with no URL: served only by permission-checked views."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return os.path.join(settings.MEDIA_ROOT, PRIVATE)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:  # type: ignore[override]
        return None


class _Private(LazyObject):
    """The ``private`` storage of ``settings.STORAGES``, looked up when first used (and
    again after the setting changes), so a model's field always follows the setting."""

    def _setup(self) -> None:
        if PRIVATE in settings.STORAGES:
            self._wrapped = storages[PRIVATE]
        else:
            self._wrapped = PrivateStorage()


_private = _Private()


def _storages_changed(*, setting: str, **kwargs: Any) -> None:
    if setting in {"STORAGES", "MEDIA_ROOT"}:
        _private._wrapped = empty


setting_changed.connect(_storages_changed, dispatch_uid="thrive-private-storage")


def private_storage() -> Storage:
    """The storage of files only permission-checked views hand out (``storage=`` of a field)."""
    return _private  # type: ignore[return-value]


def local_root(url: str) -> Path | None:
    """The folder a ``STORAGE_URL`` names, when it names one (else None: unset or a store)."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme == "file":
        return Path(unquote(parts.path))
    if not parts.scheme or len(parts.scheme) == 1:  # a plain path (or a Windows drive)
        return Path(url)
    return None


def storages_for(url: str) -> dict[str, dict[str, Any]]:
    """``settings.STORAGES``' ``default`` and ``private`` entries for a ``STORAGE_URL``."""
    if not url or local_root(url) is not None:
        return {
            "default": {"BACKEND": FILE_SYSTEM},
            PRIVATE: {"BACKEND": "thrive.core.storage.PrivateStorage"},
        }
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if parts.scheme == "s3":
        backend, options = "storages.backends.s3.S3Storage", _s3_options(parts.netloc, query)
    elif parts.scheme == "azure":
        backend, options = (
            "storages.backends.azure_storage.AzureStorage",
            _azure_options(parts.netloc, query),
        )
    else:
        raise ImproperlyConfigured(
            f"STORAGE_URL must be a folder, s3://bucket or azure://container, not {parts.scheme}://"
        )
    prefix = options.pop("location", "").strip("/")
    return {
        "default": {"BACKEND": backend, "OPTIONS": {**options, "location": prefix}},
        PRIVATE: {
            "BACKEND": backend,
            "OPTIONS": {**options, "location": f"{prefix}/{PRIVATE}".lstrip("/")},
        },
    }


def _checked(scheme: str, name: str, query: dict[str, str], known: set[str]) -> None:
    if not name:
        raise ImproperlyConfigured(f"STORAGE_URL {scheme}:// needs a bucket or container name")
    unknown = sorted(set(query) - known)
    if unknown:
        raise ImproperlyConfigured(
            f"STORAGE_URL {scheme}:// does not take {', '.join(unknown)}; "
            f"it takes {', '.join(sorted(known))}"
        )


def _s3_options(bucket: str, query: dict[str, str]) -> dict[str, Any]:
    _checked("s3", bucket, query, _S3_OPTIONS)
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "default_acl": None,  # the bucket's own: keep it private (block public access)
        "querystring_auth": True,  # any URL made is signed and short-lived
        "querystring_expire": 300,
        "file_overwrite": False,  # a new upload never replaces another with the same name
        "endpoint_url": query.get("endpoint_url"),
        "region_name": query.get("region"),
        "location": query.get("location", ""),
    }
    if "addressing_style" in query:
        options["addressing_style"] = query["addressing_style"]
    return options


def _azure_options(container: str, query: dict[str, str]) -> dict[str, Any]:
    _checked("azure", container, query, _AZURE_OPTIONS)
    options: dict[str, Any] = {
        "azure_container": container,
        "account_name": query.get("account_name"),
        "overwrite_files": False,
        "expiration_secs": 300,
        "location": query.get("location", ""),
    }
    if "endpoint_suffix" in query:
        options["endpoint_suffix"] = query["endpoint_suffix"]
    for option, variable in (
        ("account_key", "AZURE_ACCOUNT_KEY"),
        ("sas_token", "AZURE_SAS_TOKEN"),
        ("connection_string", "AZURE_CONNECTION_STRING"),
    ):
        if os.environ.get(variable):
            options[option] = os.environ[variable]
    if not options["account_name"] and "connection_string" not in options:
        raise ImproperlyConfigured(
            "STORAGE_URL azure:// needs ?account_name=… or AZURE_CONNECTION_STRING"
        )
    return options
