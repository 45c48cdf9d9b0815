"""Guessing speakers' roles when a transcript is imported."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from interviews.imports import guess_roles
from interviews.models import PendingImport


def roles_on_upload(study, user, text):
    client = Client()
    client.force_login(user)
    client.post(
        reverse("import-interviews", args=[study.slug]),
        {"files": [SimpleUploadedFile("talk.txt", text.encode())]},
    )
    return PendingImport.objects.get().speaker_roles


def test_the_speaker_beside_the_interviewer_is_guessed_the_participant(study, alice):
    text = "Int.: Where did you grow up?\nZoë: In Málaga.\n"
    assert roles_on_upload(study, alice, text) == {"Int.": "interviewer", "Zoë": "participant"}


@pytest.mark.parametrize(
    "label",
    ["Interviewer", "INT", "Int.", "IV", "I", "Q", "Q.", "Moderator", "Facilitator",
     "Interviewer 2", "Moderator (Sam)", "Researcher"],
)  # fmt: skip
def test_it_knows_common_interviewer_labels(label):
    assert guess_roles([label, "Zoë"]) == {label: "interviewer", "Zoë": "participant"}


@pytest.mark.parametrize("label", ["A", "A.", "R", "Respondent", "Participant 3", "Interviewee"])
def test_it_knows_common_participant_labels_without_an_interviewer(label):
    assert guess_roles([label, "Speaker 2"]) == {label: "participant", "Speaker 2": ""}


def test_everyone_but_the_interviewers_of_a_group_is_guessed_a_participant():
    assert guess_roles(["Moderator", "P1", "P2", "Assistant Moderator"]) == {
        "Moderator": "interviewer",
        "P1": "participant",
        "P2": "participant",
        "Assistant Moderator": "interviewer",
    }


def test_an_interpreter_or_observer_is_not_guessed_a_participant():
    assert guess_roles(["Interviewer", "Zoë", "Interpreter", "Observer 1"]) == {
        "Interviewer": "interviewer",
        "Zoë": "participant",
        "Interpreter": "",
        "Observer 1": "",
    }


def test_nobody_is_guessed_when_no_label_names_a_role():
    assert guess_roles(["Speaker 1", "Speaker 2"]) == {"Speaker 1": "", "Speaker 2": ""}
