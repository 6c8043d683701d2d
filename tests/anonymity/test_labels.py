from credgroup.anonymity.labels import letter_label, participant_labels


def test_letters_run_past_z():
    assert [letter_label(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA"
    ]  # fmt: skip


def test_labels_follow_first_appearance_in_one_discussion():
    labels = participant_labels("r", ["x", "r", "y", "x", "f", "z"], staff=["f"])
    assert labels == {
        "r": "Reporter",
        "x": "Member A",
        "y": "Member B",
        "f": "Facilitator",
        "z": "Member C",
    }


def test_same_people_get_unrelated_labels_in_another_discussion():
    first = participant_labels("r", ["x", "y"])
    second = participant_labels("y", ["r", "x"])
    assert first["y"] == "Member B" and second["y"] == "Reporter"
    assert first["x"] != second["x"]
