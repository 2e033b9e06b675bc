"""Each wrong S3 setting gets a clear error naming the key, and no secret in any message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from config.loading import SettingsError, check_media, load_settings
from config.settings import MediaSettings
from storage.media import MediaUnavailable, S3MediaStore, open_media_store
from tests.s3.conftest import s3_media
from tests.s3server import ACCESS_KEY_ID, SECRET_ACCESS_KEY, SeaweedServer

pytestmark = pytest.mark.s3

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("media", "message"),
    [
        ({"backend": "s3"}, 'media.backend = "s3" needs media.s3_endpoint and media.s3_bucket'),
        (
            {"backend": "s3", "s3_endpoint": "http://127.0.0.1:1"},
            'media.backend = "s3" needs media.s3_bucket',
        ),
        (
            {"backend": "s3", "s3_endpoint": "http://x", "s3_bucket": "photos",
             "s3_access_key_id": "id-only"},
            "GALLERY_MEDIA__S3_ACCESS_KEY_ID is set but GALLERY_MEDIA__S3_SECRET_ACCESS_KEY is not",
        ),
    ],
)  # fmt: skip
def test_an_s3_backend_needs_its_endpoint_bucket_and_both_keys(
    media: dict[str, str], message: str
) -> None:
    settings = MediaSettings.model_validate(media)
    for check in (check_media, open_media_store):
        with pytest.raises(SettingsError) as caught:
            check(settings)
        assert str(caught.value) == message


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('s3_endpoint = "s3.example.org"', "media.s3_endpoint: Value error, must be empty or"),
        ('s3_endpoint = "https://s3.example.org/photos"', "media.s3_endpoint: Value error"),
        ('s3_bucket = "My_Photos"', "media.s3_bucket: String should match pattern"),
        ('serve = "proxy"', "media.serve: Input should be 'stream' or 'redirect'"),
        ('backend = "gcs"', "media.backend: Input should be 'local' or 's3'"),
        ('s3_secret_access_key = "x"', "[media] s3_secret_access_key is a secret; set "
                                        "GALLERY_MEDIA__S3_SECRET_ACCESS_KEY instead"),
        ('s3_access_key_id = "x"', "[media] s3_access_key_id is a secret"),
    ],
)  # fmt: skip
def test_a_bad_s3_value_in_the_file_names_the_key(
    tmp_path: Path, line: str, message: str
) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f"[media]\n{line}\n")
    with pytest.raises(SettingsError) as caught:
        load_settings(config)
    assert message in str(caught.value)


def test_the_cli_refuses_an_s3_backend_without_a_bucket_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[media]\nbackend = "s3"\ns3_endpoint = "http://127.0.0.1:1"\n')
    result = subprocess.run(
        [sys.executable, "-m", "gallery", "--config", str(config), "check"],
        capture_output=True, text=True, timeout=60, cwd=REPO,
    )  # fmt: skip
    assert (result.returncode, result.stderr) == (
        2,
        'error: media.backend = "s3" needs media.s3_bucket\n',
    )


async def test_the_aws_environment_supplies_keys_when_ours_are_unset(
    s3_server: SeaweedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    media = s3_media(s3_server, s3_access_key_id="", s3_secret_access_key="")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", ACCESS_KEY_ID)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET_ACCESS_KEY)
    await S3MediaStore.from_settings(media).check()
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    with pytest.raises(MediaUnavailable, match="SignatureDoesNotMatch"):
        await S3MediaStore.from_settings(media).check()


async def test_errors_name_the_bucket_and_reason_but_no_secret(s3_server: SeaweedServer) -> None:
    secret = "a-secret-that-must-not-leak"
    store = S3MediaStore.from_settings(s3_media(s3_server, s3_secret_access_key=secret))
    with pytest.raises(MediaUnavailable) as caught:
        await store.get("ab/cd/1/full.jpg")
    assert str(caught.value) == (
        f"bucket 'photos' at {s3_server.endpoint}: SignatureDoesNotMatch"
    )
    assert secret not in repr(caught.value)
