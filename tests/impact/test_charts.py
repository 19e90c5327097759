from impact.charts import chart_for
from impact.selectors import Table


def test_bars_carry_their_labels_and_values_and_long_labels_are_shortened():
    table = Table(
        "sources", "Sources", "Where from.", ["Source", "Requests"],
        [["python-requests (software)", 12_345], ["a-very-long-referring-domain.example.org", 5]],
        chart="bars",
    )  # fmt: skip

    chart = chart_for(table)

    assert [mark.value_text for mark in chart.marks] == ["12,345", "5"]
    assert chart.marks[1].label == "a-very-long-referring-d…"  # 24 characters
    assert chart.marks[0].width > chart.marks[1].width > 0
    assert chart.description == "Where from. Highest: python-requests (software), 12,345."


def test_columns_label_first_middle_and_last_inside_the_plot():
    rows = [[f"{day} Dec", day] for day in range(1, 31)]
    chart = chart_for(Table("days", "Days", "By day.", ["Day", "Views"], rows, chart="columns"))

    labels = [(text, anchor) for _, _, text, anchor in chart.axis]

    assert labels[:3] == [("1 Dec", "start"), ("16 Dec", "middle"), ("30 Dec", "end")]
    assert chart.axis[2][0] == chart.width  # the last label ends at the plot's edge
    assert len(chart.marks) == 30 and chart.baseline


def test_a_table_with_nothing_to_draw_has_no_chart():
    assert chart_for(Table("t", "T", "D.", ["A", "B"], [], chart="bars")) is None
    assert chart_for(Table("t", "T", "D.", ["A", "B"], [["x", "1"]])) is None
