import datetime

from django import forms
from django.utils import timezone

from .selectors import Period

DEFAULT_DAYS = 30
# Daily rows are kept indefinitely; a custom period spans at most this many years.
MAX_YEARS = 10


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label="Period",
        choices=[
            ("7", "Last 7 days"),
            ("30", "Last 30 days"),
            ("365", "Last 365 days"),
            ("custom", "Custom dates"),
        ],
        required=False,
    )
    start = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("period") != "custom":
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None or end is None:
            raise forms.ValidationError("Give both dates for a custom period.")
        if start > end:
            raise forms.ValidationError("The period must start before it ends.")
        if (end - start).days > MAX_YEARS * 366:
            raise forms.ValidationError(f"Choose a period of at most {MAX_YEARS} years.")
        return cleaned

    def chosen_period(self) -> Period:
        """The period asked for, or the last DEFAULT_DAYS days if none (or an invalid one)."""
        today = timezone.localdate()
        choice = self.cleaned_data.get("period") if self.is_valid() else ""
        if choice == "custom":
            return Period(self.cleaned_data["start"], self.cleaned_data["end"])
        days = int(choice) if choice else DEFAULT_DAYS
        return Period(today - datetime.timedelta(days=days - 1), today)
