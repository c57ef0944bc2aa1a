"""The one storage module (thidua.lib.files): where files land, how they are written, and
how the backend is chosen by the environment."""

from __future__ import annotations

import hashlib
import os
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import storages
from django.http import Http404
from django.test import override_settings

from thidua.lib import files
from thidua.lib.files import Area
from thidua.lib.files_config import LOCAL_BACKEND, S3_BACKEND, files_storage


@pytest.fixture(autouse=True)
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def test_a_file_lands_under_the_data_directory_in_its_area_by_the_name_a_row_keeps(data_dir):
    name = files.write(Area.DOCUMENTS, "SVHTTDL/2021/ABC123.docx", b"docx bytes")
    assert name == "SVHTTDL/2021/ABC123.docx"
    # The same place as before the module existed: names stored in databases still work.
    assert (data_dir / "documents" / "SVHTTDL" / "2021" / "ABC123.docx").read_bytes() == (
        b"docx bytes"
    )
    assert files.read(Area.DOCUMENTS, name) == b"docx bytes"
    assert files.local_path(Area.DOCUMENTS, name) == data_dir / "documents" / name


def test_a_file_written_before_the_module_is_read_by_its_stored_name(data_dir):
    old = data_dir / "report-evidence" / "ab" / "abcd.pdf"
    old.parent.mkdir(parents=True)
    old.write_bytes(b"%PDF-old")
    assert files.read(Area.REPORT_EVIDENCE, "ab/abcd.pdf") == b"%PDF-old"
    assert files.exists(Area.REPORT_EVIDENCE, "ab/abcd.pdf")


def test_writing_again_replaces_the_file_and_leaves_no_temporary_file(data_dir):
    files.write(Area.REPORT_EXPORTS, "7-x.zip", b"first")
    files.write(Area.REPORT_EXPORTS, "7-x.zip", b"second")
    assert files.read(Area.REPORT_EXPORTS, "7-x.zip") == b"second"
    assert [p.name for p in (data_dir / "report-exports").iterdir()] == ["7-x.zip"]


def test_the_write_is_atomic_and_durable(monkeypatch, data_dir):
    """Temporary name with the process id and a random part; the file and its folder are
    fsync'ed before and after os.replace."""
    events: list[tuple[str, Any]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        events.append(("fsync", os.fstat(descriptor).st_mode))
        real_fsync(descriptor)

    def replace(source: Any, target: Any) -> None:
        events.append(("replace", Path(source).name))
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    files.write(Area.DOSSIERS, "3/ho-so.zip", b"zip")

    kinds = [kind for kind, _ in events]
    assert kinds == ["fsync", "replace", "fsync"]
    assert stat.S_ISREG(events[0][1]) and stat.S_ISDIR(events[2][1])
    temporary = events[1][1]
    assert temporary.startswith(".ho-so.zip.") and temporary.endswith(".partial")
    assert f".{os.getpid()}." in temporary
    random_part = temporary.split(".")[-2]
    assert len(random_part) == 12 and int(random_part, 16) >= 0


def test_two_writers_never_share_a_temporary_file(monkeypatch, data_dir):
    names: list[str] = []
    real_replace = os.replace

    def replace(source: Any, target: Any) -> None:
        names.append(Path(source).name)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    threads = [
        threading.Thread(target=files.write, args=(Area.DOCUMENTS, "same.docx", bytes([i]) * 5000))
        for i in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(names)) == 8
    data = files.read(Area.DOCUMENTS, "same.docx")
    assert len(data) == 5000 and len(set(data)) == 1  # one writer's bytes, whole
    assert [p.name for p in (data_dir / "documents").iterdir()] == ["same.docx"]


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(monkeypatch, data_dir):
    files.write(Area.COVENANTS, "2021/c.docx", b"old")

    def broken(descriptor: int) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError, match="disk full"):
        files.write(Area.COVENANTS, "2021/c.docx", b"new")
    assert files.read(Area.COVENANTS, "2021/c.docx") == b"old"
    assert [p.name for p in (data_dir / "covenants" / "2021").iterdir()] == ["c.docx"]


def test_content_addressed_names_store_the_same_bytes_once(monkeypatch, data_dir):
    data = b"%PDF-1.7 evidence"
    digest = hashlib.sha256(data).hexdigest()
    stored = files.keep(Area.REPORT_EVIDENCE, data, "pdf")
    assert stored == files.Stored(f"{digest[:2]}/{digest}.pdf", digest, len(data))
    assert (data_dir / "report-evidence" / digest[:2] / f"{digest}.pdf").read_bytes() == data

    calls: list[str] = []
    monkeypatch.setattr(files, "write", lambda *args: calls.append("write"))
    assert files.keep(Area.REPORT_EVIDENCE, data, "pdf") == stored
    assert calls == []  # already there: never rewritten


def test_content_addressed_names_in_a_folder_without_fan_out(data_dir):
    stored = files.keep(Area.AWARDS, b"%PDF-scan", "pdf", folder="originals", fan_out=False)
    assert stored.name == f"originals/{stored.sha256}.pdf"
    assert (data_dir / "awards" / "originals" / f"{stored.sha256}.pdf").is_file()
    signed = files.keep(Area.SIGNED_PDFS, b"%PDF-signed", "pdf", folder="document")
    assert signed.name == f"document/{signed.sha256[:2]}/{signed.sha256}.pdf"


@pytest.mark.parametrize("name", ["", "../thidua.sqlite3", "/etc/passwd", "a/../../b", "a\\b"])
def test_a_name_that_leaves_its_area_is_refused(name):
    with pytest.raises(SuspiciousFileOperation):
        files.write(Area.DOCUMENTS, name, b"x")
    assert files.read_if_exists(Area.DOCUMENTS, name) is None
    assert not files.exists(Area.DOCUMENTS, name)


def test_missing_files(data_dir):
    with pytest.raises(FileNotFoundError):
        files.read(Area.DOCUMENTS, "none.docx")
    assert files.read_if_exists(Area.DOCUMENTS, "none.docx") is None
    assert files.read_if_exists(Area.DOCUMENTS, "") is None
    files.delete(Area.DOCUMENTS, "none.docx")  # already gone: nothing happens
    files.delete(Area.DOCUMENTS, "")
    files.write(Area.DOCUMENTS, "a.docx", b"x")
    files.delete(Area.DOCUMENTS, "a.docx")
    assert not files.exists(Area.DOCUMENTS, "a.docx")


def test_an_upload_waiting_for_confirmation_travels_as_its_digest(data_dir):
    digest = files.keep_upload(Area.SCORING_SHEETS, b"PK\x03\x04 sheet")
    assert (data_dir / "scoring" / "sheets" / f"{digest}.xlsx").is_file()
    assert files.read_upload(Area.SCORING_SHEETS, digest) == b"PK\x03\x04 sheet"
    assert files.read_upload(Area.SCORING_SHEETS, "../" + digest) is None
    assert files.read_upload(Area.SCORING_SHEETS, digest.upper()) is None
    assert files.read_upload(Area.AWARD_IMPORTS, digest) is None  # another area
    files.drop_upload(Area.SCORING_SHEETS, digest)
    assert files.read_upload(Area.SCORING_SHEETS, digest) is None


def test_a_download_serves_the_stored_file_or_404(data_dir):
    files.write(Area.DOCUMENTS, "x/1.pdf", b"%PDF-1")
    response = files.file_response(
        Area.DOCUMENTS, "x/1.pdf", filename="QD-1.pdf", content_type="application/pdf"
    )
    assert b"".join(response.streaming_content) == b"%PDF-1"  # type: ignore[arg-type]
    assert response["Content-Disposition"] == 'attachment; filename="QD-1.pdf"'
    for name in ("x/2.pdf", "../x.pdf"):
        with pytest.raises(Http404):
            files.file_response(Area.DOCUMENTS, name, filename="a", content_type="b")


def test_the_local_store_follows_the_data_directory_setting(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "other"
    files.write(Area.DOSSIERS, "a.zip", b"zip")
    assert (tmp_path / "other" / "dossiers" / "a.zip").is_file()


def test_the_local_disk_is_the_default_backend():
    assert files_storage({}) == {"BACKEND": LOCAL_BACKEND}
    assert files_storage({"THIDUA_S3_BUCKET": "  "}) == {"BACKEND": LOCAL_BACKEND}
    assert isinstance(files.storage(), files.DurableFileSystemStorage)


def test_a_bucket_in_the_environment_switches_to_s3():
    config = files_storage(
        {
            "THIDUA_S3_BUCKET": "thidua-files",
            "THIDUA_S3_ENDPOINT_URL": "https://s3.example.vn",
            "THIDUA_S3_REGION": "hn-1",
            "THIDUA_S3_PREFIX": "/prod/",
            "THIDUA_S3_ADDRESSING_STYLE": "path",
        }
    )
    assert config["BACKEND"] == S3_BACKEND
    assert config["OPTIONS"] == {
        "bucket_name": "thidua-files",
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": True,
        "location": "prod",
        "endpoint_url": "https://s3.example.vn",
        "region_name": "hn-1",
        "addressing_style": "path",
    }
    from storages.backends.s3 import S3Storage

    with override_settings(STORAGES={"files": config}):
        backend = storages["files"]
        assert isinstance(backend, S3Storage) and files.storage() is backend
        s3: Any = backend
        assert s3.bucket_name == "thidua-files" and s3.location == "prod"
    assert isinstance(files.storage(), files.DurableFileSystemStorage)


def test_files_created_by_a_failed_step_are_removed_and_others_kept(settings, tmp_path):
    from django.core.exceptions import ValidationError

    settings.DATA_DIR = tmp_path
    earlier = files.keep(files.Area.PROPOSAL_FILES, b"shared bytes", "pdf")

    with pytest.raises(ValidationError), files.removed_on_failure():
        new = files.keep(files.Area.PROPOSAL_FILES, b"only this upload", "pdf")
        again = files.keep(files.Area.PROPOSAL_FILES, b"shared bytes", "pdf")
        raise ValidationError("refused")

    assert not files.exists(files.Area.PROPOSAL_FILES, new.name)
    assert files.exists(files.Area.PROPOSAL_FILES, again.name) and again == earlier
    with files.removed_on_failure():
        kept = files.keep(files.Area.PROPOSAL_FILES, b"accepted", "pdf")
    assert files.exists(files.Area.PROPOSAL_FILES, kept.name)
