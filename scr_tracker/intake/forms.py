import re

from django import forms
from django.conf import settings

from scr_tracker.govuk import named_required
from scr_tracker.intake import keyed
from scr_tracker.intake.extract import Refused
from scr_tracker.intake.guard import text_problems
from scr_tracker.intake.identifiers import RULE_LABELS
from scr_tracker.intake.models import RestrictedTerm

# Where an identifier was taken out of what someone typed, the box shows this
# mark in its place, naming what it was; a text still holding a mark is refused.
MARK = "[removed: {label}]"
_MARKED = re.compile(r"\[removed(?::[^\]]{0,80})?\]")
STILL_MARKED = (
    "This still has a “[removed: …]” mark where an identifier was taken out. "
    "Replace the mark with what you meant, without the identifier, or delete it."
)
TAKEN_OUT = (
    "It has been taken out of the box and marked “[removed: …]”. Replace the mark "
    "with what you meant, without the identifier."
)


def _too_long(field) -> str:
    label = str(field.label or "This")
    return (
        f"{label} must be {field.max_length:,} characters or fewer "
        "(it has %(show_value)s). Shorten it and send it again."
    )


class GuardedFormMixin:
    """Runs the identifier guard over every text a form takes. A field is only
    left out by naming it in `unguarded_fields`, with the reason beside it.

    What was typed is kept for correcting, except an identifier itself: it is
    replaced by a mark naming what it was ("[removed: a full postcode]"), so the
    page never shows it back; sending the mark back is refused, so that it is
    never saved in place of what was meant."""

    unguarded_fields: frozenset[str] = frozenset()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Too long is refused with its limit and how long it is, never cut
        # (the text boxes carry no maxlength, which would cut a paste).
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and field.max_length:
                field.error_messages.setdefault("max_length", _too_long(field))
            named_required(field, name)
        if not self.is_bound:
            # What was typed before an idle time-out, for its own person only.
            from scr_tracker.accounts.kept_input import initial_for

            self.initial.update(initial_for(self))

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if name in self.unguarded_fields or not isinstance(value, str) or not value:
                continue
            if _MARKED.search(value):
                self.add_error(name, STILL_MARKED)
            problems = text_problems(value, where=f"{type(self).__name__}.{name}")
            for problem in problems:
                self.add_error(name, problem.message)
            marks = sorted(
                (span, RULE_LABELS[problem.rule]) for problem in problems for span in problem.spans
            )
            if marks:
                self.add_error(name, TAKEN_OUT)
                self._redact(name, value, marks)
        return cleaned

    def _redact(self, name, value, marks):
        pieces, position = [], 0
        for (start, end), label in marks:
            if start >= position:
                pieces.extend([value[position:start], MARK.format(label=label)])
                position = end
        pieces.append(value[position:])
        self.data = self.data.copy()
        self.data[self.add_prefix(name)] = "".join(pieces)


class RestrictedTermForm(forms.Form):
    # The term is what the register exists to keep out, so it is not run
    # through the guard, never logged, never stored: only its keyed hashes are.
    term = forms.CharField(
        label="Name, alias or pseudonym",
        max_length=200,
        help_text="One to three words. Enter each name, alias and spelling separately.",
        error_messages={"required": "Enter the name, alias or pseudonym to keep out."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_term(self):
        term_words = keyed.words(self.cleaned_data["term"])
        if not term_words:
            raise forms.ValidationError("Enter a name, alias or pseudonym using letters or digits.")
        if len(term_words) > 3:
            raise forms.ValidationError(
                "Enter at most three words. Enter longer names as separate, shorter terms "
                "(for example first name and surname, then the surname alone)."
            )
        record = keyed.term_record(term_words)
        if RestrictedTerm.objects.filter(digest=record["digest"]).exists():
            raise forms.ValidationError("That term is already on the restricted list.")
        self.term_fingerprint = record
        return ""  # the clear text goes no further than this form


class RestrictedDocumentForm(GuardedFormMixin, forms.Form):
    # The file is the restricted document itself: it is fingerprinted, never
    # stored and never put through the guard (it would of course fail it).
    unguarded_fields = frozenset({"document"})

    label = forms.CharField(
        label="How you will recognise this entry",
        max_length=120,
        help_text="For example “Final report” or “Draft 3, March”. Do not use names.",
        error_messages={"required": "Enter a label for this document."},
    )
    document = forms.FileField(
        label="The document",
        error_messages={"required": "Choose the document to register."},
    )

    def clean_document(self):
        from scr_tracker.intake.fingerprint import fingerprint

        upload = self.cleaned_data["document"]
        if upload.size > settings.EVIDENCE_MAX_FILE_BYTES * 5:
            raise forms.ValidationError("The document is too large to fingerprint here.")
        try:
            self.fingerprint = fingerprint(upload)
        except Refused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return upload
