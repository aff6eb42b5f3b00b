"""Course packages: export as a zip; import only after the safety checks and the checker pass."""
import io
import re
import stat
import zipfile

import pytest

from app.authoring import packages
from app.catalog import get_catalog

from .test_publishing import EDITOR


def zip_of(entries, compression=zipfile.ZIP_DEFLATED):
    """A zip from {name: bytes} (or ZipInfo: bytes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def renamed(package, old, new):
    """The same package with its course folder renamed."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return zip_of({info.filename.replace(old, new, 1): archive.read(info) for info in archive.infolist()
                       if not info.is_dir()})


def upload(client, package, name="course.zip"):
    return client.post("/authoring/import", data={"package": (io.BytesIO(package), name)},
                       content_type="multipart/form-data")


def test_export_then_import_as_a_new_course(trainer, app):
    response = trainer.get(f"{EDITOR}/export")
    assert response.headers["Content-Disposition"] == "attachment; filename=sample-course.zip"
    names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
    assert "sample-course/course.md" in names and "sample-course/01-basics/images/budget.png" in names
    imported = upload(trainer, renamed(response.data, "sample-course/", "copied-course/"))
    assert imported.headers["Location"].endswith("/authoring/copied-course/")
    assert get_catalog(app).course("copied-course") is not None
    assert trainer.get("/courses/copied-course/basics/saving").status_code == 200
    assert "Imported the course copied-course" in trainer.get("/authoring/copied-course/").get_data(as_text=True)


def test_importing_an_existing_course_replaces_only_its_draft(trainer, app):
    package = trainer.get(f"{EDITOR}/export").data
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        files = {i.filename: archive.read(i) for i in archive.infolist() if not i.is_dir()}
    files["sample-course/01-basics/02-saving.md"] = b"---\ntitle: Saving\n---\n\nFrom the package.\n"
    assert upload(trainer, zip_of(files)).status_code == 302
    assert "From the package." not in trainer.get("/courses/sample-course/basics/saving").get_data(as_text=True)
    draft = trainer.get(f"{EDITOR}/edit/01-basics/02-saving.md").get_data(as_text=True)
    assert "From the package." in draft


def test_a_package_with_errors_is_refused_before_anything_is_written(trainer, app, courses_dir):
    package = zip_of({"bad-course/course.md": b"---\ntitle: [oops\n---\n"})
    response = upload(trainer, package)
    assert response.status_code == 409
    assert "bad-course/course.md:2: error" in response.get_data(as_text=True)
    assert not (courses_dir / "bad-course").exists()


def symlink_zip():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("c/course.md", b"---\ntitle: C\n---\n")
        link = zipfile.ZipInfo("c/01-m/01-a.md")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    return buffer.getvalue()


@pytest.mark.parametrize("package,message", [
    (zip_of({"c/course.md": b"x", "c/../../evil.md": b"x"}), "outside its folder"),
    (zip_of({"/etc/cron.d/evil.md": b"x"}), "outside its folder"),
    (zip_of({"c/course.md": b"x", "c\\..\\evil.md": b"x"}), "outside its folder"),
    (symlink_zip(), "links are not accepted"),
    (zip_of({"c/course.md": b"x", "c/bomb.md": b"0" * (30 * 1024 * 1024)}), "larger than 25 MB"),
    (zip_of({"c/course.md": b"x", "c/bomb.md": b"0" * (5 * 1024 * 1024)}), "compressed suspiciously well"),
    (zip_of({"c/course.md": b"x", "c/run.sh": b"x"}), "not a course file"),
    (zip_of({"a/course.md": b"x", "b/course.md": b"x"}), "one course folder"),
    (b"not a zip at all", "not a zip file"),
])
def test_unsafe_packages_are_refused_with_a_clear_message(app, tmp_path, package, message):
    with app.test_request_context(), pytest.raises(packages.PackageRefused, match=message):
        packages.unpack(package, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.md"))


def test_the_total_size_is_limited(app, tmp_path, monkeypatch):
    monkeypatch.setattr(packages, "MAX_TOTAL_BYTES", 1000)
    package = zip_of({"c/course.md": b"x" * 600, "c/01-m/01-a.md": b"y" * 600}, zipfile.ZIP_STORED)
    with app.test_request_context(), pytest.raises(packages.PackageRefused, match="once unpacked"):
        packages.unpack(package, tmp_path / "out")


def test_the_refusal_reaches_the_trainer(trainer):
    html = trainer.post("/authoring/import", data={"package": (io.BytesIO(b"nope"), "x.zip")},
                        content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert re.search(r"This is not a zip file\.", html)
