"""CSV import from the learning system: good rows imported, bad rows reported with why."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accounts.roles import Role
from tests.advisers.helpers import sign_in
from training import services
from training.models import Source, TrainingRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2026, 6, 1, 11, tzinfo=dt.UTC), tick=False):
        yield


GOOD_AND_BAD = """collar_number,course_code,completed_on,learner_name
1001,COP-MH1,2026-01-15,R One
1002,cop-mh2,15/01/2026,R Two
9999,COP-MH1,2026-01-15,Nobody
1003,COP-XYZ,2026-01-15,R Three
1003,COP-MH1,2026-13-45,R Three
2001,COP-MH1,2026-07-01,S One
1001,COP-MH1,2026-01-15,R One again
2002,MHFA,2025-11-30,S Two
3001,MHTA-CPD,2026-05-31,A One
"""


def test_good_rows_import_and_bad_rows_are_refused_with_reasons(staff, force, mh_lead):
    services.record_training(user=staff["s2"], course="MHFA", completed_on=dt.date(2025, 11, 30))
    report = services.import_training(force=force, data=GOOD_AND_BAD.encode(), by=mh_lead)
    assert report.ok
    imported = {(r.user.username, r.course, r.completed_on) for r in report.imported}
    assert imported == {
        ("r1", "COP-MH1", dt.date(2026, 1, 15)),
        ("r2", "COP-MH2", dt.date(2026, 1, 15)),
        ("a1", "MHTA-CPD", dt.date(2026, 5, 31)),
    }
    refused = {r.line: " ".join(map(str, r.reasons)) for r in report.refused}
    assert sorted(refused) == [4, 5, 6, 7, 8, 9]
    assert "unknown officer" in refused[4]
    assert "unknown course" in refused[5]
    assert "bad date" in refused[6]
    assert "future date" in refused[7]
    assert "duplicate" in refused[8] and "line 2" in refused[8]
    assert "duplicate" in refused[9] and "already recorded" in refused[9]
    rows = TrainingRecord.objects.filter(source=Source.IMPORT)
    assert rows.count() == 3
    assert {r.history.get().changed_by for r in rows} == {""}  # no actor outside a request
    a1 = rows.get(user=staff["a1"])
    assert a1.refresher_due_on == dt.date(2027, 5, 31)


def test_the_same_file_twice_imports_nothing_new(staff, force):
    services.import_training(force=force, data=GOOD_AND_BAD)
    again = services.import_training(force=force, data=GOOD_AND_BAD)
    assert again.imported == []
    assert TrainingRecord.objects.count() == 4


def test_a_file_without_the_columns_is_refused_whole(staff, force):
    report = services.import_training(force=force, data=b"collar,course\n1001,COP-MH1\n")
    assert (
        not report.ok
        and "missing: collar_number, course_code, completed_on" in report.file_errors[0]
    )
    assert not TrainingRecord.objects.exists()


def test_an_officer_of_another_force_is_unknown(staff, force, make_user, other_force):
    west = make_user("west", other_force, Role.RESPONSE_OFFICER)
    west.collar_number = "7777"
    west.save()
    report = services.import_training(
        force=force, data="collar_number,course_code,completed_on\n7777,MHFA,2026-01-01\n"
    )
    assert report.imported == [] and "unknown officer" in str(report.refused[0].reasons[0])


def test_the_import_page_shows_the_report(web, staff, mh_lead, npu_lead):
    page = sign_in(web, mh_lead).post(
        "/training/import/",
        {"file": SimpleUploadedFile("export.csv", GOOD_AND_BAD.encode("utf-8-sig"))},
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "4 rows imported" in body and "5 rows refused" in body
    assert "unknown course code" in body
    assert TrainingRecord.objects.get(user=staff["r1"]).recorded_by == mh_lead
    assert TrainingRecord.objects.get(user=staff["r1"]).history.get().changed_by == "mhlead"
    assert sign_in(web, npu_lead).get("/training/import/").status_code == 403


def test_the_management_command(tmp_path, staff, force):
    path = tmp_path / "export.csv"
    path.write_text(GOOD_AND_BAD)
    out = io.StringIO()
    call_command("import_training", str(path), "--force", force.slug, stdout=out)
    text = out.getvalue()
    assert "Imported 4 row(s)" in text and "Refused 5 row(s)" in text
    assert "line 7: 2001,COP-MH1,2026-07-01: future date" in text
    row = TrainingRecord.objects.get(user=staff["r1"])
    assert row.history.get().changed_by == "command:import_training"


def test_a_refused_file_answers_400(web, mh_lead):
    page = sign_in(web, mh_lead).post(
        "/training/import/", {"file": SimpleUploadedFile("export.csv", b"not,the,columns\n1,2,3\n")}
    )
    assert page.status_code == 400
    assert "govuk-error-summary" in page.content.decode()
