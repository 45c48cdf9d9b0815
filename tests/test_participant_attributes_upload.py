"""The participants page and its attributes CSV upload."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from interviews.models import Participant, ParticipantAttribute


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def post_csv(client, study, data, name="people.csv"):
    return client.post(
        reverse("participants", args=[study.slug]),
        {"csv_file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def attributes(label):
    return dict(
        ParticipantAttribute.objects.filter(participant__label=label).values_list("name", "value")
    )


def test_it_creates_and_updates_participants_and_their_attributes(study, alice, participant):
    ParticipantAttribute.objects.create(participant=participant, name="sector", value="old")
    ParticipantAttribute.objects.create(participant=participant, name="kept", value="yes")
    data = "participant;sector;age\nmanager a;Health;52\nZoë;Schools;31\n".encode()
    response = post_csv(signed_in(alice), study, data)
    assert [str(m) for m in response.context["messages"]] == [
        "people.csv: 1 participant created, 1 updated, 0 rows not used."
    ]
    assert attributes("Manager A") == {"sector": "Health", "age": "52", "kept": "yes"}
    assert attributes("Zoë") == {"sector": "Schools", "age": "31"}


def test_it_reports_each_row_it_could_not_use_and_stores_the_rest(study, alice):
    data = b"participant,age\nP1,40\n,41\nP1,42\nP2,50\n"
    response = post_csv(signed_in(alice), study, data)
    assert response.context["problems"] == [
        (3, "no participant: row skipped"),
        (4, "participant 'P1' is also in row 2: row skipped"),
    ]
    content = response.content.decode()
    assert "Row 3: no participant: row skipped" in content
    assert attributes("P1") == {"age": "40"}
    assert attributes("P2") == {"age": "50"}


def test_a_file_it_cannot_read_is_refused_with_a_message_and_stores_nothing(study, alice):
    response = post_csv(signed_in(alice), study, b"name,age\nP1,40\n")
    assert "people.csv: no participant column" in response.content.decode()
    assert not Participant.objects.exists()


def test_the_page_lists_participants_with_attributes_in_few_queries(
    study, alice, django_assert_max_num_queries
):
    for number in range(20):
        person = Participant.objects.create(study=study, label=f"P{number}")
        ParticipantAttribute.objects.create(participant=person, name="age", value=str(30 + number))
    client = signed_in(alice)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("participants", args=[study.slug]))
    assert response.context["names"] == ["age"]
    assert len(response.context["table"]) == 20


def test_the_page_escapes_attribute_values(study, alice):
    post_csv(signed_in(alice), study, b"participant,note\nP1,<b>bold</b>\n")
    content = signed_in(alice).get(reverse("participants", args=[study.slug])).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in content


def test_a_later_upload_replaces_an_attribute_whatever_the_case_of_its_name(
    study, alice, participant
):
    client = signed_in(alice)
    post_csv(client, study, b"participant,Age\nManager A,50\n")
    response = post_csv(client, study, b"participant,age\nManager A,51\nZo\xc3\xab,30\n")
    assert attributes("Manager A") == {"Age": "51"}
    # A new participant's attribute takes the study's spelling: one column, not two.
    assert attributes("Zoë") == {"Age": "30"}
    assert response.context["names"] == ["Age"]


def test_the_database_refuses_one_attribute_twice_in_two_cases(participant):
    ParticipantAttribute.objects.create(participant=participant, name="Age", value="50")
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipantAttribute.objects.create(participant=participant, name="age", value="51")


def test_a_role_column_fills_the_built_in_role_not_a_second_one(study, alice, participant):
    response = post_csv(
        signed_in(alice), study, b"participant,ROLE,Organization,age\nManager A,Head,Town,50\n"
    )
    participant.refresh_from_db()
    assert (participant.role, participant.organisation) == ("Head", "Town")
    assert attributes("Manager A") == {"age": "50"}
    assert response.content.decode().count(">Role</th>") == 1


def test_a_row_with_a_label_or_value_too_long_is_reported_and_not_stored(study, alice):
    long_label, long_value = "L" * 101, "v" * 501
    data = f"participant,note\n{long_label},short\nP1,{long_value}\nP2,fine\n".encode()
    response = post_csv(signed_in(alice), study, data)
    assert response.context["problems"] == [
        (2, "the participant is 101 characters long, longer than the 100 allowed: row skipped"),
        (3, "the value of 'note' is 501 characters long, longer than the 500 allowed: row skipped"),
    ]
    assert "Row 3: the value of &#x27;note&#x27; is 501 characters long" in (
        response.content.decode()
    )
    assert list(Participant.objects.values_list("label", flat=True)) == ["P2"]
    assert attributes("P2") == {"note": "fine"}


def test_a_role_longer_than_its_column_is_reported(study, alice):
    response = post_csv(signed_in(alice), study, f"participant,role\nP1,{'r' * 201}\n".encode())
    assert response.context["problems"] == [
        (2, "the value of 'role' is 201 characters long, longer than the 200 allowed: row skipped")
    ]
    assert not Participant.objects.exists()


def test_a_column_name_too_long_refuses_the_file(study, alice):
    response = post_csv(signed_in(alice), study, f"participant,{'n' * 101}\nP1,x\n".encode())
    assert "the name of column 2 is 101 characters long" in response.content.decode()
    assert not Participant.objects.exists()
