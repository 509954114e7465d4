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


def test_a_header_of_two_lines_groups_its_columns():
    # a state agency's wage table as a PDF or a text capture gives it: a group name over
    # the columns it spans ("Mean wage" over Hourly and Annual), empty fields kept
    page = (b"Table 2. Wages of roofers, May 2023\n\n"
            b"Area\tJobs\tMean wage\t\tAnnual wage by percentile\t\t\n"
            b"\t\tHourly\tAnnual\t10th\tMedian\t90th\n"
            b"Kansas\t2,310\t23.10\t48,050\t33,380\t46,590\t66,040\n"
            b"\n"
            b"Area\tProjection period\tEmployment\t\tChange\t\tAverage annual openings\n"
            b"\t\tBase year\tProjected\tNumber\tPercent\t\n"
            b"Kansas\t2022-2032\t2,400\t2,610\t210\t8.8\t240\n")
    doc = document_from_bytes(page, source_id="lmi", path="lmi.txt")
    got = [(c.metric, c.statistic, c.unit, c.value, c.period) for c in extract(doc)]
    assert got == [
        ("employment", "unspecified", "count", 2310, "2023"),
        ("wage", "mean", "USD/hour", 23.10, "2023"), ("wage", "mean", "USD/year", 48050, "2023"),
        ("wage", "p10", "USD/year", 33380, "2023"), ("wage", "median", "USD/year", 46590, "2023"),
        ("wage", "p90", "USD/year", 66040, "2023"),
        ("employment", "unspecified", "count", 2400, "2022"),
        ("employment", "unspecified", "count", 2610, "2032"),
        ("employment", "change", "count", 210, "2022-2032"),
        ("employment_growth", "change", "percent", 8.8, "2022-2032"),
        ("annual_openings", "unspecified", "count", 240, "2022-2032")]


def test_occupations_side_by_side_keep_each_columns_occupation():
    page = (b"<html><body><h1>Roofers vs. Sheet Metal Workers</h1><table>"
            b"<tr><th rowspan=2>May 2024</th><th colspan=2>Roofers</th>"
            b"<th colspan=2>Sheet metal workers</th></tr>"
            b"<tr><th>Hourly</th><th>Annual</th><th>Hourly</th><th>Annual</th></tr>"
            b"<tr><td>Median</td><td>$24.20</td><td>$50,340</td><td>$28.90</td><td>$60,110</td></tr>"
            b"<tr><td>Employment</td><td>141,230</td><td>141,230</td><td>132,660</td>"
            b"<td>132,660</td></tr></table>"
            b"<h2>Outlook</h2><table><tr><th></th><th>Roofers</th><th>Sheet metal workers</th></tr>"
            b"<tr><td>Projected growth, 2024-34</td><td>3%</td><td>1%</td></tr></table>"
            b"</body></html>")
    doc = document_from_bytes(page, source_id="vs", path="vs.html", format="html")
    got = {(c.metric, c.statistic, c.unit, c.value, c.period, c.occupation_text)
           for c in extract(doc)}
    assert got == {
        ("wage", "median", "USD/hour", 24.20, "2024", ""),
        ("wage", "median", "USD/year", 50340, "2024", ""),
        ("wage", "median", "USD/hour", 28.90, "2024", "Sheet metal workers"),
        ("wage", "median", "USD/year", 60110, "2024", "Sheet metal workers"),
        ("employment", "unspecified", "count", 141230, "2024", ""),
        ("employment", "unspecified", "count", 132660, "2024", "Sheet metal workers"),
        ("employment_growth", "change", "percent", 3, "2024-2034", ""),
        ("employment_growth", "change", "percent", 1, "2024-2034", "Sheet metal workers")}


def test_a_header_of_single_spaces_under_its_caption():
    page = (b"Telecommunicators\n\nOhio and its neighbors, May 2023 (mean wages)\n"
            b"State Employment Hourly Annual\n"
            b"Ohio 4,120 $24.18 $50,290\nIndiana 2,030 $22.07 $45,910\n")
    doc = document_from_bytes(page, source_id="lmi", path="lmi.txt")
    got = [(c.geography, c.metric, c.statistic, c.unit, c.value, c.period) for c in extract(doc)]
    assert got == [
        ("Ohio", "employment", "unspecified", "count", 4120, "2023"),
        ("Ohio", "wage", "mean", "USD/hour", 24.18, "2023"),
        ("Ohio", "wage", "mean", "USD/year", 50290, "2023"),
        ("Indiana", "employment", "unspecified", "count", 2030, "2023"),
        ("Indiana", "wage", "mean", "USD/hour", 22.07, "2023"),
        ("Indiana", "wage", "mean", "USD/year", 45910, "2023")]


def test_a_projection_table_and_a_corner_that_names_the_place():
    page = (b"Inspectors\n\nTable 3. Entry and experienced wages\n\n"
            b"Oregon, 2023\tHourly\tAnnual\nEntry wage\t28.23\t58,720\n\n"
            b"Table 4. Employment projections, 2023-2033\n\n"
            b"Area\tEmployment 2023\tProjected 2033\tChange\tPercent change\tAnnual openings\n"
            b"Oregon\t2,930\t3,090\t160\t5.5\t310\n")
    doc = document_from_bytes(page, source_id="lmi", path="lmi.txt")
    got = [(c.geography, c.metric, c.statistic, c.unit, c.value, c.period, c.level)
           for c in extract(doc)]
    assert got == [
        ("Oregon", "wage", "unspecified", "USD/hour", 28.23, "2023", "entry"),
        ("Oregon", "wage", "unspecified", "USD/year", 58720, "2023", "entry"),
        ("Oregon", "employment", "unspecified", "count", 2930, "2023", ""),
        ("Oregon", "employment", "unspecified", "count", 3090, "2033", ""),
        ("Oregon", "employment", "change", "count", 160, "2023-2033", ""),
        ("Oregon", "employment_growth", "change", "percent", 5.5, "2023-2033", ""),
        ("Oregon", "annual_openings", "unspecified", "count", 310, "2023-2033", "")]


def test_a_caption_with_a_code_names_its_tables_occupation_and_a_row_code_not_the_pages():
    page = (b"STATE WAGE ESTIMATES\nHealthcare Support Occupations (31-0000)\n\n"
            b"SOC\tOccupational title\tEmployment\tMedian\n"
            b"31-1131\tNursing Assistants\t26,049\t17.86\n"
            b"31-9097\tPhlebotomists\t2,479\t20.60\n\n"
            b"Phlebotomists (31-9097) by area\n"
            b"Area\tEmployment\tMedian\n"
            b"Yakima, WA\t52\t17.48\n")
    doc = document_from_bytes(page, source_id="lmi", path="lmi.txt")
    got = [(c.occupation, c.geography, c.metric, c.value) for c in extract(doc)]
    assert got[-2:] == [("31-9097", "Yakima, WA", "employment", 52),
                        ("31-9097", "Yakima, WA", "wage", 17.48)]
    assert got[0][0] == "31-1131" and got[2][0] == "31-9097"
