"""A password rule beside Django's (length, common passwords, all digits, too
like the user): no long runs of one character or of a sequence, which
attackers try first and which the common-password list does not hold in every
length."""

import string

from django.core.exceptions import ValidationError

RUN = 4  # "aaaa", "1234", "dcba" and longer are refused
SEQUENCES = (string.ascii_lowercase, string.digits, "qwertyuiop", "asdfghjkl", "zxcvbnm")


def _has_repeat(password: str) -> bool:
    run = 1
    for before, after in zip(password, password[1:], strict=False):
        run = run + 1 if before == after else 1
        if run >= RUN:
            return True
    return False


def _has_sequence(password: str) -> bool:
    lowered = password.lower()
    for sequence in SEQUENCES:
        for forwards in (sequence, sequence[::-1]):
            for start in range(len(forwards) - RUN + 1):
                if forwards[start : start + RUN] in lowered:
                    return True
    return False


class RepeatsAndSequencesValidator:
    def validate(self, password, user=None):
        if len(set(password)) <= 3:
            raise ValidationError(
                "This password uses too few different characters. Choose one with more variety, "
                "such as three or four unrelated words.",
                code="password_too_few_characters",
            )
        if _has_repeat(password) or _has_sequence(password):
            raise ValidationError(
                f"This password has {RUN} or more repeated or consecutive characters (like "
                "aaaa, 1234 or qwer). Choose one without them, such as three or four unrelated "
                "words.",
                code="password_repeats_or_sequence",
            )

    def get_help_text(self):
        return (
            f"Your password cannot contain {RUN} or more repeated or consecutive characters, "
            "like aaaa or 1234."
        )
