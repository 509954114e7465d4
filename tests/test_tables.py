"""Tables of figures: the long reference shape and an OEWS-style wide export."""
from extractors import extract
from extractors.document import document_from_bytes

WIDE = (b"OCC_CODE,OCC_TITLE,YEAR,TOT_EMP,H_MEDIAN,A_MEDIAN,A_PCT10,A_PCT90,A_MEAN\n"
        b"29-2072,Medical Records Specialists,2024,189820,24.16,\"50,250\",36480,*,54340\n")


def test_an_oews_wide_export_yields_one_claim_per_stated_column():
    doc = document_from_bytes(WIDE, source_id="oews", path="oews.csv", format="csv")
    claims = {(c.statistic, c.unit): c for c in extract(doc)}
    assert claims[("median", "USD/year")].value == 50250
    assert claims[("median", "USD/hour")].value == 24.16
    assert claims[("unspecified", "count")].value == 189820
    assert ("p90", "USD/year") not in claims  # "*": suppressed by the agency, not a figure
    median = claims[("median", "USD/year")]
    assert (median.occupation, median.period, median.stated_in, median.locator) == (
        "29-2072", "2024", "OEWS May 2024", "csv:row=2;col=A_MEDIAN")


def test_a_long_table_keeps_each_rows_status_and_citation():
    data = (b"soc,metric,statistic,unit,value,period,program,status,source\n"
            b"29-2072,education,typical,category,Postsecondary nondegree award,2024,OOH,"
            b"official,https://www.bls.gov/ooh/\n"
            b"29-2072,employment_growth,change,percent,7,2024-2034,EP,secondary,example.org\n")
    doc = document_from_bytes(data, source_id="ref", path="ref.csv", format="csv")
    education, growth = extract(doc)
    assert (education.value_text, education.status) == ("postsecondary nondegree award", "official")
    assert (growth.value, growth.period, growth.stated_in, growth.citation) == (
        7.0, "2024-2034", "Employment Projections 2024-2034", "example.org")


def _wages(text: bytes) -> list[tuple]:
    doc = document_from_bytes(text, source_id="lmi", path="lmi.txt")
    return [(c.geography, c.unit, c.statistic, c.value) for c in extract(doc)
            if c.metric == "wage"]


def test_a_pay_period_column_and_a_location_spanning_two_rows():
    # a state LMI capture: the location cell spans its hourly and yearly rows, so the
    # yearly row starts with an empty cell; "Pay Period" names the unit of each row
    page = (b"Roofers wages\n\n"
            b"Location\tPay Period\tLow (10%)\tMedian\tHigh (90%)\n"
            b"Kansas\tHourly\t$16.05\t$22.40\t$31.75\n"
            b"\tYearly\t$33,380\t$46,590\t$66,040\n"
            b"Nebraska\tHourly\t$15.10\t$21.85\t$30.20\n"
            b"\tYearly\t$31,410\t$45,450\t$62,820\n")
    assert _wages(page) == [
        ("Kansas", "USD/hour", "p10", 16.05), ("Kansas", "USD/hour", "median", 22.40),
        ("Kansas", "USD/hour", "p90", 31.75), ("Kansas", "USD/year", "p10", 33380),
        ("Kansas", "USD/year", "median", 46590), ("Kansas", "USD/year", "p90", 66040),
        ("Nebraska", "USD/hour", "p10", 15.10), ("Nebraska", "USD/hour", "median", 21.85),
        ("Nebraska", "USD/hour", "p90", 30.20), ("Nebraska", "USD/year", "p10", 31410),
        ("Nebraska", "USD/year", "median", 45450), ("Nebraska", "USD/year", "p90", 62820)]


def test_a_unit_word_on_the_next_line_is_not_the_amounts_unit():
    page = b"Pay for bakers\n\nStarting wage\t$14.90\nYearly bonus\tvaries\n"
    assert _wages(page) == [("United States", "USD/hour", "unspecified", 14.90)]
